"""linear, bilinear, dropout, one_hot, pad, embedding, normalize: torch's decompositions, so the
grad_fn chains match (linear is AddmmBackward0 on 2-D input, a ViewBackward0 over it on N-D)."""

import math
import warnings

import jax
import jax.numpy as jnp

from .. import _dispatch, _dtypes, _rng
from .._dispatch import call
from .._ops import factory as _factory
from .._ops import linalg as _linalg
from .._ops import pointwise as _pw
from .._ops import reduction as _red
from .._ops import shape as _shape
from .._ops._registry import DEFAULT, op
from ..autograd import grad_mode
from ._functional_util import check_values, dtype_name, fmt_size, host

_HIGHEST = jax.lax.Precision.HIGHEST  # torch computes float32 matmuls in full float32


# ---- linear / bilinear -------------------------------------------------------------------------

def _check_addmm(avals, params):
    (sb, db), (sa, da), (sw, dw) = avals
    # torch: dtypes first (self, then mat1, against mat2), then shapes
    if db is not dw:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {dtype_name(db)} and "
                           f"{dtype_name(dw)}")
    if da is not dw:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {dtype_name(da)} and "
                           f"{dtype_name(dw)}")
    if len(sa) != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {len(sa)}-D tensor")
    if len(sw) != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {len(sw)}-D tensor")
    if sa[1] != sw[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and "
                           f"{sw[0]}x{sw[1]})")
    target = (sa[0], sw[1])
    k = len(target) - len(sb)
    for i, s in enumerate(sb):
        if s != 1 and s != target[k + i]:
            raise RuntimeError(f"The expanded size of the tensor ({target[k + i]}) must match the "
                               f"existing size ({s}) at non-singleton dimension {k + i}.  Target "
                               f"sizes: {fmt_size(target)}.  Tensor sizes: {fmt_size(sb)}")


@op("addmm", node="AddmmBackward0", check=_check_addmm)
def _addmm(bias, a, w):
    return bias + jnp.matmul(a, w, precision=_HIGHEST)


def linear(input, weight, bias=None):
    """input @ weight.T + bias, recorded as torch decomposes it (addmm, or mm/matmul)."""
    wt = _shape.t(weight)
    if bias is None:
        return _linalg.matmul(input, wt)
    if input.dim() == 2:
        return call(_addmm, (bias, input, wt))
    if bias.dim() == 1 and input.dim() > 0 and input.is_contiguous():
        # torch: flatten the leading dims into one addmm, then view back
        shape = input.shape
        flat = _shape.reshape(input, (math.prod(shape[:-1]), shape[-1]))
        out = call(_addmm, (bias, flat, wt))
        return _shape.view(out, tuple(shape[:-1]) + (out.shape[1],))
    return _linalg.matmul(input, wt) + bias


@op("trilinear", node="TrilinearBackward0")
def _trilinear(x1, w, x2):
    return jnp.einsum("bi,oij,bj->bo", x1, w, x2, precision=_HIGHEST)


def bilinear(input1, input2, weight, bias=None):
    """x1^T W x2 + b over the last dims (TrilinearBackward0 between views, as torch records)."""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    out_shape = tuple(input1.shape[:-1]) + (weight.shape[0],)
    x1 = _shape.reshape(input1, (-1, input1.shape[-1]))
    x2 = _shape.reshape(input2, (-1, input2.shape[-1]))
    out = _shape.reshape(call(_trilinear, (x1, weight, x2)), out_shape)
    return out + bias if bias is not None else out


# ---- dropout -----------------------------------------------------------------------------------

def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1/(1-p) (MulBackward0)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0 or input.numel() == 0:
        return input
    dt = input.dtype
    if p == 1:
        noise = _factory.zeros((), dtype=dt)
    else:
        # torch's bernoulli_(1 - p) / (1 - p) noise, drawn on the host from the default generator
        mask = _rng.dropout_mask(_rng.default_generator, tuple(input.shape), dt.np, p)
        noise = _factory.from_numpy(mask)
    return input.mul_(noise) if inplace else input * noise


def _feature_dropout(input, p, training, inplace):
    """One draw per (sample, channel), broadcast over the remaining dims (MulBackward0)."""
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if not training or p == 0 or input.numel() == 0:
        return input
    dt = input.dtype
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    noise = _factory.from_numpy(_rng.dropout_mask(_rng.default_generator, shape, dt.np, p))
    return input.mul_(noise) if inplace else input * noise


_ALPHA = 1.7580993408473766  # torch: SELU's alpha * scale, the value alpha dropout pulls toward


