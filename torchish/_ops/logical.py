"""Comparisons, logical and bitwise ops, predicates (isnan, ...) and isclose/allclose/equal:
the non-differentiable part of the elementwise family, built with binary.py's factory."""

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call
from .._tensor import Tensor
from ._registry import ALWAYS_BOOL, DEFAULT, op
from ._surface import function, inplace_method, method
from .binary import _binary
from .pointwise import alias, unsupported


def _compare(name, impl, dunder=None, aliases=()):
    fn = _binary(name, impl, None, promote=ALWAYS_BOOL)
    for a in aliases:
        alias(a, name)
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


def _predicate(name, impl, promote=None, inplace=False):
    row = op(name, promote=promote)(impl)

    def fn(input):
        return call(row, (input,))
    function(name)(fn)
    method(name)(fn)
    if inplace:
        inplace_method(name + "_", fn)
    return fn


_predicate("logical_not", jnp.logical_not, promote=ALWAYS_BOOL, inplace=True)
_predicate("isnan", jnp.isnan)
_predicate("isinf", jnp.isinf)
_predicate("isfinite", jnp.isfinite)
_predicate("isposinf", jnp.isposinf)
_predicate("isneginf", jnp.isneginf)
_predicate("isreal", jnp.isreal)


def _bitwise(name, impl, dunder, commutative=True):
    def checked(x, y):
        unsupported(f"{name}_cpu", x, 2, 3)
        return impl(x, y)
    return _binary(name, checked, None, dunder=dunder, commutative=commutative)


bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and, "and")
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or, "or")
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor, "xor")
bitwise_left_shift = _bitwise("bitwise_left_shift", jnp.left_shift, "lshift", False)
bitwise_right_shift = _bitwise("bitwise_right_shift", jnp.right_shift, "rshift", False)


def _bitwise_not(x):
    unsupported("bitwise_not_cpu", x, 2, 3)
    return jnp.invert(x)


bitwise_not = _predicate("bitwise_not", _bitwise_not, promote=DEFAULT, inplace=True)


def _invert(self):
    if self._v.dtype._kind > 1:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)


Tensor.__invert__ = _invert

@op("isclose", promote=DEFAULT, broadcast=True)
def _isclose(x, y, rtol, atol, equal_nan):
    same = x == y
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return same | (jnp.abs(x - y) <= atol + rtol * jnp.abs(y))
    # torch: an infinity is close only to itself; NaN only to NaN, and only with equal_nan
    near = jnp.isfinite(x) & jnp.isfinite(y) & (jnp.abs(x - y) <= atol + rtol * jnp.abs(y))
    close = same | near
    return close | (jnp.isnan(x) & jnp.isnan(y)) if equal_nan else close


@function("isclose")
@method("isclose")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if input.dtype is not other.dtype:
        names = _dtypes.SCALAR_NAMES
        raise RuntimeError(f"{names[input.dtype]} did not match {names[other.dtype]}")
    return call(_isclose, (input, other), (("rtol", rtol), ("atol", atol),
                                           ("equal_nan", equal_nan)))


@function("allclose")
@method("allclose")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan).all().item())


@function("equal")
@method("equal")
def equal(input, other):
    return input.shape == other.shape and bool(eq(input, other).all().item())
