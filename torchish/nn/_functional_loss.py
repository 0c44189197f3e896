"""Losses of torch.nn.functional, with torch's node names, checks and messages.

Losses with their own ATen kernel (mse, smooth_l1, huber, binary_cross_entropy[_with_logits],
nll_loss, soft_margin) are table rows that reduce inside the impl; the rest are torch's C++
decompositions written over recorded ops, so their grad_fn chains are torch's too. Target values are
read on the host where torch checks them ("Target 5 is out of bounds.").
"""

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import broadcast_shapes, call
from .._ops import factory as _factory
from .._ops import pointwise as _pw
from .._ops import reduction as _red
from .._ops import shape as _shape
from .._ops._registry import DEFAULT, op
from . import _functional_util as U
from ._functional_activation import log_softmax
from ._functional_util import MEAN, NONE, SUM, fmt_size, reduce_array, reduction_enum, torch_size

# ---- elementwise losses with their own kernel --------------------------------------------------


def _loss_row(name, node, arity=2):
    return op(name, node=node, promote=DEFAULT, promote_args=(0, 1), arity=arity, broadcast=True)


@_loss_row("mse_loss", "MseLossBackward0")
def _mse(x, y, reduction):
    d = x - y
    return reduce_array(d * d, reduction)


@_loss_row("smooth_l1_loss", "SmoothL1LossBackward0")
def _smooth_l1(x, y, beta, reduction):
    d = x - y
    a = jnp.abs(d)  # only used away from 0 (the quadratic branch covers it)
    beta = beta.astype(d.dtype)
    return reduce_array(jnp.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta), reduction)


@_loss_row("huber_loss", "HuberLossBackward0")
def _huber(x, y, delta, reduction):
    d = x - y
    a = jnp.abs(d)
    delta = delta.astype(d.dtype)
    return reduce_array(jnp.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)), reduction)


@_loss_row("soft_margin_loss", "SoftMarginLossBackward0", arity=1)
def _soft_margin(x, y, reduction):
    return reduce_array(jnp.log1p(jnp.exp(-x * y)), reduction)


@jax.custom_jvp
def _bce_elem(x, y):
    # torch clamps each log at -100, so the loss stays finite at 0 and 1
    return (y - 1) * jnp.maximum(jnp.log1p(-x), -100) - y * jnp.maximum(jnp.log(x), -100)


@_bce_elem.defjvp
def _bce_elem_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    # torch: d/dx = (x - y) / max(x (1 - x), 1e-12), finite even where the logs are clamped;
    # d/dy = -logit(x)
    dx = (x - y) / jnp.maximum((1 - x) * x, 1e-12)
    dy = -jnp.log(x / (1 - x))
    return _bce_elem(x, y), dx * tx + dy * ty


@op("binary_cross_entropy", node="BinaryCrossEntropyBackward0", promote=DEFAULT, arity=2)
def _bce(x, y, *weight, reduction):
    loss = _bce_elem(x, y)
    if weight:
        loss = loss * weight[0]
    return reduce_array(loss, reduction)


@op("binary_cross_entropy_with_logits", node="BinaryCrossEntropyWithLogitsBackward0",
    promote=DEFAULT, arity=2)
def _bce_logits(x, y, *extra, has_weight, has_pos_weight, reduction):
    log_sig = -jax.nn.softplus(-x)  # log(sigmoid(x)), smooth at 0 as torch's derivative is
    if has_pos_weight:
        log_sig = log_sig * ((extra[-1] - 1) * y + 1)
    loss = (1 - y) * x - log_sig
    if has_weight:
        loss = loss * extra[0]
    return reduce_array(loss, reduction)


def _nll_impl(x, t, *weight, ignore_index, reduction):
    # x: (N, C, ...) or (C,); t: (N, ...) or ()
    cdim = 0 if x.ndim == 1 else 1
    valid = t != ignore_index
    safe = jnp.where(valid, t, 0)
    picked = jnp.take_along_axis(jnp.moveaxis(x, cdim, -1), safe[..., None], axis=-1)[..., 0]
    w = weight[0][safe].astype(x.dtype) if weight else jnp.ones((), x.dtype)
    w = jnp.where(valid, w, jnp.zeros((), x.dtype))
    loss = jnp.where(valid, -picked * w, jnp.zeros((), x.dtype))
    if reduction == NONE:
        return loss
    if reduction == SUM:
        return jnp.sum(loss)
    return jnp.sum(loss) / jnp.sum(jnp.broadcast_to(w, loss.shape))


_nll = op("nll_loss", node="NllLossBackward0", arity=1)(_nll_impl)
_nll2d = op("nll_loss2d", node="NllLoss2DBackward0", arity=1)(_nll_impl)


@op("label_smoothing_weight_sum")
def _weight_sum(weight, t, ignore_index):
    valid = t != ignore_index
    return jnp.sum(jnp.where(valid, weight[jnp.where(valid, t, 0)], 0))


