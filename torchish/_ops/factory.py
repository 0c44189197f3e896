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


def _shape(size, name="empty"):
    """The shape from `*size` (ints, or one sequence), with torch's argument errors."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    elif len(size) == 1 and not isinstance(size[0], (int, np.integer, Tensor)):
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size[0]).__name__}")
    for i, s in enumerate(size):
        if not isinstance(s, (int, np.integer)) and not isinstance(s, Tensor):
            raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but got "
                            f"{type(s).__name__}\"")
    size = tuple(int(s) for s in size)
    if any(s < 0 for s in size):
        if name == "zeros":
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        bad = next(s for s in size if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {list(size)}")
    return size


def leaf(arr, dt, requires_grad=False):
    """A leaf tensor over host or device data `arr`, converted to `dt`."""
    if requires_grad and dt._kind < 2:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    if isinstance(arr, np.ndarray):
        # XLA:CPU may alias a host buffer it is handed; the caller's array must stay theirs
        arr = np.array(arr, dtype=dt.np, copy=True)
    a = jnp.asarray(arr, dtype=dt.np)
    return new_tensor(Value(tuple(a.shape), dt, data=a), None, bool(requires_grad), 0)


# ---- from data -------------------------------------------------------------------------------

def _leaf_dtype(x):
    """The dtype torch infers for one element of tensor()'s data."""
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, (np.ndarray, np.generic)):
        return _dtypes.from_np(x.dtype)  # torch: NumPy values keep their own dtype
    if isinstance(x, bool):
        return _dtypes.bool_
    if isinstance(x, int):
        return _dtypes.int64
    if isinstance(x, float):
        return _dtypes.get_default_dtype()
    if isinstance(x, complex):
        return _dtypes.default_complex()
    if isinstance(x, str):
        raise ValueError(f"too many dimensions '{type(x).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


def _infer_dtype(data):
    """torch's infer_scalar_type: promote_types over every element."""
    result = None
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
            continue
        d = _leaf_dtype(x)
        result = d if result is None else _dtypes.promote_types(result, d)
    return result or _dtypes.get_default_dtype()


def _check_ragged(data, depth=0):
    if not (isinstance(data, (list, tuple)) and data):
        return
    first = data[0]
    if isinstance(first, (list, tuple)):
        n = len(first)
        for x in data:
            if not isinstance(x, (list, tuple)):
                raise TypeError("not a sequence")
            if len(x) != n:
                raise ValueError(f"expected sequence of length {n} at dim {depth + 1} "
                                 f"(got {len(x)})")
            _check_ragged(x, depth + 1)
    else:
        for x in data:
            if isinstance(x, (list, tuple)):
                raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an "
                                "integer")


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
    dt = _dtypes.get_default_dtype()
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    if not args:
        t = zeros(0, dtype=dt)
    elif len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)) and not isinstance(
            args[0], Size):
        t = tensor(args[0], dtype=dt)  # torch: any sequence is data, even a tuple of ints
    else:
        t = zeros(*args, dtype=dt)
    if cls is not Tensor:
        t.__class__ = cls
    return t


# ---- fills -----------------------------------------------------------------------------------

def _fill(size, value, dtype, requires_grad, default=None, name="empty"):
    dt = _dt(dtype, default)
    shape = _shape(size, name)
    return leaf(np.full(shape, value, dtype=dt.np if dt is not _dtypes.bfloat16 else np.float32),
                dt, requires_grad)


@function("zeros")
def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _fill(size, 0, dtype, requires_grad, name="zeros")


@function("ones")
def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _fill(size, 1, dtype, requires_grad, name="ones")


@function("empty")
def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          memory_format=None, pin_memory=False):
    return _fill(size, 0, dtype, requires_grad)


@function("full")
def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    size = tuple(size) if isinstance(size, (tuple, list, Size)) else (size,)
    for i, s in enumerate(size):
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type {type(s).__name__} at pos {i}")
    default = _dtypes.scalar_dtype(fill_value)
    return _fill((size,), fill_value, dtype, requires_grad, default, name="full")


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
    for what, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{what} must be greater or equal to 0, got {v}")
    dt = _dt(dtype)
    return leaf(np.eye(n, n if m is None else m), dt, requires_grad)


@function("scalar_tensor")
def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False):
    return leaf(np.asarray(s), _dt(dtype), requires_grad)


def _tri_indices(row, col, offset, upper, dtype):
    r, c = np.triu_indices(row, offset, col) if upper else np.tril_indices(row, offset, col)
    return leaf(np.stack([r, c]).reshape(2, -1), _dt(dtype, _dtypes.int64))


