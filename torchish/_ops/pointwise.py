"""Elementwise ops: unary math, binary arithmetic with reflected and in-place forms, comparisons.

Families are built by small factories, one table row per torch overload. Where JAX's derivative
differs from torch's at a kink, the impl is written so its natural derivative is torch's
(`# torch:` comments say which).
"""

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from .._tensor import Tensor
from . import _surface
from ._registry import ALWAYS_BOOL, DEFAULT, INT_TO_FLOAT, op
from ._surface import function, inplace_method, method, reflected


def scalar(x):
    """Python number from a numpy scalar; everything else unchanged."""
    return x.item() if isinstance(x, np.generic) else x


def _operand(x):
    if isinstance(x, Tensor) or isinstance(x, (bool, int, float, complex)):
        return x
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


# ---- unary -----------------------------------------------------------------------------------

def _unary(name, impl, node, promote=INT_TO_FLOAT, saves=True, inplace=True, methods=True):
    row = op(name, node=node, promote=promote, saves=saves)(impl)

    def fn(input):
        return call(row, (input,))
    fn.__name__ = name
    function(name)(fn)
    if methods:
        method(name)(fn)
    if inplace:
        inplace_method(name + "_", fn)
    return row


def _relu(x):
    return jnp.where(x > 0, x, jnp.zeros((), x.dtype))  # torch: gradient 0 at 0


def _abs(x):
    return x * jnp.sign(x) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.abs(x)  # torch: 0 at 0


UNARY_FLOAT = [
    ("exp", jnp.exp, "ExpBackward0"), ("exp2", jnp.exp2, "Exp2Backward0"),
    ("log", jnp.log, "LogBackward0"), ("log2", jnp.log2, "Log2Backward0"),
    ("log10", jnp.log10, "Log10Backward0"), ("log1p", jnp.log1p, "Log1PBackward0"),
    ("expm1", jnp.expm1, "Expm1Backward0"), ("sqrt", jnp.sqrt, "SqrtBackward0"),
    ("rsqrt", jax.lax.rsqrt, "RsqrtBackward0"), ("sin", jnp.sin, "SinBackward0"),
    ("cos", jnp.cos, "CosBackward0"), ("tan", jnp.tan, "TanBackward0"),
    ("asin", jnp.arcsin, "AsinBackward0"), ("acos", jnp.arccos, "AcosBackward0"),
    ("atan", jnp.arctan, "AtanBackward0"), ("sinh", jnp.sinh, "SinhBackward0"),
    ("cosh", jnp.cosh, "CoshBackward0"), ("tanh", jnp.tanh, "TanhBackward0"),
    ("asinh", jnp.arcsinh, "AsinhBackward0"), ("acosh", jnp.arccosh, "AcoshBackward0"),
    ("atanh", jnp.arctanh, "AtanhBackward0"), ("sigmoid", jax.nn.sigmoid, "SigmoidBackward0"),
    ("erf", jax.scipy.special.erf, "ErfBackward0"),
    ("erfc", jax.scipy.special.erfc, "ErfcBackward0"),
    ("erfinv", jax.scipy.special.erfinv, "ErfinvBackward0"),
    ("reciprocal", jnp.reciprocal, "ReciprocalBackward0"),
    ("lgamma", jax.scipy.special.gammaln, "LgammaBackward0"),
    ("digamma", jax.scipy.special.digamma, "DigammaBackward0"),
]
for _n, _f, _node in UNARY_FLOAT:
    _unary(_n, _f, _node)

UNARY_SAME = [
    ("neg", jnp.negative, "NegBackward0", False), ("abs", _abs, "AbsBackward0", True),
    ("sign", jnp.sign, "SignBackward0", False), ("floor", jnp.floor, "FloorBackward0", False),
    ("ceil", jnp.ceil, "CeilBackward0", False), ("trunc", jnp.trunc, "TruncBackward0", False),
    ("frac", lambda x: x - jnp.trunc(x), "FracBackward0", False),
    ("relu", _relu, "ReluBackward0", True),
]
for _n, _f, _node, _saves in UNARY_SAME:
    _unary(_n, _f, _node, promote=DEFAULT, saves=_saves)
