"""Elementwise ops, unary half: float math, integer-preserving ops, clamp, casts. The binary half
(arithmetic, pow, where) is `binary.py` and comparisons/logic are `logical.py`, imported at the
end.

Families are built by small factories, one table row per torch overload. Where JAX's derivative
differs from torch's at a kink, the impl is written so its natural derivative is torch's
(`# torch:` comments say which).
"""

import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from .._tensor import Tensor
from . import _surface
from ._registry import DEFAULT, INT_TO_FLOAT, op
from ._surface import function, inplace_method, method

FUNCTIONS = _surface.FUNCTIONS


def scalar(x):
    """Python number from a numpy scalar or a one-element tensor; everything else unchanged."""
    return x.item() if isinstance(x, np.generic) else x


def unsupported(kernel, x, *kinds):
    """torch's missing-kernel error, raised from an impl at trace time (x: the computed array);
    `kinds` holds dtype categories (0 bool, 1 integral, 2 floating, 3 complex) or dtypes."""
    d = _dtypes.from_np(x.dtype)
    if d._kind in kinds or d in kinds:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtypes.SCALAR_NAMES[d]}\'')


def kernel_error(t, kernel, *kinds):
    """torch's missing-kernel NotImplementedError for tensor `t`, checked at the call;
    `kinds` as for `unsupported`."""
    d = t._v.dtype
    if d._kind in kinds or d in kinds:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtypes.SCALAR_NAMES[d]}\'')


def no_complex(t, message, error=NotImplementedError):
    if t._v.dtype._kind == 3:
        raise error(message)


def alias(new, old):
    """torch.<new> and Tensor.<new> (and <new>_ where it exists) as another name for <old>."""
    FUNCTIONS[new] = FUNCTIONS[old]
    setattr(Tensor, new, getattr(Tensor, old))
    if hasattr(Tensor, old + "_"):
        setattr(Tensor, new + "_", getattr(Tensor, old + "_"))


# ---- unary -----------------------------------------------------------------------------------

def _unary(name, impl, node, promote=INT_TO_FLOAT, saves=True, inplace=True, check=None):
    row = op(name, node=node, promote=promote, saves=saves)(impl)

    def fn(input):
        if check is not None:
            check(input)
        return call(row, (input,))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    if inplace:
        inplace_method(name + "_", fn)
    return row


def _relu(x):
    return jnp.where(x > 0, x, jnp.zeros((), x.dtype))  # torch: gradient 0 at 0


def _abs(x):
    return x * jnp.sign(x) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.abs(x)  # torch: 0 at 0


def _frac(x):
    return x - jnp.trunc(x)


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
    ("sinc", jnp.sinc, "SincBackward0"), ("i0", jax.scipy.special.i0, "I0Backward0"),
    ("deg2rad", lambda x: x * jnp.asarray(math.pi / 180, x.dtype), "Deg2RadBackward0"),
    ("rad2deg", lambda x: x * jnp.asarray(180 / math.pi, x.dtype), "Rad2DegBackward0"),
]
for _n, _f, _node in UNARY_FLOAT:
    _unary(_n, _f, _node)


def _no_bool(what):
    def check(t):
        if t._v.dtype is _dtypes.bool_:
            raise RuntimeError(f"{what}, on a bool tensor is not supported. If you are trying "
                               "to invert a mask, use the `~` or `logical_not()` operator "
                               "instead.")
    return check


def _rounding(name):
    def check(t):
        kernel_error(t, f"{name}_vml_cpu", 0)
        no_complex(t, f"{name} is not supported for complex inputs")
    return check


def _check_sign(t):
    no_complex(t, "Unlike NumPy, torch.sign is not intended to support complex numbers. Please "
                  "use torch.sgn instead.")


def _check_relu(t):
    if t._v.dtype is _dtypes.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    no_complex(t, "clamp is not supported for complex types")


def _sign(x):
    return x if x.dtype == jnp.bool_ else jnp.sign(x)  # torch: sign of a bool is itself


UNARY_SAME = [
    ("neg", jnp.negative, "NegBackward0", False, _no_bool("Negation, the `-` operator")),
    ("abs", _abs, "AbsBackward0", True, lambda t: kernel_error(t, "abs_cpu", 0)),
    ("sign", _sign, "SignBackward0", False, _check_sign),
    ("floor", jnp.floor, "FloorBackward0", False, _rounding("floor")),
    ("ceil", jnp.ceil, "CeilBackward0", False, _rounding("ceil")),
    ("trunc", jnp.trunc, "TruncBackward0", False, _rounding("trunc")),
    ("frac", _frac, "FracBackward0", False, lambda t: kernel_error(t, "frac_cpu", 0, 1, 3)),
    ("relu", _relu, "ReluBackward0", True, _check_relu),
    ("sgn", _sign, "SgnBackward0", False, None),
]
for _n, _f, _node, _saves, _check in UNARY_SAME:
    _unary(_n, _f, _node, promote=DEFAULT, saves=_saves, check=_check)

for _new, _old in [("negative", "neg"), ("absolute", "abs"), ("arcsin", "asin"),
                   ("arccos", "acos"), ("arctan", "atan"), ("arcsinh", "asinh"),
                   ("arccosh", "acosh"), ("arctanh", "atanh"), ("fix", "trunc")]:
    alias(_new, _old)
Tensor.__neg__ = Tensor.neg
Tensor.__abs__ = Tensor.abs


@function("positive")
@method("positive", "__pos__")
def positive(input):
    # torch: the input itself, not a copy
    if input._v.dtype is _dtypes.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


