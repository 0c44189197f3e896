"""More losses: gaussian_nll_loss and multilabel_soft_margin_loss (torch's Python compositions,
recorded op by op), multilabel_margin_loss and multi_margin_loss (rows with torch's ATen node
names that reduce inside the impl). Target values are checked on the host, as torch does.
"""

import math

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call
from .._ops import factory as _factory
from .._ops._registry import DEFAULT, op
from . import _functional_util as U
from ._functional_activation import logsigmoid
from ._functional_util import NONE, fmt_size, host, reduce_array, reduction_enum



# ---- compositions ------------------------------------------------------------------------------

def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var), var clamped to eps without a gradient."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * _factory.ones_like(input)
    elif bool((host(var) < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)  # homoscedastic over the last dim
        elif not (input.dim() == var.dim() and sum(
                b for a, b in zip(input.shape, var.shape) if a != b) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = U.clone_clamped_min(var, eps)  # torch: a clone clamped under no_grad
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Mean over classes of the per-class logistic loss."""
    if size_average is not None or reduce is not None:
        reduction = U.legacy_reduction(size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)  # (N,)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


# ---- kernels -----------------------------------------------------------------------------------

def _as_matrix(x):
    return x.reshape((1, -1)) if x.ndim < 2 else x


@op("multilabel_margin_loss", node="MultilabelMarginLossBackward0", promote=DEFAULT,
    promote_args=(0,), arity=1)
def _multilabel_margin(x, t, reduction, squeeze):
    xm, tm = _as_matrix(x), _as_matrix(t)  # (N, C)
    c = xm.shape[-1]
    valid = jnp.cumprod(tm >= 0, axis=-1).astype(bool)  # torch: labels end at the first -1
    ts = jnp.where(valid, tm, 0)
    is_target = jnp.any(valid[..., None] & (ts[..., None] == jnp.arange(c)), axis=-2)  # (N, C)
    xt = jnp.take_along_axis(xm, ts, axis=-1)  # (N, C): input at each listed label
    z = 1 - xt[..., :, None] + xm[..., None, :]  # (N, labels, C)
    keep = valid[..., :, None] & ~is_target[..., None, :]
    loss = jnp.sum(jnp.where(keep, jnp.maximum(z, 0), 0), axis=(-2, -1)) / c
    loss = loss.reshape(()) if squeeze else loss
    return reduce_array(loss, reduction)


def _check_class_input(input):
    if input.dim() > 2 or (input.dim() == 2 and input.shape[1] == 0) or (
            input.dim() == 1 and input.numel() == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {fmt_size(input.shape)}")


def _check_long(target):
    if target.dtype is not _dtypes.int64:
        raise RuntimeError(f"expected scalar type Long but found "
                           f"{_dtypes.SCALAR_NAMES[target.dtype]}")


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Hinge loss between each listed label and every unlisted class (labels end at -1)."""
    r = reduction_enum(reduction, size_average, reduce)
    _check_class_input(input)
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {fmt_size(target.shape)} for input of "
                           f"size: {fmt_size(input.shape)}")
    _check_long(target)
    c = input.shape[-1] if input.dim() else 1
    vals = host(target)
    if vals.size and (vals.min() < -1 or vals.max() >= c):
        raise RuntimeError("argument #2 'target' is out of range")
    params = (("reduction", r), ("squeeze", r == NONE and input.dim() <= 1))
    return call(_multilabel_margin, (input, target), params)


@op("multi_margin_loss", node="MultiMarginLossBackward0", promote=DEFAULT, promote_args=(0,),
    arity=1)
def _multi_margin(x, t, margin, *weight, p, reduction, shape):
    xm = _as_matrix(x)  # (N, C)
    c = xm.shape[-1]
    t = t.reshape(-1)
    xy = jnp.take_along_axis(xm, t[:, None], axis=-1)  # (N, 1)
    z = jnp.maximum(margin.astype(xm.dtype) - xy + xm, 0)
    if p == 2:
        z = z * z
    if weight:
        z = z * weight[0][t][:, None]
    z = jnp.where(jnp.arange(c) == t[:, None], 0, z)  # torch: the target class is skipped
    loss = jnp.sum(z, axis=-1) / c
    return reduce_array(loss.reshape(shape) if reduction == NONE else loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Multi-class hinge loss: sum over i != y of max(0, margin - x[y] + x[i])^p / C."""
    r = reduction_enum(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    _check_class_input(input)
    n = input.shape[0] if input.dim() == 2 else 1
    c = input.shape[-1] if input.dim() else 1
    if target.dim() > 1 or target.numel() != n:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to "
                           f"the number of input samples (batch size). Expected target size "
                           f"[{n}], but got {fmt_size(target.shape)}. Input has shape "
                           f"{fmt_size(input.shape)}.")
    _check_long(target)
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"inconsistent weight size, expected {c} but got "
                           f"{fmt_size(weight.shape)}")
    vals = host(target)
    if vals.size and (vals.min() < 0 or vals.max() >= c):
        raise RuntimeError("target out of range")
    shape = (n,) if target.dim() > 0 else ()
    ins = (input, target, float(margin)) + (() if weight is None else (weight,))
    return call(_multi_margin, ins, (("p", p), ("reduction", r), ("shape", shape)))


__all__ = ["gaussian_nll_loss", "multilabel_soft_margin_loss", "multilabel_margin_loss",
           "multi_margin_loss"]