# ---- helpers -----------------------------------------------------------------------------------

def _size_warning(input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({torch_size(target.shape)}) that is different to the "
                      f"input size ({torch_size(input.shape)}). This will likely lead to incorrect "
                      "results due to broadcasting. Please ensure they have the same size.",
                      stacklevel=3)


def _broadcast(input, target):
    """torch.broadcast_tensors: an ExpandBackward0 only where a shape changes."""
    shape = broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return tuple(t if tuple(t.shape) == shape else t.expand(shape) for t in (input, target))


def _legacy(reduction, size_average, reduce):
    if size_average is not None or reduce is not None:
        return U.legacy_reduction(size_average, reduce)
    return reduction


def _weighted(loss, weight, reduction, mean):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return _red.sum(loss)
    if reduction == "mean":
        return mean(loss)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


def _check_weight_size(weight, input):
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")


# ---- regression losses -------------------------------------------------------------------------

def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2, reduced; MseLossBackward0 (weighted: torch's Python composition)."""
    _size_warning(input, target)
    reduction = _legacy(reduction, size_average, reduce)
    x, y = _broadcast(input, target)
    if weight is not None:
        _check_weight_size(weight, input)
        loss = _pw.pow(x - y, 2) * weight
        return _weighted(loss, weight, reduction, lambda l: _red.sum(l) / _red.sum(weight))
    return call(_mse, (x, y), (("reduction", reduction_enum(reduction)),))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target|, reduced (torch composes it: AbsBackward0 over SubBackward0)."""
    _size_warning(input, target)
    reduction = _legacy(reduction, size_average, reduce)
    x, y = _broadcast(input, target)
    if weight is not None:
        _check_weight_size(weight, input)
        loss = (x - y).abs() * weight
        return _weighted(loss, weight, reduction, lambda l: _red.sum(l) / _red.sum(weight))
    return U.apply_reduction((x - y).abs(), reduction_enum(reduction))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Quadratic below beta, linear above; beta == 0 is l1_loss."""
    _size_warning(input, target)
    reduction = _legacy(reduction, size_average, reduce)
    x, y = _broadcast(input, target)
    if beta == 0.0:
        return U.apply_reduction((x - y).abs(), reduction_enum(reduction))
    r = reduction_enum(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return call(_smooth_l1, (x, y, beta), (("reduction", r),))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Quadratic below delta, delta-scaled linear above."""
    _size_warning(input, target)
    x, y = _broadcast(input, target)
    r = reduction_enum(reduction) if weight is None else NONE
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return call(_huber, (x, y, delta), (("reduction", r),))
    _check_weight_size(weight, input)
    loss = call(_huber, (x, y, delta), (("reduction", NONE),)) * weight
    return _weighted(loss, weight, reduction, _red.mean)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)), reduced."""
    r = reduction_enum(reduction, size_average, reduce)
    return call(_soft_margin, (input, target), (("reduction", r),))


# ---- binary cross entropy ----------------------------------------------------------------------

def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-w (y log x + (1 - y) log(1 - x)) with each log clamped at -100, as torch does."""
    r = reduction_enum(reduction, size_average, reduce)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({torch_size(target.shape)}) that is different to "
                         f"the input size ({torch_size(input.shape)}) is deprecated. Please ensure "
                         "they have the same size.")
    inputs = (input, target)
    if weight is not None:
        U.no_grad_arg(weight, "binary_cross_entropy", "weight")
        inputs += (weight.expand(broadcast_shapes(tuple(target.shape), tuple(weight.shape))),)
    return call(_bce, inputs, (("reduction", r),))


def _check_same_size(input, target):
    if target._v.shape != input._v.shape:
        raise ValueError(f"Target size ({torch_size(target.shape)}) must be the same as input size "
                         f"({torch_size(input.shape)})")


_BCE_PLAIN = {r: (("has_weight", False), ("has_pos_weight", False), ("reduction", e))
              for r, e in (("mean", MEAN), ("sum", SUM), ("none", NONE))}


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target), computed stably; pos_weight scales the
    positive term."""
    plain = _BCE_PLAIN.get(reduction)
    if (plain is not None and weight is None and pos_weight is None and size_average is None
            and reduce is None):  # the common call, its params ready
        _check_same_size(input, target)
        return call(_bce_logits, (input, target), plain)
    r = reduction_enum(reduction, size_average, reduce)
    _check_same_size(input, target)
    inputs = (input, target)
    for t, name in ((weight, "weight"), (pos_weight, "pos_weight")):
        if t is not None:
            U.no_grad_arg(t, "binary_cross_entropy_with_logits", name)
            broadcast_shapes(tuple(input.shape), tuple(t.shape))
            inputs += (t,)
    params = (("has_weight", weight is not None), ("has_pos_weight", pos_weight is not None),
              ("reduction", r))
    return call(_bce_logits, inputs, params)


# ---- classification ----------------------------------------------------------------------------

def _check_targets(target, n_classes, ignore_index):
    if target.dtype not in (_dtypes.int64, _dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{U.dtype_name(target.dtype)}")
    if target.numel():
        U.check_values(target, ("target", n_classes, ignore_index),
                       lambda t: _bad_target(t.reshape(-1), n_classes, ignore_index))


def _bad_target(t, n_classes, ignore_index):
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    return IndexError(f"Target {int(t[np.argmax(bad)])} is out of bounds.") if bad.any() else None


def _check_class_weight(weight, n_classes, prefix=""):
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {n_classes} "
                           f"classes or no classes but got weight tensor of shape: "
                           f"{fmt_size(weight.shape)}")


def _nll_nd(input, target, weight, ignore_index, r):
    """torch's nll_loss_nd: nll_loss for 1-D/2-D input, nll_loss2d for 4-D, views around it else."""
    d = input.dim()
    if d < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {d})")
    if d != 1 and (target.dim() == 0 or target.shape[0] != input.shape[0]):
        tb = target.shape[0] if target.dim() else 0
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({tb}).")
    n, c = (input.shape[0], input.shape[1]) if d > 1 else (None, input.shape[0])
    out_shape = None
    if d <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (d == 1 and target.dim() == 0) and input.shape[0] != target.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {fmt_size(input.shape)}, target: "
                               f"{fmt_size(target.shape)})")
        row = _nll
    elif d == 4:
        if target.dim() != 3:
            raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {target.dim()}")
        if tuple(target.shape) != (n,) + tuple(input.shape[2:]):
            raise RuntimeError(f"size mismatch (got input: {fmt_size(input.shape)} , target: "
                               f"{fmt_size(target.shape)}")
        row = _nll2d
    else:
        out_shape = (n,) + tuple(input.shape[2:])
        if tuple(target.shape[1:]) != tuple(input.shape[2:]):
            raise RuntimeError(f"Expected target size {fmt_size(out_shape)}, got "
                               f"{fmt_size(target.shape)}")
        input = _shape.view(_shape.contiguous(input), (n, c, 1, -1))
        target = _shape.reshape(target, (n, 1, -1))
        row = _nll2d
    _check_class_weight(weight, c)
    _check_targets(target, c, ignore_index)
    inputs = (input, target) + ((weight,) if weight is not None else ())
    out = call(row, inputs, (("ignore_index", ignore_index), ("reduction", r)))
    if out_shape is not None and r == NONE:
        out = _shape.view(out, out_shape)
    return out


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-input[n, target[n]] (weighted), reduced; targets equal to ignore_index are skipped."""
    r = reduction_enum(reduction, size_average, reduce)
    return _nll_nd(input, target, weight, ignore_index, r)


def _class_weight_view(weight, ndim, cdim):
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[cdim] = weight.shape[0]
    return _shape.view(weight, tuple(shape))


def _ce_probs(input, target, weight, r, label_smoothing):
    cdim = 0 if input.dim() == 1 else 1
    c = input.shape[cdim]
    _check_class_weight(weight, c, "cross_entropy: ")
    logp = log_softmax(input, cdim)
    if label_smoothing > 0:
        if label_smoothing > 1:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{label_smoothing}")
        target = U.add_scalar(U.mul_scalar(target, 1 - label_smoothing), label_smoothing / c)
    prod = logp * target
    if weight is not None:
        prod = prod * _class_weight_view(weight, input.dim(), cdim)
    if r == NONE:
        return -_red.sum(prod, cdim)
    total = -_red.sum(prod)
    return U.div_scalar(total, input.numel() // c) if r == MEAN else total


def _ce_smoothed(input, target, weight, ignore_index, r, label_smoothing):
    cdim = 0 if input.dim() == 1 else 1
    c = input.shape[cdim]
    logp = log_softmax(input, cdim)
    nll = _nll_nd(logp, target, weight, ignore_index, r)
    ignored = target == ignore_index
    if weight is not None:
        smooth = -_red.sum(logp * _class_weight_view(weight, input.dim(), cdim), cdim)
    else:
        smooth = -_red.sum(logp, cdim)
    smooth = U.masked_fill(smooth, ignored, 0.0)
    if r == MEAN:
        if weight is not None:
            denom = call(_weight_sum, (weight, target), (("ignore_index", ignore_index),))
        else:
            denom = _red.sum(~ignored)
        smooth = _red.sum(smooth) / denom
    elif r == SUM:
        smooth = _red.sum(smooth)
    return (U.mul_scalar(nll, 1 - label_smoothing)
            + U.mul_scalar(smooth, label_smoothing / c))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """nll_loss(log_softmax(input, 1), target) for class indices; soft targets when `target` has
    input's shape; label_smoothing mixes in the uniform distribution."""
    r = reduction_enum(reduction, size_average, reduce)
    if tuple(input.shape) == tuple(target.shape):
        if target.dtype._kind < 2:
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {U.dtype_name(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _ce_probs(input, target, weight, r, label_smoothing)
    if label_smoothing > 0:
        if label_smoothing > 1:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{label_smoothing}")
        return _ce_smoothed(input, target, weight, ignore_index, r, label_smoothing)
    return _nll_nd(log_softmax(input, 0 if input.dim() == 1 else 1), target, weight,
                   ignore_index, r)


# ---- distribution losses -----------------------------------------------------------------------

_KL_MEAN_WARNING = ("reduction: 'mean' divides the total loss by both the batch size and the "
                    "support size.'batchmean' divides only by the batch size, and aligns with the "
                    "KL div math definition.'mean' will be changed to behave the same as "
                    "'batchmean' in the next major release.")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target * (log target - input) (input is log-probabilities), reduced; 'batchmean' divides
    the sum by the batch size."""
    if size_average is not None or reduce is not None:
        r = reduction_enum("mean", size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(_KL_MEAN_WARNING, stacklevel=2)
        r = SUM if reduction == "batchmean" else reduction_enum(reduction)
    if log_target:
        out = target.exp() * (target - input)
    else:
        out = U.xlogy(target, target) - target * input
    out = U.apply_reduction(out, r)
    if reduction == "batchmean" and input.dim() != 0:
        out = out / input.shape[0]
    return out


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """exp(input) - target * input (log_input), or input - target * log(input + eps); `full` adds
    the Stirling term where target > 1."""
    reduction = _legacy(reduction, size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * U.add_scalar(input, eps).log()
    if full:
        stirling = (target * target.log() - target
                    + U.mul_scalar(U.mul_scalar(target, 2 * math.pi).log(), 0.5))
        loss = loss + U.masked_fill(stirling, target <= 1, 0.0)
    return U.apply_reduction(loss, reduction_enum(reduction))


# ---- embedding and ranking losses ---------------------------------------------------------------

def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(x1, x2) where target is 1, max(0, cos - margin) where it is -1."""
    r = reduction_enum(reduction, size_average, reduce)
    td = target.dim()
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want = 2 if td == 1 else 1
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(f"{td}D target tensor expects {want}D input tensors, but found inputs "
                           f"with sizes {fmt_size(input1.shape)} and {fmt_size(input2.shape)}.")
    eps = 1e-12
    prod = _red.sum(input1 * input2, td)
    mag1 = U.add_scalar(_red.sum(input1 * input1, td), eps)
    mag2 = U.add_scalar(_red.sum(input2 * input2, td), eps)
    cos = prod / (mag1 * mag2).sqrt()
    zeros = _factory.zeros(tuple(cos.shape), dtype=cos.dtype)
    pos = _factory.tensor(1, dtype=cos.dtype) - cos
    neg = _pw.clamp_min(U.sub_scalar(cos, margin), 0)
    out = _pw.where(target == 1, pos, zeros) + _pw.where(target == -1, neg, zeros)
    return U.apply_reduction(out, r)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target is 1, max(0, margin - input) where it is -1."""
    r = reduction_enum(reduction, size_average, reduce)
    zeros = _factory.zeros(tuple(input.shape), dtype=input.dtype)
    clamped = _pw.clamp_min(_factory.tensor(margin, dtype=input.dtype) - input, 0)
    out = _pw.where(target != 1, clamped, zeros) + _pw.where(target != -1, input, zeros)
    return U.apply_reduction(out, r)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin), reduced."""
    r = reduction_enum(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {torch_size(input1.shape)}, input2: "
                           f"{torch_size(input2.shape)}, target: {torch_size(target.shape)} ")
    out = _pw.clamp_min(U.add_scalar(-target * (input1 - input2), margin), 0)
    return U.apply_reduction(out, r)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p over the last dim (NormBackward1)."""
    d = max(x1.dim(), x2.dim()) - 1
    return U.norm_dim(U.add_scalar(x1 - x2, eps), p, max(d, 0), keepdim)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), reduced."""
    r = reduction_enum(reduction, size_average, reduce)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    da, dp, dn = anchor.dim(), positive.dim(), negative.dim()
    if not da == dp == dn:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {da}D, positive {dp}D, "
                           f"and negative {dn}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = _pw.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return U.apply_reduction(_pw.clamp_min(U.add_scalar(d_pos, margin) - d_neg, 0), r)


__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "nll_loss",
           "cross_entropy", "kl_div", "poisson_nll_loss", "cosine_embedding_loss",
           "hinge_embedding_loss", "margin_ranking_loss", "pairwise_distance",
           "triplet_margin_loss"]