FUNCTIONS = _surface.FUNCTIONS
FUNCTIONS["negative"] = FUNCTIONS["neg"]
FUNCTIONS["absolute"] = FUNCTIONS["abs"]
Tensor.negative = Tensor.neg
Tensor.__neg__ = Tensor.neg
Tensor.__abs__ = Tensor.abs
Tensor.__pos__ = lambda self: self


@op("round", node="RoundBackward0", promote=DEFAULT, saves=False)
def _round(x, decimals=0):
    return jnp.round(x, decimals)


@function("round")
@method("round")
def round_(input, decimals=0):
    return call(_round, (input,), (("decimals", decimals),) if decimals else ())


inplace_method("round_", round_)


@op("clamp", node="ClampBackward1", promote=DEFAULT, arity=1)
def _clamp(x, lo, hi):
    # torch: gradient 1 on the bounds themselves (jnp.clip gives 0.5)
    if lo is not None:
        x = jnp.where(x < lo, lo, x)
    if hi is not None:
        x = jnp.where(x > hi, hi, x)
    return x


@op("clamp_min", node="ClampMinBackward0", promote=DEFAULT, arity=1)
def _clamp_min(x, lo):
    return jnp.where(x < lo, lo, x)


@op("clamp_max", node="ClampMaxBackward0", promote=DEFAULT, arity=1)
def _clamp_max(x, hi):
    return jnp.where(x > hi, hi, x)


@function("clamp", "clip")
@method("clamp", "clip")
def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    if max is None:
        return call(_clamp_min, (input, scalar(min)))
    if min is None:
        return call(_clamp_max, (input, scalar(max)))
    return call(_clamp, (input, scalar(min), scalar(max)))


inplace_method("clamp_", clamp)
inplace_method("clip_", clamp)


# ---- casts -----------------------------------------------------------------------------------

@op("to_copy", node="ToCopyBackward0", saves=False)
def _to_copy(x, dtype):
    return x.astype(dtype.np)


def cast(t, dtype):
    """`t` converted to `dtype` (a new ToCopyBackward0 node), or `t` itself if already so."""
    if t._v.dtype is dtype:
        return t
    return call(_to_copy, (t,), (("dtype", dtype),))


# ---- binary ----------------------------------------------------------------------------------

def _binary(name, impl, node, promote=DEFAULT, saves=True, rnode=None, dunder=None,
            rimpl=None, inplace=True):
    row = op(name, node=node, promote=promote, saves=saves, broadcast=True)(impl)

    def fn(input, other):
        return call(row, (_operand(input), _operand(other)))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    if inplace:
        inplace_method(name + "_", fn)
    if dunder:
        setattr(Tensor, f"__{dunder}__", fn)
        setattr(Tensor, f"__r{dunder}__", reflected(fn))
        if inplace:
            setattr(Tensor, f"__i{dunder}__", getattr(Tensor, name + "_"))
    return fn


def _alpha_row(name, impl, node, saves):
    return op(name, node=node, promote=DEFAULT, promote_args=(0, 1), arity=2, saves=saves,
              broadcast=True)(impl)


_add_alpha = _alpha_row("add_alpha", lambda x, y, a: x + y * a.astype(y.dtype), "AddBackward0",
                        False)
_sub_alpha = _alpha_row("sub_alpha", lambda x, y, a: x - y * a.astype(y.dtype), "SubBackward0",
                        False)
_add = op("add", node="AddBackward0", promote=DEFAULT, saves=False, broadcast=True)(jnp.add)
_sub = op("sub", node="SubBackward0", promote=DEFAULT, saves=False, broadcast=True)(jnp.subtract)
_rsub_scalar = op("rsub_scalar", node="RsubBackward1", promote=DEFAULT, arity=1, saves=False,
                  broadcast=True)(lambda x, s: s - x)


def _is_bool(x):
    return x._v.dtype is _dtypes.bool_ if isinstance(x, Tensor) else isinstance(x, bool)


def _check_sub(x, y):
    # torch: sub_check, with Python scalars as wrapped tensors
    if _is_bool(x) and _is_bool(y):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if _is_bool(x) or _is_bool(y):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def unsupported(kernel, x, *kinds):
    """torch's missing-kernel error, raised from an impl at trace time (x: the computed array)."""
    d = _dtypes.from_np(x.dtype)
    if d._kind in kinds or d in kinds:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtypes.SCALAR_NAMES[d]}\'')