def _alpha_dropout(input, p, training, inplace, feature):
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    dt = input.dtype
    if p == 1:
        zero = _factory.zeros((), dtype=dt)
        return input.mul_(zero) if inplace else input * zero
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2) if feature else tuple(input.shape)
    keep = (_rng.dropout_mask(_rng.default_generator, shape, dt.np, p) != 0).astype(dt.np)
    # torch: a = 1/sqrt((alpha^2 p + 1)(1 - p)); out = x * (keep a) + (keep - 1) alpha a + alpha a p
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    scale = dt.np.type(_ALPHA * a)
    shift = (keep - 1) * scale + dt.np.type(_ALPHA * a * p)
    noise = _factory.from_numpy(keep * dt.np.type(a))
    out = input.mul_(noise) if inplace else input * noise
    return out.add_(_factory.from_numpy(shift))


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps SELU's self-normalizing mean and variance."""
    return _alpha_dropout(input, p, training, inplace, False)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """alpha_dropout with one draw per (sample, channel)."""
    return _alpha_dropout(input, p, training, inplace, True)


def _check_p(p):
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _unbatched(input, p, training, inplace):
    out = _shape.squeeze(_feature_dropout(_shape.unsqueeze(input, 0), p, training, False), 0)
    if not inplace:
        return out
    if not training or p == 0:
        return input
    _dispatch.check_inplace(input)
    return _dispatch.inplace(input, out)


def _deprecated_dims(name, d, spatial):
    warnings.warn(f"{name}: Received a {d}-D input to {name}, which is deprecated and will result "
                  "in an error in a future release. To retain the behavior and silence this "
                  "warning, please use dropout instead. Note that "
                  f"{name} exists to provide channel-wise dropout on inputs with {spatial} spatial "
                  "dimensions, a channel dimension, and an optional batch dimension (i.e. "
                  f"{spatial + 1}D or {spatial + 2}D inputs).", stacklevel=3)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input."""
    _check_p(p)
    d = input.dim()
    if d not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {d}D input. Note "
                           "that dropout1d exists to provide channel-wise dropout on inputs with "
                           "1 spatial dimension, a channel dimension, and an optional batch "
                           "dimension (i.e. 2D or 3D inputs).")
    if d == 3:
        return _feature_dropout(input, p, training, inplace)
    return _unbatched(input, p, training, inplace)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input; 3-D input is taken as (N, C, L), as in torch."""
    _check_p(p)
    d = input.dim()
    if d not in (3, 4):
        _deprecated_dims("dropout2d", d, 2)
    if d == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape (C, H, "
                      "W). To maintain the 1D channel-wise dropout behavior, please switch to "
                      "using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input."""
    _check_p(p)
    d = input.dim()
    if d not in (4, 5):
        _deprecated_dims("dropout3d", d, 3)
    if d == 5:
        return _feature_dropout(input, p, training, inplace)
    return _unbatched(input, p, training, inplace)


# ---- one_hot -----------------------------------------------------------------------------------

@op("one_hot")
def _one_hot(t, num_classes):
    return (t[..., None] == jnp.arange(num_classes)).astype(jnp.int64)


def one_hot(tensor, num_classes=-1):
    """int64 one-hot encoding along a new last dim; class values are checked on the host."""
    if tensor.dtype is not _dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return call(_one_hot, (tensor,), (("num_classes", num_classes),))
    vals = host(tensor)
    if vals.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(vals.max()) + 1
    elif num_classes <= vals.max():
        raise RuntimeError("Class values must be smaller than num_classes.")
    return call(_one_hot, (tensor,), (("num_classes", num_classes),))


# ---- pad ---------------------------------------------------------------------------------------

@op("constant_pad_nd", node="ConstantPadNdBackward0", promote=DEFAULT, arity=1)
def _constant_pad(x, value, widths):
    return jax.lax.pad(x, value, [(lo, hi, 0) for lo, hi in widths])


def _pad_rows(kind, jmode):
    return {n: op(f"{kind.lower()}_pad{n}d", node=f"{kind}Pad{n}DBackward0")(
        lambda x, widths: jnp.pad(x, widths, mode=jmode)) for n in (1, 2, 3)}


_REFLECT = _pad_rows("Reflection", "reflect")
_REPLICATE = _pad_rows("Replication", "edge")
# torch: eager circular padding is a chain of slice copies; its last node is CopySlices
_circular = op("pad_circular", node="CopySlices")(lambda x, widths: jnp.pad(x, widths, mode="wrap"))

_PAD_SUPPORT = ("Supported combinations for non-constant padding:\n"
                "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _widths(shape, pad):
    """jnp.pad widths per dim from torch's (last_lo, last_hi, prev_lo, prev_hi, ...) list."""
    n = len(pad) // 2
    w = [(0, 0)] * (len(shape) - n)
    return tuple(w + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(n))])


