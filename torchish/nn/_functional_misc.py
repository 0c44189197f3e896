"""cosine_similarity and gumbel_softmax (torch's compositions, recorded op by op) and embedding_bag
(one EmbeddingBagBackward0 row over the bags; offsets and indices are checked on the host).
"""

import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dispatch, _dtypes, linalg
from .._dispatch import broadcast_shapes, call
from .._ops import factory as _factory
from .._ops._registry import op
from .._ops._surface import function
from .._tensor import Tensor
from ..autograd import grad_mode
from ._functional_layers import _embedding_renorm
from ._functional_util import clone_clamped_min, dtype_name, host


def _result_type(a, b):
    dims, zeros = [], []
    for t in (a, b):
        (dims if t.dim() else zeros).append(t.dtype)
    return _dtypes.result_type(dims, zeros, [])


@function("cosine_similarity")
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1/|x1| * x2/|x2|) along dim; the norms are clamped to eps without a gradient."""
    common = _result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{dtype_name(common)}")
    x1 = x1 if x1.dtype.is_floating_point else x1.to(common)
    x2 = x2 if x2.dtype.is_floating_point else x2.to(common)
    if tuple(x1.shape) != tuple(x2.shape):  # torch: expand_outplace expands both
        shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
        x1, x2 = x1.expand(shape), x2.expand(shape)
    n1 = clone_clamped_min(linalg.vector_norm(x1, 2, dim, keepdim=True), eps)
    n2 = clone_clamped_min(linalg.vector_norm(x2, 2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """softmax((logits + Gumbel noise) / tau); hard=True: one-hot forward, soft gradient."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -_factory.empty_like(logits).exponential_().log()  # ~Gumbel(0, 1)
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = _factory.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft  # straight-through estimator


# ---- embedding_bag -----------------------------------------------------------------------------

_MODES = {"sum": 0, "mean": 1, "max": 2}


@op("_embedding_bag", node="EmbeddingBagBackward0", arity=2)
def _embedding_bag(weight, psw, idx, offsets, *freq, mode, n_bags, padding_idx, has_psw):
    n = idx.shape[0]
    pos = jnp.arange(n)
    bag = jnp.searchsorted(offsets, pos, side="right") - 1  # the bag each position falls in
    keep = (idx != padding_idx) & (bag < n_bags) if padding_idx >= 0 else bag < n_bags
    seg = jnp.where(keep, bag, n_bags)  # dropped positions go to one extra segment
    if freq:  # scale_grad_by_freq: the rows' gradients scaled, their values untouched
        sg = jax.lax.stop_gradient(weight)
        weight = sg + (weight - sg) * freq[0].astype(weight.dtype)[:, None]
    rows = jnp.take(weight, idx, axis=0)  # (n, D)
    if mode == 2:
        vals = jnp.where(keep[:, None], jax.lax.stop_gradient(rows), -jnp.inf)
        best = jax.ops.segment_max(vals, seg, n_bags + 1)  # (bags + 1, D)
        # torch: the first maximum of each bag (a strict > scan)
        hit = keep[:, None] & (vals == best[seg])
        first = jax.ops.segment_min(jnp.where(hit, pos[:, None], n), seg, n_bags + 1)[:n_bags]
        picked = jnp.take_along_axis(rows, jnp.minimum(first, n - 1), axis=0)
        return jnp.where(first < n, picked, 0).astype(weight.dtype)
    if has_psw:
        rows = rows * psw[:, None]
    out = jax.ops.segment_sum(jnp.where(keep[:, None], rows, 0), seg, n_bags + 1)[:n_bags]
    if mode == 1:
        size = jax.ops.segment_sum(keep.astype(out.dtype), seg, n_bags + 1)[:n_bags]
        out = out / jnp.maximum(size, 1)[:, None]
    return out.astype(weight.dtype)


