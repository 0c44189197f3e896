"""Activations of torch.nn.functional: one row per ATen op, hyper-parameters fed as data.

Each impl is written so JAX's natural derivative is torch's, including at the kinks (`# torch:`).
In-place variants record their own node where torch names it differently (LeakyReluBackward1).
Also attaches torch.softmax / torch.log_softmax and the Tensor methods.
"""

import warnings

import jax
import jax.numpy as jnp

from .. import _dispatch, _dtypes
from .._dispatch import call
from .._ops import pointwise as _pw
from .._ops._registry import DEFAULT, op
from .._ops._surface import function, method
from .._tensor import _wrap_dim


def _rows(name, node, impl, node_inplace=None):
    """(out-of-place row, in-place row) for an activation x -> impl(x, *scalars).

    The in-place row saves nothing that its own write would invalidate (torch saves the result,
    or a copy of the original input).
    """
    row = op(name, node=node, promote=DEFAULT, arity=1)(impl)
    return row, op(name + "_", node=node_inplace or node, promote=DEFAULT, arity=1,
                   saves=False)(impl)


def _apply(rows, input, scalars=(), inplace=False, params=()):
    if inplace:
        _dispatch.check_inplace(input)
        return _dispatch.inplace(input, call(rows[1], (input,) + scalars, params))
    return call(rows[0], (input,) + scalars, params)


def _zero(x):
    return jnp.zeros((), x.dtype)


# ---- impls -------------------------------------------------------------------------------------

def _hardtanh(x, lo, hi):
    # torch: gradient 0 on the bounds themselves (unlike clamp)
    inside = (x > lo) & (x < hi)
    return jnp.where(inside, x, jnp.where(x <= lo, lo, hi))


def _leaky_relu(x, slope):
    return jnp.where(x > 0, x, x * slope)  # torch: slope at 0


def _elu(x, alpha, scale, input_scale):
    neg = jnp.where(x > 0, _zero(x), x)  # keeps exp finite where the branch is unused
    # torch: at 0 the negative branch's slope, alpha * scale * input_scale
    return jnp.where(x > 0, x * scale, jnp.expm1(neg * input_scale) * alpha * scale)


def _celu(x, alpha):
    return _elu(x, alpha, jnp.ones((), x.dtype), 1 / alpha)


def _gelu(x, approximate):
    return jax.nn.gelu(x, approximate=approximate == "tanh")


def _softplus(x, beta, threshold):
    xb = x * beta
    big = xb > threshold
    return jnp.where(big, x, jnp.log1p(jnp.exp(jnp.where(big, _zero(x), xb))) / beta)


def _mish(x):
    return x * jnp.tanh(jax.nn.softplus(x))


def _hardsigmoid(x):
    # torch: gradient 1/6 strictly inside (-3, 3), 0 at and beyond the ends
    inside = (x > -3) & (x < 3)
    return jnp.where(inside, x / 6 + 0.5, jnp.where(x <= -3, _zero(x), jnp.ones((), x.dtype)))


def _hardswish(x):
    # torch: gradient x/3 + 1/2 strictly inside (-3, 3), 0 at and below -3, 1 from 3 on
    return jnp.where(x <= -3, _zero(x), jnp.where(x < 3, x * (x + 3) / 6, x))


def _threshold(x, threshold, value):
    return jnp.where(x > threshold, x, value)


def _hardshrink(x, lambd):
    return jnp.where((x > lambd) | (x < -lambd), x, _zero(x))  # torch: gradient 0 at +-lambd


def _softshrink(x, lambd):
    return jnp.where(x > lambd, x - lambd, jnp.where(x < -lambd, x + lambd, _zero(x)))


def _glu(x, dim):
    a, b = jnp.split(x, 2, axis=dim)
    return a * jax.nn.sigmoid(b)


def _softmax(x, dim):
    return jax.nn.softmax(x.reshape(1), 0).reshape(()) if x.ndim == 0 else jax.nn.softmax(x, dim)


def _log_softmax(x, dim):
    if x.ndim == 0:
        return jax.nn.log_softmax(x.reshape(1), 0).reshape(())
    return jax.nn.log_softmax(x, dim)


HARDTANH = _rows("hardtanh", "HardtanhBackward0", _hardtanh)
LEAKY_RELU = _rows("leaky_relu", "LeakyReluBackward0", _leaky_relu, "LeakyReluBackward1")
ELU = _rows("elu", "EluBackward0", _elu, "EluBackward1")
CELU = _rows("celu", "CeluBackward0", _celu, "CeluBackward1")
GELU = _rows("gelu", "GeluBackward0", _gelu)
SILU = _rows("silu", "SiluBackward0", jax.nn.silu)
MISH = _rows("mish", "MishBackward0", _mish)
SOFTPLUS = _rows("softplus", "SoftplusBackward0", _softplus)
HARDSIGMOID = _rows("hardsigmoid", "HardsigmoidBackward0", _hardsigmoid)
HARDSWISH = _rows("hardswish", "HardswishBackward0", _hardswish)
THRESHOLD = _rows("threshold", "ThresholdBackward0", _threshold, "ThresholdBackward1")
LOGSIGMOID = _rows("log_sigmoid", "LogSigmoidBackward0", lambda x: -jax.nn.softplus(-x))
GLU = _rows("glu", "GluBackward0", _glu)
HARDSHRINK = _rows("hardshrink", "HardshrinkBackward0", _hardshrink)
SOFTSHRINK = _rows("softshrink", "SoftshrinkBackward0", _softshrink)
# torch: gradient `weight` at 0 (the negative branch), weight's gradient summed over broadcasting
_prelu = op("_prelu_kernel", node="PreluKernelBackward0", promote=DEFAULT, broadcast=True)(
    lambda x, w: jnp.where(x > 0, x, w * x))
