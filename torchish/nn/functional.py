"""torch.nn.functional: losses and activations as table rows or torch's decompositions."""

import jax.numpy as jnp

from .._dispatch import call
from .._ops._registry import op

_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _reduce(x, reduction):
    if reduction == 1:
        return jnp.mean(x)
    if reduction == 2:
        return jnp.sum(x)
    return x


def _reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _REDUCTIONS[reduction]


@op("binary_cross_entropy_with_logits", node="BinaryCrossEntropyWithLogitsBackward0",
    promote="default", promote_args=(0, 1), arity=2)
def _bce_logits(x, y, weight=None, pos_weight=None, reduction=1):
    # torch: (1 - y) * x + (1 + (pw - 1) * y) * log1p(exp(-|x|)) + max(-x, 0) ... written stably
    log_sig_neg = jnp.log1p(jnp.exp(-jnp.abs(x))) + jnp.maximum(-x, 0)
    if pos_weight is not None:
        lw = 1 + (pos_weight - 1) * y
        loss = (1 - y) * x + lw * log_sig_neg
    else:
        loss = (1 - y) * x + log_sig_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    r = _reduction(reduction)
    if weight is not None or pos_weight is not None:
        raise NotImplementedError("torchish: binary_cross_entropy_with_logits with weight or "
                                  "pos_weight is not supported yet")
    return call(_bce_logits, (input, target), (("reduction", r),))


def relu(input, inplace=False):
    return input.relu_() if inplace else input.relu()


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


__all__ = ["binary_cross_entropy_with_logits", "relu", "sigmoid", "tanh"]
