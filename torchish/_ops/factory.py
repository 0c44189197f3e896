"""Creation ops: tensor/as_tensor/from_numpy, zeros/ones/full/empty/eye/arange/linspace/logspace,
the *_like forms and the random factories. Never recorded for grad; results are leaves.

Constant fills are concrete at once (one small host array, no XLA call); random values come from
the host-side torch-exact streams (`_rng`) and enter programs as inputs, never as constants.
"""

import math

import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._lazy import Value
from .._tensor import Size, Tensor, from_numpy_shared, new_tensor
from ._surface import function


def _dt(dtype, default=None):
    if dtype is None:
        return default or _dtypes.get_default_dtype()
    if isinstance(dtype, _dtypes.dtype):
        return dtype
    return _dtypes.from_np(dtype)


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) and not isinstance(s, Tensor):
            raise TypeError(f"empty(): argument 'size' failed to unpack the object at pos "
                            f"{size.index(s) + 1} with error \"type must be tuple of ints,but got "
                            f"{type(s).__name__}\"")
        if int(s) < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {int(s)}: "
                               f"{list(map(int, size))}")
    return tuple(int(s) for s in size)


def leaf(arr, dt, requires_grad=False):
    """A leaf tensor over host or device data `arr`, converted to `dt`."""
    if requires_grad and dt._kind < 2:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    a = jnp.asarray(arr, dtype=dt.np)
    return new_tensor(Value(tuple(a.shape), dt, data=a), None, bool(requires_grad), 0)


# ---- from data -------------------------------------------------------------------------------

def _infer_dtype(data):
    kind = -1
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, Tensor):
            return x.dtype
        if isinstance(x, np.ndarray):
            return _dtypes.from_np(x.dtype)
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, bool) or isinstance(x, np.bool_):
            kind = max(kind, 0)
        elif isinstance(x, (int, np.integer)):
            kind = max(kind, 1)
        elif isinstance(x, (float, np.floating)):
            kind = max(kind, 2)
        elif isinstance(x, complex):
            kind = max(kind, 3)
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}")
    if kind == 3:
        return _dtypes.default_complex()
    return {0: _dtypes.bool_, 1: _dtypes.int64}.get(kind, _dtypes.get_default_dtype())


def _check_ragged(data, depth=0):
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        n = len(data[0])
        for x in data:
            if not isinstance(x, (list, tuple)) or len(x) != n:
                got = len(x) if isinstance(x, (list, tuple)) else type(x).__name__
                raise ValueError(f"expected sequence of length {n} at dim {depth + 1} (got {got})")
            _check_ragged(x, depth + 1)


def _to_host(data):
    if isinstance(data, Tensor):
        return np.asarray(data._array())
    if isinstance(data, (list, tuple)):
        return [_to_host(x) for x in data]
    return data


@function("tensor")
def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
    _check_ragged(data)
    dt = _dt(dtype, _infer_dtype(data))
    host = _to_host(data)
    if dt is _dtypes.bfloat16:
        arr = np.asarray(host, dtype=np.float64).astype(dt.np) if not isinstance(
            host, np.ndarray) else host.astype(dt.np)
    else:
        arr = np.asarray(host, dtype=dt.np)
    return leaf(arr, dt, requires_grad)


@function("as_tensor")
def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor):
        if dtype is None or data.dtype is dtype:
            return data
        from .pointwise import cast
        return cast(data, dtype)
    if isinstance(data, np.ndarray) and (dtype is None or _dt(dtype).np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


@function("from_numpy")
def from_numpy(ndarray):
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return from_numpy_shared(ndarray)


def tensor_constructor(cls, *args, **kwargs):
    """`torch.Tensor(data)` (a copy in the default dtype) and `torch.Tensor(*sizes)` (zeros where
    torch leaves memory uninitialized)."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)) and not (
            isinstance(args[0], (list, tuple)) and args[0] and isinstance(args[0][0], int)
            and not isinstance(args[0], list)):
        t = tensor(args[0], dtype=_dtypes.get_default_dtype())
    elif len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    else:
        t = zeros(*args, dtype=_dtypes.get_default_dtype())
    if cls is not Tensor:
        t.__class__ = cls
    return t


# ---- fills -----------------------------------------------------------------------------------

def _fill(size, value, dtype, requires_grad, default=None):
    dt = _dt(dtype, default)
    shape = _shape(size)
    return leaf(np.full(shape, value, dtype=dt.np if dt is not _dtypes.bfloat16 else np.float32),
                dt, requires_grad)


@function("zeros")
def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _fill(size, 0, dtype, requires_grad)


@function("ones")
def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _fill(size, 1, dtype, requires_grad)


@function("empty")
def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          memory_format=None, pin_memory=False):
    return _fill(size, 0, dtype, requires_grad)


@function("full")
def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    default = _dtypes.scalar_dtype(fill_value)
    return _fill((tuple(size),), fill_value, dtype, requires_grad, default)


def _like(fn):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None):
        return fn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)
    return like


zeros_like = function("zeros_like")(_like(zeros))
ones_like = function("ones_like")(_like(ones))
empty_like = function("empty_like")(_like(empty))


@function("full_like")
def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return full(input.shape, fill_value, dtype=dtype or input.dtype, requires_grad=requires_grad)


@function("eye")
def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    dt = _dt(dtype)
    return leaf(np.eye(n, n if m is None else m), dt, requires_grad)


@function("arange")
def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [x.item() if isinstance(x, Tensor) else x for x in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = (_dtypes.int64 if all(isinstance(v, int) for v in vals)
                 else _dtypes.get_default_dtype())
    dt = _dt(dtype)
    n = max(math.ceil((end - start) / step), 0)
    # torch: values are start + i * step computed in double, then cast
    return leaf((start + np.arange(n, dtype=np.float64) * step) if dt._kind >= 2 else
                start + np.arange(n, dtype=np.int64) * step, dt, requires_grad)


@function("range")
def range_(start, end, step=1, *, dtype=None, requires_grad=False, device=None):
    n = int(math.floor((end - start) / step)) + 1
    dt = _dt(dtype)
    return leaf(start + np.arange(n, dtype=np.float64) * step, dt, requires_grad)


@function("linspace")
def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dt = _dt(dtype)
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    # torch: the first half counts up from start, the second half down from end
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    vals = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    if dt is _dtypes.float32:
        i32 = np.arange(steps, dtype=np.float32)
        s32 = np.float32(step)
        vals = np.where(i32 < half, np.float32(start) + s32 * i32,
                        np.float32(end) - s32 * (np.float32(steps - 1) - i32))
    return leaf(vals, dt, requires_grad)


@function("logspace")
def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dt = _dt(dtype)
    exps = np.linspace(start, end, steps, dtype=np.float64)
    return leaf(np.power(base, exps), dt, requires_grad)
