"""Elementwise ops, binary half: arithmetic with alpha, reflected and in-place forms, division
rounding modes, pow, where, lerp/addcmul/addcdiv. Comparisons, logical and bitwise ops live in
`logical.py`, imported at the end.

torch has separate overloads (and grad_fn names) for a Python-scalar operand in some ops
(remainder.Scalar -> RemainderBackward0, one edge) and wraps the scalar as a tensor in others
(mul -> MulBackward0, edges (self, None)); each row says which.
"""

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from .._tensor import Tensor
from ._exact import exact_divide
from ._registry import DEFAULT, INT_TO_FLOAT, op
from ._surface import FUNCTIONS, function, inplace_method, method
from .pointwise import alias, scalar, unsupported

NUMBER = (bool, int, float, complex)


def _operand(x):
    if isinstance(x, Tensor) or isinstance(x, NUMBER):
        return x
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


def _not_implemented(aten, impl):
    """An impl whose backward raises torch's error: torch records a `NotImplemented` node."""
    @jax.custom_vjp
    def f(x, y):
        return impl(x, y)

    def bwd(res, g):
        raise RuntimeError(f"derivative for aten::{aten} is not implemented")
    f.defvjp(lambda x, y: (impl(x, y), None), bwd)
    return f


def _zero_division(input, other):
    # torch: integer division by zero is an error (checked here for Python-scalar divisors)
    if (isinstance(other, int) and not isinstance(other, bool) and other == 0
            and isinstance(input, Tensor) and input._v.dtype._kind <= 1):
        raise RuntimeError("ZeroDivisionError")


def _binary(name, impl, node, promote=DEFAULT, saves=True, dunder=None, inplace=True,
            snode=None, rimpl=None, rnode=None, commutative=False):
    """torch.<name>, Tensor.<name>[_] and the dunders. `snode`: a Python-scalar `other` uses the
    Scalar overload (one edge, that node); `rimpl`/`rnode`: the reflected scalar-first form."""
    row = op(name, node=node, promote=promote, saves=saves, broadcast=True)(impl)
    srow = (op(name + ".Scalar", node=snode, promote=promote, saves=saves, arity=1)(impl)
            if snode else None)
    rrow = (op("r" + name, node=rnode, promote=promote, saves=saves, arity=1)(rimpl)
            if rimpl else None)

    def fn(input, other):
        if isinstance(input, Tensor):  # the common cases first: tensor with tensor, or float
            if isinstance(other, Tensor):
                return call(row, (input, other))
            if type(other) is float:
                return call(srow if srow is not None else row, (input, other))
        input, other = _operand(input), _operand(other)
        if rrow is not None and not isinstance(input, Tensor):
            return call(rrow, (other, input))
        if srow is not None and not isinstance(other, Tensor):
            _zero_division(input, other)
            return call(srow, (input, other))
        return call(row, (input, other))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    if inplace:
        inplace_method(name + "_", fn)
    if dunder:
        setattr(Tensor, f"__{dunder}__", fn)
        # torch: __rmul__ etc. call the op with self first
        rfn = fn if commutative else (lambda self, other: fn(other, self))
        setattr(Tensor, f"__r{dunder}__", rfn)
        if inplace:
            setattr(Tensor, f"__i{dunder}__", getattr(Tensor, name + "_"))
    return fn


# ---- add / sub -------------------------------------------------------------------------------

def _alpha_row(name, impl, node):
    return op(name, node=node, promote=DEFAULT, promote_args=(0, 1), arity=2, saves=False,
              broadcast=True, linear=True)(impl)


_add_alpha = _alpha_row("add_alpha", lambda x, y, a: x + y * jnp.asarray(a, y.dtype),
                        "AddBackward0")
_sub_alpha = _alpha_row("sub_alpha", lambda x, y, a: x - y * jnp.asarray(a, y.dtype),
                        "SubBackward0")
_add = op("add", node="AddBackward0", promote=DEFAULT, saves=False, broadcast=True,
          linear=True)(jnp.add)
_sub = op("sub", node="SubBackward0", promote=DEFAULT, saves=False, broadcast=True,
          linear=True)(jnp.subtract)
_rsub = op("rsub", node="RsubBackward0", promote=DEFAULT, saves=False, broadcast=True,
           linear=True)(
    lambda x, y: y - x)
_rsub_alpha = _alpha_row("rsub_alpha", lambda x, y, a: y - x * jnp.asarray(a, x.dtype),
                         "RsubBackward0")