@function("add")
@method("add")
def add(input, other, *, alpha=1):
    input, other = _operand(input), _operand(other)
    if not isinstance(input, Tensor):
        input, other = other, input
    if alpha != 1:
        return call(_add_alpha, (input, other, scalar(alpha)))
    return call(_add, (input, other))


@function("sub", "subtract")
@method("sub", "subtract")
def sub(input, other, *, alpha=1):
    input, other = _operand(input), _operand(other)
    _check_sub(input, other)
    if not isinstance(input, Tensor):
        return call(_rsub_scalar, (other, input)) if alpha == 1 else add(-alpha * other, input)
    if alpha != 1:
        return call(_sub_alpha, (input, other, scalar(alpha)))
    return call(_sub, (input, other))


@function("rsub")
def rsub(input, other, *, alpha=1):
    if isinstance(other, Tensor):
        return call(_rsub, (input, other))
    return call(_rsub_scalar, (input, scalar(other)))


_rsub = op("rsub", node="RsubBackward0", promote=DEFAULT, saves=False, broadcast=True)(
    lambda x, y: y - x)

Tensor.__add__ = Tensor.__radd__ = add
Tensor.__sub__ = sub
Tensor.__rsub__ = lambda self, other: sub(other, self)
inplace_method("add_", add)
inplace_method("sub_", sub)
inplace_method("subtract_", sub)
Tensor.__iadd__ = Tensor.add_
Tensor.__isub__ = Tensor.sub_

mul = _binary("mul", jnp.multiply, "MulBackward0", dunder="mul")
FUNCTIONS["multiply"] = mul
Tensor.multiply = mul
Tensor.__rmul__ = mul

_div = op("div", node="DivBackward0", promote=INT_TO_FLOAT, broadcast=True)(jnp.true_divide)
_div_floor = op("div_floor", node="DivBackward2", promote=DEFAULT, broadcast=True)(
    lambda x, y: jnp.floor_divide(x, y) if jnp.issubdtype(x.dtype, jnp.integer)
    else jnp.floor(x / y))
_div_trunc = op("div_trunc", node="DivBackward2", promote=DEFAULT, broadcast=True)(
    lambda x, y: jnp.trunc(x / y).astype(x.dtype) if jnp.issubdtype(x.dtype, jnp.floating)
    else jax.lax.div(x, y))


@function("div", "divide", "true_divide")
@method("div", "divide", "true_divide")
def div(input, other, *, rounding_mode=None):
    input, other = _operand(input), _operand(other)
    if rounding_mode is None:
        if not isinstance(input, Tensor):
            return mul(reciprocal(other), input)  # torch: scalar / t records t.reciprocal() * s
        return call(_div, (input, other))
    row = {"floor": _div_floor, "trunc": _div_trunc}.get(rounding_mode)
    if row is None:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{rounding_mode}'")
    return call(row, (input, other))


reciprocal = FUNCTIONS["reciprocal"]
Tensor.__truediv__ = Tensor.__div__ = div
Tensor.__rtruediv__ = Tensor.__rdiv__ = lambda self, other: div(other, self)
for _n in ("div_", "divide_", "true_divide_"):
    inplace_method(_n, div)
Tensor.__itruediv__ = Tensor.div_

def _floor_divide(x, y):
    unsupported("div_floor_cpu", x, 0, 3)
    return jnp.floor_divide(x, y)


floor_divide = _binary("floor_divide", _floor_divide, None, dunder="floordiv")
remainder = _binary("remainder", jnp.remainder, "RemainderBackward0", dunder="mod")
fmod = _binary("fmod", jnp.fmod, "FmodBackward0")
maximum = _binary("maximum", jnp.maximum, "MaximumBackward0", inplace=False)
minimum = _binary("minimum", jnp.minimum, "MinimumBackward0", inplace=False)
atan2 = _binary("atan2", jnp.arctan2, "Atan2Backward0", promote=INT_TO_FLOAT)
FUNCTIONS["arctan2"] = atan2

# ---- pow ---------------------------------------------------------------------------------------

def _pow_scalar_impl(x, s):
    if x.dtype == jnp.bool_:
        return jnp.where(s, x, True)  # torch: exponent True copies, False fills with ones
    return jnp.power(x, s)


def _pow_tensor_impl(x, y):
    unsupported("pow", x, 0)
    return jnp.power(x, y)


def _rpow_impl(x, s):
    unsupported("pow", x, 0)
    return jnp.power(s, x)