def pad(input, pad, mode="constant", value=None):
    """Pad the last len(pad)//2 dims: constant (negative pads crop), reflect, replicate or
    circular."""
    pad = tuple(int(p) for p in pad)
    shape = tuple(input.shape)
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * len(shape):
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{len(shape)}")
    widths = _widths(shape, pad)
    if mode == "constant":
        for s, (lo, hi) in zip(shape, widths):
            if s + min(lo, 0) + min(hi, 0) < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return call(_constant_pad, (input, 0.0 if value is None else value),
                    (("widths", widths),))
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    n = len(pad) // 2
    if n not in (1, 2, 3) or len(shape) not in (n + 1, n + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {len(shape)}D "
                                  f"input tensor.\n{_PAD_SUPPORT}")
    for i in range(n):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        d = len(shape) - 1 - i
        if mode == "reflect" and (lo >= shape[d] or hi >= shape[d]):
            raise RuntimeError(f"Argument #{4 + 2 * i}: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({lo}, {hi}) at "
                               f"dimension {d} of input {fmt_size(shape)}")
        if mode == "circular" and (lo > shape[d] or hi > shape[d]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if min(lo, hi) < 0:
            raise NotImplementedError("torchish: negative padding is only supported in constant "
                                      "mode")
    row = {"reflect": _REFLECT, "replicate": _REPLICATE}.get(mode)
    row = row[n] if row is not None else _circular
    return call(row, (input,), (("widths", widths),))


# ---- embedding ---------------------------------------------------------------------------------

@op("embedding", node="EmbeddingBackward0", arity=1)
def _embedding(weight, idx, padding_idx, scale_grad_by_freq):
    n = weight.shape[0]
    if scale_grad_by_freq:
        # torch: each row's gradient is divided by how often the batch uses it
        count = jnp.zeros((n,), weight.dtype).at[idx.reshape(-1)].add(1)
        sg = jax.lax.stop_gradient(weight)
        weight = sg + (weight - sg) / jnp.maximum(count, 1)[:, None]
    if padding_idx >= 0:
        # torch: the padding row gets no gradient
        frozen = (jnp.arange(n) == padding_idx)[:, None]
        weight = jnp.where(frozen, jax.lax.stop_gradient(weight), weight)
    return jnp.take(weight, idx, axis=0)


@op("embedding_renorm")
def _embedding_renorm(weight, idx, max_norm, norm_type):
    used = jnp.zeros((weight.shape[0],), bool).at[idx.reshape(-1)].set(True)
    norms = jnp.sum(jnp.abs(weight) ** norm_type, axis=1) ** (1.0 / norm_type)
    scale = jnp.where(used & (norms > max_norm), max_norm / (norms + 1e-7), 1)
    return weight * scale[:, None].astype(weight.dtype)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of `weight` picked by the indices in `input` (EmbeddingBackward0 on weight only)."""
    n = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < n, "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -n, "Padding_idx must be within num_embeddings"
            padding_idx = n + padding_idx
    else:
        padding_idx = -1
    if input.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got torch."
                           f"{dtype_name(input.dtype)}Tensor instead (while checking arguments "
                           f"for embedding)")
    if input.numel():
        check_values(input, ("embedding", n), lambda a: IndexError("index out of range in self")
                     if a.min() < 0 or a.max() >= n else None)
    if max_norm is not None:
        with grad_mode.no_grad():
            _dispatch.inplace(weight, call(_embedding_renorm, (weight, input), (
                ("max_norm", float(max_norm)), ("norm_type", float(norm_type)))))
    return call(_embedding, (weight, input), (("padding_idx", padding_idx),
                                              ("scale_grad_by_freq", bool(scale_grad_by_freq))))


# ---- normalize ---------------------------------------------------------------------------------

def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps), composed as torch does."""
    denom = _pw.clamp_min(_red.norm(input, p, dim, keepdim=True), eps).expand_as(input)
    return input / denom


__all__ = ["linear", "bilinear", "dropout", "dropout1d", "dropout2d", "dropout3d",
           "alpha_dropout", "feature_alpha_dropout", "one_hot", "pad", "embedding", "normalize"]