_rsub_scalar = op("rsub_scalar", node="RsubBackward1", promote=DEFAULT, arity=1, saves=False,
                  broadcast=True)(lambda x, s: s - x)
_rsub_scalar_alpha = op("rsub_scalar_alpha", node="RsubBackward1", promote=DEFAULT,
                        promote_args=(0, 1), arity=1, saves=False)(
    lambda x, s, a: s - x * jnp.asarray(a, x.dtype))


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


def _check_alpha(x, y, alpha):
    kinds = [t._v.dtype._kind if isinstance(t, Tensor) else 2 * isinstance(t, float)
             for t in (x, y)]
    if isinstance(alpha, float) and max(kinds) < 2:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


@function("add")
@method("add")
def add(input, other, *, alpha=1):
    if alpha == 1 and isinstance(input, Tensor) and isinstance(other, Tensor):
        return call(_add, (input, other))
    input, other = _operand(input), _operand(other)
    if not isinstance(input, Tensor):
        input, other = other, input
    if alpha != 1:
        _check_alpha(input, other, scalar(alpha))
        return call(_add_alpha, (input, other, scalar(alpha)))
    return call(_add, (input, other))


@function("sub", "subtract")
@method("sub", "subtract")
def sub(input, other, *, alpha=1):
    if (alpha == 1 and isinstance(input, Tensor) and isinstance(other, Tensor)
            and input._v.dtype is not _dtypes.bool_ and other._v.dtype is not _dtypes.bool_):
        return call(_sub, (input, other))
    input, other = _operand(input), _operand(other)
    _check_sub(input, other)
    if not isinstance(input, Tensor):
        return rsub(other, input, alpha=alpha)
    if alpha != 1:
        _check_alpha(input, other, scalar(alpha))
        return call(_sub_alpha, (input, other, scalar(alpha)))
    return call(_sub, (input, other))


@function("rsub")
def rsub(input, other, *, alpha=1):
    other = _operand(other)
    _check_sub(input, other)
    if alpha != 1:
        _check_alpha(input, other, scalar(alpha))
        row = _rsub_alpha if isinstance(other, Tensor) else _rsub_scalar_alpha
        return call(row, (input, other, scalar(alpha)))
    return call(_rsub if isinstance(other, Tensor) else _rsub_scalar, (input, other))


Tensor.__add__ = Tensor.__radd__ = add
Tensor.__sub__ = sub
Tensor.__rsub__ = lambda self, other: rsub(self, other)
for _n, _f in (("add_", add), ("sub_", sub), ("subtract_", sub)):
    inplace_method(_n, _f)
Tensor.__iadd__ = Tensor.add_
Tensor.__isub__ = Tensor.sub_

# ---- mul / div -------------------------------------------------------------------------------

mul = _binary("mul", jnp.multiply, "MulBackward0", dunder="mul", commutative=True)
alias("multiply", "mul")


def _floor_div_float(x, y):
    # torch: c10::div_floor_floating (floor of the exact quotient, via fmod), not floor(x / y)
    mod = jnp.fmod(x, y)
    q = (x - mod) / y
    q = jnp.where((mod != 0) & ((y < 0) != (mod < 0)), q - 1, q)
    fl = jnp.floor(q)
    fl = jnp.where(q - fl > 0.5, fl + 1, fl)
    fl = jnp.where(q != 0, fl, jnp.copysign(jnp.zeros_like(q), x / y))
    return jnp.where(y == 0, x / y, fl)


def _div_floor_impl(x, y):
    unsupported("div_floor_cpu", x, 0, 3)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return jnp.floor_divide(x, y)
    return jax.lax.stop_gradient(_floor_div_float(x, y))  # torch: a rounded quotient has grad 0


def _div_trunc_impl(x, y):
    unsupported("div_trunc_cpu", x, 0, 3)
    if jnp.issubdtype(x.dtype, jnp.integer):
        x, y = jnp.broadcast_arrays(x, y)
        return jax.lax.div(x, y)
    return jax.lax.stop_gradient(jnp.trunc(x / y))


_div = op("div", node="DivBackward0", promote=INT_TO_FLOAT, broadcast=True)(exact_divide)
_div_floor = op("div_floor", node="DivBackward2", promote=DEFAULT, broadcast=True)(
    _div_floor_impl)
_div_trunc = op("div_trunc", node="DivBackward2", promote=DEFAULT, broadcast=True)(
    _div_trunc_impl)


