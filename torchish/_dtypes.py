"""torch dtype objects, the default dtype, and torch's type promotion.

The one place that turns on JAX's x64 mode (torch's int64/float64 must be real 64-bit); every array
torchish creates therefore gets an explicit dtype, so the default float stays float32.
"""

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


class dtype:
    """A torch dtype: `torch.float32` etc. Compared by identity; one object per dtype."""

    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize", "_kind")

    def __init__(self, name, np_dtype, kind):
        self.name = name
        self.np = np.dtype(np_dtype)
        self._kind = kind  # 0 bool, 1 integral, 2 floating, 3 complex: torch's promotion categories
        self.is_floating_point = kind == 2
        self.is_complex = kind == 3
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = self.np.itemsize

    def __repr__(self):
        return "torch." + self.name

    def to_real(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        if self._kind == 3:
            return self
        if self is float16:
            raise NotImplementedError(COMPLEX32)
        if self._kind != 2:
            raise RuntimeError(f"Unknown Complex ScalarType for {SCALAR_NAMES[self]}")
        return complex128 if self is float64 else complex64  # torch: bfloat16 -> complex64

    def __reduce__(self):
        return (_by_name, (self.name,))


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
bfloat16 = dtype("bfloat16", jnp.bfloat16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
complex64 = dtype("complex64", np.complex64, 3)
complex128 = dtype("complex128", np.complex128, 3)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
       complex64, complex128)
# torch's aliases, exported as torch.<alias>
ALIASES = {
    "bool": bool_, "uint8": uint8, "int8": int8, "int16": int16, "short": int16, "int32": int32,
    "int": int32, "int64": int64, "long": int64, "float16": float16, "half": float16,
    "bfloat16": bfloat16, "float32": float32, "float": float32, "float64": float64,
    "double": float64, "complex64": complex64, "cfloat": complex64, "complex128": complex128,
    "cdouble": complex128,
}
_BY_NP = {d.np: d for d in ALL}


COMPLEX32 = "torchish: complex32 (torch.chalf) is not supported: JAX has no complex half type"


def _by_name(name):
    return ALIASES[name]


def from_np(np_dtype) -> dtype:
    """The torch dtype of a numpy/jax dtype."""
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only "
                        "supported types are: float64, float32, float16, complex64, complex128, "
                        "int64, int32, int16, int8, uint8, and bool.") from None


# ---- default dtype -------------------------------------------------------------------------

_default = [float32]


def get_default_dtype() -> dtype:
    return _default[0]


def set_default_dtype(d: dtype) -> None:
    if d not in (float16, bfloat16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    if d is not _default[0]:
        _default[0] = d
        # cached op metadata (compute dtypes of int_to_float ops, ...) assumed the old default
        from ._ops._registry import OPS
        for o in OPS.values():
            o.meta.clear()


def default_complex() -> dtype:
    """torch's default complex dtype: the complex type of the default float."""
    return _default[0].to_complex()


def is_floating_point(t) -> bool:
    return t.dtype.is_floating_point


# ---- promotion -----------------------------------------------------------------------------

_promote_cache = {}


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the lattice agrees with JAX's for non-weak types (checked)."""
    if a is b:
        return a
    key = (a, b)
    r = _promote_cache.get(key)
    if r is None:
        r = _promote_cache[key] = _BY_NP[np.dtype(jnp.promote_types(a.np, b.np))]
    return r


def _combine(higher, lower):
    # torch: c10 ResultTypeState combine_categories: a lower-priority participant only wins
    # when it is of a higher category (bool < integral < floating < complex).
    if higher is None:
        return lower
    if lower is None or higher._kind == 3:
        return higher
    if lower._kind == 3:
        return higher.to_complex() if higher._kind == 2 else lower
    if higher._kind == 2:
        return higher
    if higher is bool_ or lower._kind == 2:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(x) -> dtype:
    """The dtype torch gives a Python number used as a wrapped-number operand."""
    if isinstance(x, bool):
        return bool_
    if isinstance(x, int):
        return int64
    if isinstance(x, float):
        return _default[0]
    if isinstance(x, complex):
        return default_complex()
    raise TypeError(f"unsupported scalar {type(x).__name__}")


def result_type(dims, zeros, scalars) -> dtype:
    """torch.result_type from the dtypes of dim>0 tensors, 0-d tensors and Python scalars."""
    d = z = s = None
    for t in dims:
        d = t if d is None else promote_types(d, t)
    for t in zeros:
        z = t if z is None else promote_types(z, t)
    for t in scalars:
        s = t if s is None else promote_types(s, t)
    return _combine(d, _combine(z, s))


# ---- finfo / iinfo -------------------------------------------------------------------------

# torch: resolution is 10 ** -std::numeric_limits<T>::digits10
_DIGITS10 = {"float16": 3, "bfloat16": 2, "float32": 6, "float64": 15}


class finfo:
    """torch.finfo."""

    def __init__(self, type=None):
        type = type or _default[0]
        if not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                            "to handle 'torch.finfo'")
        self.dtype = type.to_real().name
        f = jnp.finfo(type.to_real().np)
        self.bits = f.bits
        self.eps = float(f.eps)
        self.max = float(f.max)
        self.min = float(f.min)
        self.tiny = self.smallest_normal = float(f.tiny)
        self.resolution = 10.0 ** -_DIGITS10[self.dtype]

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """torch.iinfo."""

    def __init__(self, type):
        if type.is_floating_point or type.is_complex:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        if type is bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        self.dtype = type.name
        i = np.iinfo(type.np)
        self.bits, self.max, self.min = i.bits, int(i.max), int(i.min)

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


# torch's ScalarType names, used in its error messages ("result type Float can't be cast ...")
SCALAR_NAMES = {
    bool_: "Bool", uint8: "Byte", int8: "Char", int16: "Short", int32: "Int", int64: "Long",
    float16: "Half", bfloat16: "BFloat16", float32: "Float", float64: "Double",
    complex64: "ComplexFloat", complex128: "ComplexDouble",
}


def can_cast(frm: dtype, to: dtype) -> bool:
    """torch.can_cast: no category may be lowered (float -> int, complex -> float, x -> bool)."""
    return frm._kind <= to._kind