@function("tril_indices")
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, False, dtype)


@function("triu_indices")
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, True, dtype)


# ---- ranges ----------------------------------------------------------------------------------
# torch computes ranges on the CPU element by element, in its own order of operations; the
# values are reproduced here on the host, so float32 results are bitwise torch's.

def _scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def _arange_values(start, step, n, dt):
    """torch's arange_kernel: start + step * i in the accumulate type (double for float32 and
    float64, float for half types), except that each vectorized block of 2 * W elements computes
    its W-wide halves as base + k * step from base = start + step * idx rounded to the dtype."""
    if dt._kind < 2:
        return start + np.arange(n, dtype=np.int64) * step
    acc = np.float64 if dt.itemsize >= 4 else np.float32
    out = (acc(start) + acc(step) * np.arange(n, dtype=acc)).astype(dt.np)
    width = 32 // dt.itemsize  # torch: Vectorized<T>::size() in its default (AVX2) build
    blocks = (n // (2 * width)) * 2 * width
    if blocks:
        idx = np.arange(blocks).reshape(-1, width)
        base = (acc(start) + acc(step) * idx[:, :1].astype(acc)).astype(dt.np).astype(acc)
        k = np.arange(width, dtype=acc)
        out[:blocks] = (base + k * acc(step)).astype(dt.np).reshape(-1)
    return out


@function("arange")
def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    if end is None:
        start, end = 0, start
    start, end, step = map(_scalar, (start, end, step))
    if dtype is None:
        dtype = (_dtypes.int64 if all(isinstance(v, int) for v in (start, end, step))
                 else _dtypes.get_default_dtype())
    dt = _dt(dtype)
    if dt._kind < 2:  # torch: the bounds and step are converted to the integer type first
        start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(math.ceil((end - start) / step), 0)
    return leaf(_arange_values(start, step, n, dt), dt, requires_grad)


@function("range")
def range_(start, end, step=1, *, dtype=None, requires_grad=False, device=None):
    n = int(math.floor((end - start) / step)) + 1
    dt = _dt(dtype)
    return leaf(start + np.arange(n, dtype=np.float64) * step, dt, requires_grad)


def _exact_fma(a, b, c):
    """a * b + c with one rounding, as the compiler's fused multiply-add gives torch."""
    from fractions import Fraction
    return float(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)))


def _linspace_values(start, end, steps, dt):
    """torch's linspace_kernel: start + step * i for the first half, end - step * (steps - i - 1)
    for the rest, with step computed in the dtype (double for integers) and fused multiply-adds."""
    if steps == 1:
        return np.array([start], dtype=np.float64)
    if dt._kind < 2:
        s, e = float(int(start)), float(int(end))
        step = (e - s) / (steps - 1)
        return np.array([math.trunc(_exact_fma(step, i, s)) if i < steps // 2 else
                         math.trunc(_exact_fma(-step, steps - i - 1, e)) for i in range(steps)])
    f = dt.np.type if dt.itemsize >= 4 else np.float32
    s, e = f(start), f(end)
    if f is np.float32 and steps < 2**29:
        # a float32 times an integer below 2**29 is exact in float64, so a float64 multiply, then
        # add, rounds once, as _exact_fma does (vectorised: 2,000 points ~10 ms -> ~20 us);
        # an overflowing range gives torch's infs and nans
        with np.errstate(over="ignore", invalid="ignore"):
            step = np.float64((e - s) / f(steps - 1))
            i = np.arange(steps, dtype=np.float64)
            h = steps // 2
            return np.concatenate([step * i[:h] + np.float64(s),
                                   -step * (steps - 1 - i[h:]) + np.float64(e)]).astype(f)
    step = (e - s) / f(steps - 1)
    vals = [_exact_fma(step, i, s) if i < steps // 2 else _exact_fma(-step, steps - i - 1, e)
            for i in range(steps)]
    return np.array(vals, dtype=np.float64).astype(f)


@function("linspace")
def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    start, end = _scalar(start), _scalar(end)
    dt = _dt(dtype)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return leaf(_linspace_values(start, end, steps, dt).astype(dt.np) if steps else
                np.zeros(0, dt.np), dt, requires_grad)


@function("logspace")
def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dt = _dt(dtype)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    exps = np.linspace(start, end, steps, dtype=np.float64) if steps != 1 else np.array([start])
    return leaf(np.power(base, exps), dt, requires_grad)