SOFTMAX = _rows("softmax", "SoftmaxBackward0", _softmax)
LOG_SOFTMAX = _rows("log_softmax", "LogSoftmaxBackward0", _log_softmax)

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# ---- surfaces ----------------------------------------------------------------------------------

def relu(input, inplace=False):
    """max(0, x); gradient 0 at 0."""
    return input.relu_() if inplace else input.relu()


def relu_(input):
    return input.relu_()


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; gradient 0 at the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _apply(HARDTANH, input, (min_val, max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    """hardtanh(x, 0, 6) (torch records HardtanhBackward0)."""
    return _apply(HARDTANH, input, (0.0, 6.0), inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise."""
    return _apply(LEAKY_RELU, input, (negative_slope,), inplace)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return _apply(ELU, input, (alpha, 1.0, 1.0), inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with the self-normalizing constants (EluBackward0)."""
    return _apply(ELU, input, (SELU_ALPHA, SELU_SCALE, 1.0), inplace)


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    return _apply(CELU, input, (alpha,), inplace)


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


def gelu(input, approximate="none"):
    """x * Phi(x); approximate='tanh' uses torch's tanh formula."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return call(GELU[0], (input,), (("approximate", approximate),))


def silu(input, inplace=False):
    """x * sigmoid(x)."""
    return _apply(SILU, input, (), inplace)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _apply(MISH, input, (), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold."""
    return call(SOFTPLUS[0], (input, beta, threshold))


def softsign(input):
    """x / (1 + |x|), composed as torch does (DivBackward0 over AddBackward0 over AbsBackward0)."""
    return input / (input.abs() + 1)


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6."""
    return _apply(HARDSIGMOID, input, (), inplace)


def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6."""
    return _apply(HARDSWISH, input, (), inplace)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    return _apply(THRESHOLD, input, (threshold, value), inplace)


def threshold_(input, threshold, value):
    return _apply(THRESHOLD, input, (threshold, value), True)


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def logsigmoid(input):
    """log(sigmoid(x)), computed stably."""
    return call(LOGSIGMOID[0], (input,))


def glu(input, dim=-1):
    """a * sigmoid(b), where a and b are the halves of `input` along `dim`."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return call(GLU[0], (input,), (("dim", d),))


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0."""
    return call(HARDSHRINK[0], (input, lambd))


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, else 0."""
    return call(SOFTSHRINK[0], (input, lambd))


def tanhshrink(input):
    """x - tanh(x) (SubBackward0 over TanhBackward0, as torch composes it)."""
    return input - input.tanh()


def prelu(input, weight):
    """x for x > 0, weight * x otherwise; weight has one entry or one per channel (dim 1)."""
    n = weight.numel()
    if weight.dim() not in (0, 1):
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = "
                           f"{weight.dim()}")
    if n != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() > 1 else 1
        if channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = {channels}.")
    if input.dim() != weight.dim():
        shape = [1] * input.dim()
        if input.dim() > 1:
            shape[1] = n
        weight = weight.reshape(tuple(shape))
    return call(_prelu, (input, weight))


# ---- softmax family ----------------------------------------------------------------------------

def _implicit_dim(name, ndim):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=4)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_row(rows, input, dim, dtype):
    if dtype is not None:
        input = _pw.cast(input, dtype)
    d = _wrap_dim(dim, input.dim())
    if input.dtype._kind < 2:
        # torch: the CPU kernel's name says which op and whether dim is the last one
        kind = "log_softmax" if rows is LOG_SOFTMAX else "softmax"
        last = "lastdim_" if d == max(input.dim() - 1, 0) else ""
        raise NotImplementedError(f"\"{kind}_{last}kernel_impl\" not implemented for "
                                  f"'{_dtypes.SCALAR_NAMES[input.dtype]}'")
    return call(rows[0], (input,), (("dim", d),))


@function("softmax")
@method("softmax")
def _softmax_fn(input, dim, dtype=None):
    return _softmax_row(SOFTMAX, input, dim, dtype)


@function("log_softmax")
@method("log_softmax")
def _log_softmax_fn(input, dim, dtype=None):
    return _softmax_row(LOG_SOFTMAX, input, dim, dtype)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along `dim` (cast to `dtype` first when given)."""
    if dim is None:
        dim = _implicit_dim("softmax", input.dim())
    return _softmax_row(SOFTMAX, input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along `dim`, computed stably."""
    if dim is None:
        dim = _implicit_dim("log_softmax", input.dim())
    return _softmax_row(LOG_SOFTMAX, input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along `dim`."""
    if dim is None:
        dim = _implicit_dim("softmin", input.dim())
    return _softmax_row(SOFTMAX, -input, dim, dtype)


__all__ = ["relu", "relu_", "relu6", "hardtanh", "hardtanh_", "leaky_relu", "leaky_relu_", "elu",
           "elu_", "selu", "selu_", "celu", "celu_", "gelu", "silu", "mish", "softplus",
           "softsign", "hardsigmoid", "hardswish", "threshold", "threshold_", "sigmoid", "tanh",
           "logsigmoid", "glu", "hardshrink", "softshrink", "tanhshrink", "prelu", "softmax",
           "log_softmax", "softmin"]