def _bag_args(input, offsets, per_sample_weights, include_last_offset):
    """(1-D indices, offsets, per-sample weights, include_last_offset) as torch flattens them."""
    if input.dim() == 2:
        if offsets is not None:
            kind = "<class 'torch.Tensor'>" if isinstance(offsets, Tensor) else type(offsets)
            raise ValueError(f"if input is 2D, then offsets has to be None, as input is treated "
                             f"is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {kind}")
        offsets = _factory.arange(0, input.numel(), input.size(1), dtype=input.dtype)
        psw = None if per_sample_weights is None else per_sample_weights.reshape(-1)
        return input.reshape(-1), offsets, psw, False
    if input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        return input, offsets, per_sample_weights, include_last_offset
    raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                     f"{input.dim()}")


def _check_indices(idx, offsets, num_weights):
    for name, t, arg in (("indices", idx, 1), ("offsets", offsets, 2)):
        if t.dtype not in (_dtypes.int64, _dtypes.int32):
            raise RuntimeError(f"Expected tensor for argument #{arg} '{name}' to have one of the "
                               f"following scalar types: Long, Int; but got torch."
                               f"{dtype_name(t.dtype)}Tensor instead (while checking arguments "
                               f"for embedding_bag)")
    offs, vals = host(offsets), host(idx)
    if offs.size and offs[0] != 0:
        # torch prints the offending element as a 0-d tensor
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {offs[0]}\n[ torch."
                           f"{dtype_name(offsets.dtype)}Tensor{{}} ]")
    if offs.size and offs[-1] > vals.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {vals.size} but "
                           f"got offsets[-1] of {offs[-1]}")
    bad = np.flatnonzero((vals < 0) | (vals >= num_weights))
    if bad.size:
        raise RuntimeError(f"Index {bad[0]} of input takes value {vals[bad[0]]} which is not in "
                           f"the valid range [0, {num_weights})")
    return vals


def _freq_scale(vals, num_weights):
    """Per-row gradient scale of scale_grad_by_freq as torch's CPU backward computes it: the k-th
    distinct index (ascending) is divided by the count of the k-th *sorted* index."""
    counts = np.bincount(vals, minlength=num_weights)
    srt = np.sort(vals)
    scale = np.ones(num_weights)
    for k, u in enumerate(np.unique(vals)):
        scale[u] = 1.0 / counts[srt[k]]
    return scale


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """Sums, means or maxima of embedding rows per bag (bags: rows of 2-D input, or offsets)."""
    if weight.dtype is _dtypes.int64 and input.dtype.is_floating_point:
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage "
                      "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                      "`embedding_bag(input, weight, ...)`.", stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    idx, offsets, psw, include_last_offset = _bag_args(input, offsets, per_sample_weights,
                                                       include_last_offset)
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if sparse:
        raise NotImplementedError("torchish: embedding_bag(sparse=True) (sparse gradients) is not "
                                  "supported")
    n_w = weight.shape[0]
    if padding_idx is not None:
        if not -n_w <= padding_idx < n_w:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, -{n_w} "
                               f"through {n_w - 1}, but got {padding_idx}")
        padding_idx %= n_w
    vals = _check_indices(idx, offsets, n_w)
    if max_norm is not None:
        with grad_mode.no_grad():
            _dispatch.inplace(weight, call(_embedding_renorm, (weight, idx), (
                ("max_norm", float(max_norm)), ("norm_type", float(norm_type)))))
    if psw is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                  f"per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    n_bags = offsets.shape[0] - (1 if include_last_offset else 0)
    params = (("mode", _MODES[mode]), ("n_bags", n_bags),
              ("padding_idx", -1 if padding_idx is None else padding_idx),
              ("has_psw", psw is not None))
    ins = (weight, 0.0 if psw is None else psw, idx, offsets)
    if scale_grad_by_freq:
        ins += (_factory.from_numpy(_freq_scale(vals, n_w)),)
    return call(_embedding_bag, ins, params)


__all__ = ["cosine_similarity", "gumbel_softmax", "embedding_bag"]
