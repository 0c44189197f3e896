"""Conversions and whole-tensor writes: .to/.float/.long/.type/.cpu, zero_/fill_/copy_, new_*.

Casts record ToCopyBackward0 (and return `self` unchanged when nothing changes, as torch does);
the writes are in-place rows with torch's node names (ZeroBackward0, FillBackward2, CopyBackwards).
"""

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call, check_inplace, inplace
from .._tensor import CPU, Tensor, device
from . import factory
from .pointwise import _to_copy, cast
from ._registry import op
from ._surface import method

_TYPE_NAMES = {
    _dtypes.float32: "FloatTensor", _dtypes.float64: "DoubleTensor", _dtypes.float16: "HalfTensor",
    _dtypes.bfloat16: "BFloat16Tensor", _dtypes.int64: "LongTensor", _dtypes.int32: "IntTensor",
    _dtypes.int16: "ShortTensor", _dtypes.int8: "CharTensor", _dtypes.uint8: "ByteTensor",
    _dtypes.bool_: "BoolTensor", _dtypes.complex64: "ComplexFloatTensor",
    _dtypes.complex128: "ComplexDoubleTensor",
}
_BY_TYPE_NAME = {"torch." + v: k for k, v in _TYPE_NAMES.items()}


def _no_cuda(dev):
    d = device(dev) if not isinstance(dev, device) else dev
    if d.type != "cpu":
        raise AssertionError("Torch not compiled with CUDA enabled")


@method("to")
def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False, memory_format=None):
    for a in args:
        if isinstance(a, _dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif a is not None and not isinstance(a, bool):
            device = a
    if device is not None:
        _no_cuda(device)
    if dtype is None or dtype is self.dtype:
        return call(_to_copy, (self,), (("dtype", self.dtype),)) if copy else self
    return cast(self, dtype)


def _caster(dt):
    def m(self, memory_format=None):
        return cast(self, dt)
    return m


for _name, _dt in (("float", _dtypes.float32), ("double", _dtypes.float64),
                   ("half", _dtypes.float16), ("bfloat16", _dtypes.bfloat16),
                   ("long", _dtypes.int64), ("int", _dtypes.int32), ("short", _dtypes.int16),
                   ("char", _dtypes.int8), ("byte", _dtypes.uint8), ("bool", _dtypes.bool_),
                   ("cfloat", _dtypes.complex64), ("cdouble", _dtypes.complex128)):
    setattr(Tensor, _name, _caster(_dt))


@method("type")
def type_(self, dtype=None, non_blocking=False):
    if dtype is None:
        return "torch." + _TYPE_NAMES[self.dtype]
    if isinstance(dtype, str):
        if dtype not in _BY_TYPE_NAME:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = _BY_TYPE_NAME[dtype]
    return cast(self, dtype)


@method("type_as")
def type_as(self, other):
    return cast(self, other.dtype)


@method("cpu")
def cpu(self, memory_format=None):
    return self


@method("cuda")
def cuda(self, device=None, non_blocking=False, memory_format=None):
    raise AssertionError("Torch not compiled with CUDA enabled")


Tensor.is_cpu = property(lambda self: True)
Tensor.device = property(lambda self: CPU)


# ---- whole-tensor writes -------------------------------------------------------------------------

@op("zero", node="ZeroBackward0", saves=False)
def _zero(x):
    return jnp.zeros_like(x)


@op("fill", node="FillBackward2", saves=False, arity=1)
def _fill(x, value):
    return jnp.full_like(x, value)


@op("fill_tensor", node="FillBackward3", saves=False, arity=1)
def _fill_tensor(x, value):
    return jnp.broadcast_to(value.astype(x.dtype), x.shape)


@op("copy", node="CopyBackwards", saves=False, broadcast=True)
def _copy(x, src):
    return jnp.broadcast_to(src.astype(x.dtype), x.shape)


@method("zero_")
def zero_(self):
    check_inplace(self)
    return inplace(self, call(_zero, (self,)))


@method("fill_")
def fill_(self, value):
    check_inplace(self)
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.dim()} dimensions.")
        return inplace(self, call(_fill_tensor, (self, value)))
    return inplace(self, cast(call(_fill, (self, value)), self.dtype))


@method("copy_")
def copy_(self, src, non_blocking=False):
    check_inplace(self)
    if not isinstance(src, Tensor):
        src = factory.tensor(src)
    r = call(_copy, (self, src))
    if r.shape != self.shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast "
                           f"shape {list(r.shape)}")
    return inplace(self, cast(r, self.dtype) if r.dtype is not self.dtype else r)


# ---- new_* -------------------------------------------------------------------------------------

@method("new_tensor")
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return factory.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _new(fn):
    def m(self, *size, dtype=None, device=None, requires_grad=False, **kw):
        return fn(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)
    return m


Tensor.new_zeros = _new(factory.zeros)
Tensor.new_ones = _new(factory.ones)
Tensor.new_empty = _new(factory.empty)


@method("new_full")
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return factory.full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)