@function("div", "divide", "true_divide")
@method("div", "divide", "true_divide")
def div(input, other, *, rounding_mode=None):
    input, other = _operand(input), _operand(other)
    if rounding_mode is None:
        if not isinstance(input, Tensor):
            # torch: scalar / t records t.reciprocal() * scalar
            return mul(FUNCTIONS["reciprocal"](other), input)
        return call(_div, (input, other))
    row = {"floor": _div_floor, "trunc": _div_trunc}.get(rounding_mode)
    if row is None:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{rounding_mode}'")
    _zero_division(input, other)
    return call(row, (input, other))


Tensor.__truediv__ = Tensor.__div__ = div
Tensor.__rtruediv__ = Tensor.__rdiv__ = lambda self, other: div(other, self)
for _n in ("div_", "divide_", "true_divide_"):
    inplace_method(_n, div)
Tensor.__itruediv__ = Tensor.div_

_floor_divide = _not_implemented("floor_divide", _div_floor_impl)
floor_divide = _binary("floor_divide", _floor_divide, "NotImplemented", dunder="floordiv",
                       snode="NotImplemented", rnode="NotImplemented",
                       rimpl=lambda x, s: _floor_divide(s, x))


def _remainder(x, y):
    unsupported("remainder_cpu", x, 0, 3)
    return jnp.remainder(x, y)


def _fmod(x, y):
    unsupported("fmod_cpu", x, 0, 3)
    return jnp.fmod(x, y)


remainder = _binary("remainder", _remainder, "RemainderBackward1", dunder="mod",
                    snode="RemainderBackward0", rnode="NotImplemented",
                    rimpl=_not_implemented("remainder", lambda x, s: _remainder(s, x)))
fmod = _binary("fmod", _fmod, "FmodBackward1", snode="FmodBackward0")


def _fmax(x, y):
    # torch: fmax/fmin ignore NaN (the other operand wins)
    return jnp.where(jnp.isnan(y) | (x >= y), x, y)


def _fmin(x, y):
    return jnp.where(jnp.isnan(y) | (x <= y), x, y)


def _xlogy(x, y):
    # torch: 0 where x == 0 (unless y is NaN)
    safe = jnp.where(x == 0, 1, y)
    return jnp.where((x == 0) & ~jnp.isnan(y), 0, x * jnp.log(safe))


def _no_complex_impl(name, impl):
    def checked(x, y):
        if jnp.issubdtype(x.dtype, jnp.complexfloating):
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return impl(x, y)
    return checked


maximum = _binary("maximum", _no_complex_impl("maximum", jnp.maximum), "MaximumBackward0",
                  inplace=False)
minimum = _binary("minimum", _no_complex_impl("minimum", jnp.minimum), "MinimumBackward0",
                  inplace=False)
fmax = _binary("fmax", _fmax, "FmaxBackward0", inplace=False)
fmin = _binary("fmin", _fmin, "FminBackward0", inplace=False)
atan2 = _binary("atan2", jnp.arctan2, "Atan2Backward0", promote=INT_TO_FLOAT)
alias("arctan2", "atan2")
hypot = _binary("hypot", jnp.hypot, "HypotBackward0")
copysign = _binary("copysign", jnp.copysign, "CopysignBackward0", promote=INT_TO_FLOAT)
xlogy = _binary("xlogy", _xlogy, "XlogyBackward0", promote=INT_TO_FLOAT)


def _int_only(name, impl):
    def checked(x, y):
        unsupported(f"{name}_cpu", x, 0, 2, 3)
        return impl(x, y)
    return checked


gcd = _binary("gcd", _int_only("gcd", jnp.gcd), None)
lcm = _binary("lcm", _int_only("lcm", jnp.lcm), None)
heaviside = _binary("heaviside", _not_implemented("heaviside", jnp.heaviside), "NotImplemented")


def _ldexp_impl(x, e):
    out = x * jnp.exp2(e.astype(x.dtype))
    if not jnp.issubdtype(e.dtype, jnp.integer):
        return out
    # torch: the backward multiplies by pow(2, other) in other's integer type, which is 0 for
    # negative exponents; the forward value stays exact
    factor = jnp.where(e < 0, 0, jnp.left_shift(jnp.ones_like(e), jnp.maximum(e, 0)))
    slope = x * factor.astype(x.dtype)
    return jax.lax.stop_gradient(out - slope) + slope


_ldexp = op("ldexp", node="LdexpBackward0", promote=INT_TO_FLOAT, promote_args=(0,),
            broadcast=True)(_ldexp_impl)


@function("ldexp")
@method("ldexp")
def ldexp(input, other):
    return call(_ldexp, (input, other))