@function("signbit")
@method("signbit")
def signbit(input):
    return call(_signbit, (input,))


_signbit = op("signbit")(jnp.signbit)


@op("round", node="RoundBackward0", promote=DEFAULT, saves=False)
def _round(x):
    return jnp.round(x)


@op("round.decimals", node="RoundBackward1", promote=DEFAULT, saves=False)
def _round_decimals(x, decimals):
    return jnp.round(x, decimals)


@function("round")
@method("round")
def round_(input, *, decimals=0):
    kernel_error(input, "round_vml_cpu" if not decimals else "round_cpu", 0, 3)
    if decimals:
        return call(_round_decimals, (input,), (("decimals", decimals),))
    return call(_round, (input,))


inplace_method("round_", round_)


@op("logit", node="LogitBackward0", promote=INT_TO_FLOAT)
def _logit(x, eps):
    if eps is not None:
        x = jnp.clip(x, eps, 1 - eps)
    return jnp.log(x / (1 - x))


@function("logit")
@method("logit")
def logit(input, eps=None):
    return call(_logit, (input,), (("eps", eps),))


inplace_method("logit_", logit)


@op("nan_to_num", node="NanToNumBackward0", promote=DEFAULT)
def _nan_to_num(x, nan, posinf, neginf):
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@function("nan_to_num")
@method("nan_to_num")
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return call(_nan_to_num, (input,), (("nan", nan), ("posinf", posinf), ("neginf", neginf)))


inplace_method("nan_to_num_", nan_to_num)


# ---- clamp -----------------------------------------------------------------------------------
# A missing bound is passed as False: a bool scalar never changes torch's promotion result.

def _clamp_impl(x, lo, hi, which):
    # torch: gradient 1 on the bounds themselves (jnp.clip gives 0.5)
    if which != "max":
        x = jnp.where(x < lo, lo, x)
    if which != "min":
        x = jnp.where(x > hi, hi, x)
    return x


_clamp = op("clamp", node="ClampBackward1", promote=DEFAULT, arity=1)(_clamp_impl)
_clamp_t = op("clamp.Tensor", node="ClampBackward0", promote=DEFAULT, arity=3,
              broadcast=True)(_clamp_impl)
_clamp_min = op("clamp_min", node="ClampMinBackward0", promote=DEFAULT, arity=1)(
    lambda x, lo: _clamp_impl(x, lo, None, "min"))
_clamp_max = op("clamp_max", node="ClampMaxBackward0", promote=DEFAULT, arity=1)(
    lambda x, hi: _clamp_impl(x, None, hi, "max"))
_clamp_min_t = op("clamp_min.Tensor", node="ClampMinBackward1", promote=DEFAULT,
                  broadcast=True)(lambda x, lo: _clamp_impl(x, lo, None, "min"))
_clamp_max_t = op("clamp_max.Tensor", node="ClampMaxBackward1", promote=DEFAULT,
                  broadcast=True)(lambda x, hi: _clamp_impl(x, None, hi, "max"))


@function("clamp", "clip")
@method("clamp", "clip")
def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    no_complex(input, "clamp is not supported for complex types")
    which = "min" if max is None else "max" if min is None else "both"
    lo = False if min is None else scalar(min)
    hi = False if max is None else scalar(max)
    row = _clamp_t if isinstance(min, Tensor) or isinstance(max, Tensor) else _clamp
    return call(row, (input, lo, hi), (("which", which),))


@function("clamp_min")
@method("clamp_min")
def clamp_min(input, min):
    no_complex(input, "clamp is not supported for complex types")
    if isinstance(min, Tensor):
        return call(_clamp_min_t, (input, min))
    return call(_clamp_min, (input, scalar(min)))


@function("clamp_max")
@method("clamp_max")
def clamp_max(input, max):
    no_complex(input, "clamp is not supported for complex types")
    if isinstance(max, Tensor):
        return call(_clamp_max_t, (input, max))
    return call(_clamp_max, (input, scalar(max)))


for _n, _f in (("clamp_", clamp), ("clip_", clamp), ("clamp_min_", clamp_min),
               ("clamp_max_", clamp_max)):
    inplace_method(_n, _f)


# ---- casts -----------------------------------------------------------------------------------

@op("to_copy", node="ToCopyBackward0", saves=False, linear=True)
def _to_copy(x, dtype):
    return x.astype(dtype.np)


def cast(t, dtype):
    """`t` converted to `dtype` (a new ToCopyBackward0 node), or `t` itself if already so."""
    if t._v.dtype is dtype:
        return t
    return call(_to_copy, (t,), (("dtype", dtype),))


from . import binary  # noqa: E402 - the binary half; it uses the names above
from .binary import (add, div, maximum, minimum, mul, pow, sub, where)  # noqa: E402,F401

# torch also exposes these in-place methods as functions: torch.exp_(t), torch.clamp_(t, 0, 1)...
INPLACE_FUNCTIONS = (
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_",
    "arctanh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_",
    "clamp_min_", "clip_", "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "exp_",
    "expm1_", "fix_", "floor_", "frac_", "gcd_", "i0_", "lcm_", "ldexp_", "log10_", "log1p_",
    "log2_", "log_", "logit_", "nan_to_num_", "neg_", "negative_", "rad2deg_", "reciprocal_",
    "relu_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_", "sqrt_", "square_",
    "tan_", "tanh_", "trunc_", "xlogy_")
for _n in INPLACE_FUNCTIONS:
    if hasattr(Tensor, _n):
        FUNCTIONS[_n] = getattr(Tensor, _n)