_pow_int = op("pow_int", node="PowBackward0", promote=DEFAULT)(
    lambda x, n: jax.lax.integer_pow(x, n))
_pow_scalar = op("pow_scalar", node="PowBackward0", promote=DEFAULT, arity=1, broadcast=True)(
    _pow_scalar_impl)
_pow_tensor = op("pow_tensor", node="PowBackward1", promote=DEFAULT, broadcast=True)(
    _pow_tensor_impl)
_rpow = op("rpow", node="PowBackward2", promote=DEFAULT, arity=1, broadcast=True)(_rpow_impl)


@function("pow")
@method("pow")
def pow(input, exponent):
    input, exponent = _operand(input), _operand(exponent)
    if not isinstance(input, Tensor):
        return call(_rpow, (exponent, input))
    if isinstance(exponent, Tensor):
        return call(_pow_tensor, (input, exponent))
    kind = input._v.dtype._kind
    if isinstance(exponent, bool) or not isinstance(exponent, int) or kind == 0:
        return call(_pow_scalar, (input, exponent))
    if exponent < 0 and kind == 1:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return call(_pow_int, (input,), (("n", exponent),))


Tensor.__pow__ = pow
Tensor.__rpow__ = lambda self, other: pow(other, self)
inplace_method("pow_", pow)
Tensor.__ipow__ = Tensor.pow_


@function("square")
@method("square")
def square(input):
    return pow(input, 2)


inplace_method("square_", square)


# ---- comparisons and logic ---------------------------------------------------------------------

def _compare(name, impl, dunder=None, aliases=()):
    fn = _binary(name, impl, None, promote=ALWAYS_BOOL)
    for a in aliases:
        FUNCTIONS[a] = fn
        setattr(Tensor, a, fn)
    if dunder:
        setattr(Tensor, f"__{dunder}__", fn)
    return fn


def _ordered(name, impl):
    def checked(x, y):
        unsupported(f"{name}_cpu", x, 3)  # torch: complex numbers are not ordered
        return impl(x, y)
    return checked


eq = _compare("eq", jnp.equal, "eq")
ne = _compare("ne", jnp.not_equal, "ne", ("not_equal",))
lt = _compare("lt", _ordered("lt", jnp.less), "lt", ("less",))
le = _compare("le", _ordered("le", jnp.less_equal), "le", ("less_equal",))
gt = _compare("gt", _ordered("gt", jnp.greater), "gt", ("greater",))
ge = _compare("ge", _ordered("ge", jnp.greater_equal), "ge", ("greater_equal",))
logical_and = _compare("logical_and", jnp.logical_and)
logical_or = _compare("logical_or", jnp.logical_or)
logical_xor = _compare("logical_xor", jnp.logical_xor)
_unary("logical_not", jnp.logical_not, None, promote=ALWAYS_BOOL)
_unary("isnan", jnp.isnan, None, promote=None, inplace=False)
_unary("isinf", jnp.isinf, None, promote=None, inplace=False)
_unary("isfinite", jnp.isfinite, None, promote=None, inplace=False)


def _bitwise(name, impl, dunder):
    def checked(x, y):
        if jnp.issubdtype(x.dtype, jnp.inexact):
            raise TypeError(f'"{name}_cpu" not implemented for \'Float\'')
        return impl(x, y)
    return _binary(name, checked, None, dunder=dunder)


bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and, "and")
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or, "or")
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor, "xor")
_unary("bitwise_not", jnp.invert, None, promote=None)
Tensor.__invert__ = Tensor.bitwise_not


@op("where", node="WhereBackward0", promote=DEFAULT, promote_args=(0, 1), arity=2,
    broadcast=True)
def _where(x, y, cond):
    return jnp.where(cond, x, y)


@function("where")
def where(condition, input=None, other=None):
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition._v.dtype is not _dtypes.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_dtypes.SCALAR_NAMES[condition._v.dtype]}")
    return call(_where, (_operand(input), _operand(other), condition))


Tensor.where = lambda self, condition, other: where(condition, self, other)


@op("lerp", node="LerpBackward0", promote=DEFAULT, arity=2, broadcast=True)
def _lerp(x, y, w):
    return x + w * (y - x)


@function("lerp")
@method("lerp")
def lerp(input, end, weight):
    return call(_lerp, (input, end, _operand(weight)))