inplace_method("ldexp_", ldexp)
logaddexp = _binary("logaddexp", jnp.logaddexp, "LogaddexpBackward0", inplace=False)
logaddexp2 = _binary("logaddexp2", jnp.logaddexp2, "Logaddexp2Backward0", inplace=False)

# ---- pow ---------------------------------------------------------------------------------------


def _pow_scalar_impl(x, s):
    if x.dtype == jnp.bool_:
        return jnp.where(s, x, True)  # torch: exponent True copies, False fills with ones
    # torch: the gradient of x ** 0 is 0, also at x == 0 (JAX: 0 * 0 ** -1 = nan)
    return jnp.where(s == 0, jnp.ones_like(x), jnp.power(x, jnp.where(s == 0, 1, s)))


@jax.custom_jvp
def _pow_tt(x, y):
    return jnp.power(x, y)


@_pow_tt.defjvp
def _pow_tt_jvp(primals, tangents):
    # torch: pow_backward_self is 0 where the exponent is 0, pow_backward_exponent is 0 where
    # the base is 0 and the exponent >= 0 (JAX gives nan at both)
    x, y = primals
    dx, dy = tangents
    out = jnp.power(x, y)
    gx = jnp.where(y == 0, 0, y * jnp.power(x, jnp.where(y == 0, 1, y) - 1))
    gy = jnp.where((x == 0) & (y >= 0), 0, out * jnp.log(jnp.where(x == 0, 1, x)))
    return out, gx * dx + gy * dy


def _pow_tensor_impl(x, y):
    unsupported("pow", x, 0)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return _pow_tt(x, y)
    return jnp.power(x, y)


def _rpow_impl(x, s):
    unsupported("pow", x, 0)
    return jnp.power(s, x)


_pow_int = op("pow_int", node="PowBackward0", promote=DEFAULT)(
    lambda x, n: jnp.ones_like(x) if n == 0 else jax.lax.integer_pow(x, n))
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
    params = _pow_params.get(exponent)
    if params is None:
        params = (("n", exponent),)
        if len(_pow_params) < 64:
            _pow_params[exponent] = params  # shared: an interned key hashes and compares fast
    return call(_pow_int, (input,), params)


_pow_params = {}


Tensor.__pow__ = pow
Tensor.__rpow__ = lambda self, other: pow(other, self)
inplace_method("pow_", pow)
Tensor.__ipow__ = Tensor.pow_


@function("float_power")
@method("float_power")
def float_power(input, exponent):
    # torch: pow in double (complex double for complex operands), the casts recorded first
    from .pointwise import cast
    cx = any(isinstance(x, complex) or isinstance(x, Tensor) and x.dtype.is_complex
             for x in (input, exponent))
    wide = _dtypes.complex128 if cx else _dtypes.float64
    input, exponent = (cast(x, wide) if isinstance(x, Tensor) else x for x in (input, exponent))
    return pow(input, float(exponent) if isinstance(exponent, (bool, int)) else exponent)


@function("square")
@method("square")
def square(input):
    return pow(input, 2)


inplace_method("square_", square)

# ---- where, lerp, addcmul ----------------------------------------------------------------------


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


def _lerp_impl(x, y, w):
    return x + w * (y - x)


_lerp = op("lerp", node="LerpBackward0", promote=DEFAULT, arity=2, broadcast=True)(_lerp_impl)
_lerp_t = op("lerp.Tensor", node="LerpBackward1", promote=DEFAULT, broadcast=True)(_lerp_impl)


@function("lerp")
@method("lerp")
def lerp(input, end, weight):
    weight = _operand(weight)
    return call(_lerp_t if isinstance(weight, Tensor) else _lerp, (input, end, weight))


inplace_method("lerp_", lerp)


def _addc(name, node, combine):
    row = op(name, node=node, promote=DEFAULT, promote_args=(0, 1, 2), arity=3,
             broadcast=True)(lambda x, a, b, v: x + jnp.asarray(v, x.dtype) * combine(a, b))

    def fn(input, tensor1, tensor2, *, value=1):
        return call(row, (input, tensor1, tensor2, scalar(value)))
    function(name)(fn)
    method(name)(fn)
    inplace_method(name + "_", fn)
    return fn


addcmul = _addc("addcmul", "AddcmulBackward0", jnp.multiply)
addcdiv = _addc("addcdiv", "AddcdivBackward0", exact_divide)


from . import logical  # noqa: E402,F401 - comparisons, logical and bitwise ops
