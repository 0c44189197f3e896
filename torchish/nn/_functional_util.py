"""Shared pieces of torch.nn.functional: reduction arguments, host reads of index tensors, and the
ATen rows torch's C++ decompositions record that the Python surface never produces.

A C++ `t * 0.5` records `mul.Scalar` (MulBackward1) where Python's `t * 0.5` records MulBackward0;
losses written in C++ (cross_entropy's label smoothing, margin_ranking_loss, ...) need those rows to
show torch's grad_fn chains.
"""

import warnings
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from .._ops._registry import DEFAULT, INT_TO_FLOAT, op
from .._ops import reduction as _red

NONE, MEAN, SUM = 0, 1, 2
_ENUMS = {"none": NONE, "mean": MEAN, "sum": SUM}


def reduction_enum(reduction, size_average=None, reduce=None):
    """torch's `_Reduction.get_enum`, honouring the deprecated size_average/reduce pair."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        return MEAN
    if reduction not in _ENUMS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _ENUMS[reduction]


def legacy_reduction(size_average, reduce):
    """torch's `_Reduction.legacy_get_string`, with its deprecation warning."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    r = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{r}' "
                  "instead.", stacklevel=4)
    return r


def reduce_array(x, reduction):
    """The reduction of a loss inside an impl (rows that reduce themselves)."""
    if reduction == MEAN:
        return jnp.mean(x)
    if reduction == SUM:
        return jnp.sum(x)
    return x


def apply_reduction(loss, reduction):
    """torch's apply_loss_reduction: MeanBackward0 / SumBackward0 on the recorded loss."""
    if reduction == MEAN:
        return _red.mean(loss)
    if reduction == SUM:
        return _red.sum(loss)
    return loss


def host(t):
    """The values of `t` on the host (computes them if pending): torch checks index values."""
    return np.asarray(t._array())


_passed = {}  # id(Value) -> (weakref to it, check key): index values that passed a check


def _passed_before(v, key):
    hit = _passed.get(id(v))
    return hit is not None and hit[0]() is v and hit[1] == key


def _remember(v, key):
    k = id(v)
    _passed[k] = (weakref.ref(v, lambda _, k=k: _passed.pop(k, None)), key)


def check_values(t, key, first_bad):
    """torch's check of index values: `first_bad(host values)` returns the exception to raise
    (None when all are valid). Computes as little as it can, since reading values forces
    them: the same value passing the same check (`key`) again is known; a pending view of a
    computed tensor of the same dtype passes when its base does (a view only selects among
    the base's values), with no program run for it; while torchish.compile traces `t` (its
    value is then a JAX tracer) the check is skipped, as jax.jit skips value checks. The lazy
    engine (and a compiled function's first call) still raises torch's error."""
    v = t._v
    if _passed_before(v, key):
        return
    base = t._base
    if v.data is None and base is not None:
        b = base._v
        if (b.data is not None and b.dtype is v.dtype and not isinstance(b.data, jax.core.Tracer)
                and (_passed_before(b, key) or first_bad(np.asarray(b.data)) is None)):
            _remember(b, key)
            return
    a = t._array()
    if isinstance(a, jax.core.Tracer):
        return
    err = first_bad(np.asarray(a))
    if err is not None:
        raise err
    _remember(v, key)


def dtype_name(dt):
    """torch's scalar type name (Float, Long, ...)."""
    return _dtypes.SCALAR_NAMES[dt]


def fmt_size(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def torch_size(shape):
    return f"torch.Size({list(shape)})"


def no_grad_arg(t, fn, arg):
    """torch refuses a requires-grad tensor for an argument it has no derivative for."""
    if t is not None and t.requires_grad:
        from ..autograd import grad_mode
        if grad_mode.state.enabled:
            raise RuntimeError(f"The function '{fn}' is not differentiable with respect to "
                               f"argument '{arg}'. This input cannot have requires_grad True.")


# ---- rows of ATen overloads the Python surface does not reach ----------------------------------

def _scalar_row(name, node, impl):
    return op(name, node=node, promote=DEFAULT, arity=1, saves=False, broadcast=True)(impl)


_mul_scalar = _scalar_row("mul.Scalar", "MulBackward1", lambda x, s: x * s)
_add_scalar = _scalar_row("add.Scalar", "AddBackward1", lambda x, s: x + s)
_sub_scalar = _scalar_row("sub.Scalar", "SubBackward1", lambda x, s: x - s)
_div_scalar = _scalar_row("div.Scalar", "DivBackward1", lambda x, s: x / s)


def mul_scalar(t, s):
    return call(_mul_scalar, (t, s))


def add_scalar(t, s):
    return call(_add_scalar, (t, s))


def sub_scalar(t, s):
    return call(_sub_scalar, (t, s))


def div_scalar(t, s):
    return call(_div_scalar, (t, s))


@op("masked_fill", node="MaskedFillBackward0", promote=DEFAULT, promote_args=(0, 2), arity=1)
def _masked_fill(x, mask, value):
    return jnp.where(mask, value, x)


def masked_fill(t, mask, value):
    return call(_masked_fill, (t, mask, value))


@jax.custom_jvp
def _xlogy_impl(x, y):
    return jnp.where((x == 0) & ~jnp.isnan(y), jnp.zeros((), x.dtype), x * jnp.log(y))


@_xlogy_impl.defjvp
def _xlogy_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    # torch: d/dx = log(y), masked to 0 where x == 0 and y <= 0; d/dy = x / y (nan at 0/0)
    dx = jnp.where((x == 0) & (y <= 0), jnp.zeros((), x.dtype), jnp.log(y))
    return _xlogy_impl(x, y), dx * tx + x / y * ty


_xlogy = op("xlogy", node="XlogyBackward0", promote=INT_TO_FLOAT, arity=2, broadcast=True)(
    _xlogy_impl)


def xlogy(x, y):
    return call(_xlogy, (x, y))


@op("norm.ScalarOpt_dim", node="NormBackward1")
def _norm_dim(x, p, dim, keepdim):
    if p == 2:
        sq = jnp.sum(x * x, axis=dim, keepdims=keepdim)
        # torch: the 2-norm's gradient at 0 is 0, not nan
        pos = sq > 0
        return jnp.where(pos, jnp.sqrt(jnp.where(pos, sq, 1)), 0)
    a = x * jnp.sign(x)  # torch: |x|' is 0 at 0
    if p == float("inf"):
        return jnp.max(a, axis=dim, keepdims=keepdim)
    if p == 1:
        return jnp.sum(a, axis=dim, keepdims=keepdim)
    return jnp.sum(a ** p, axis=dim, keepdims=keepdim) ** (1.0 / p)


def norm_dim(t, p, dim, keepdim=False):
    """aten::norm(self, p, dim, keepdim): NormBackward1, as C++ callers record it."""
    return call(_norm_dim, (t,), (("p", float(p)), ("dim", dim), ("keepdim", keepdim)))


@jax.custom_jvp
def _floor_at(x, lo):
    return jnp.maximum(x, lo.astype(x.dtype))


@_floor_at.defjvp
def _floor_at_jvp(primals, tangents):
    # torch: the clamp runs under no_grad on a clone, so the gradient passes straight through
    return _floor_at(*primals), tangents[0]


_clone_floored = op("clone_clamp_min_nograd", node="CloneBackward0", promote=DEFAULT, arity=1)(
    _floor_at)


def clone_clamped_min(t, lo):
    """`t.clone()` then `clamp_min_(lo)` under no_grad, as torch's kernels write it: the values
    are clamped, the recorded CloneBackward0 passes the whole gradient."""
    return call(_clone_floored, (t, float(lo)))
