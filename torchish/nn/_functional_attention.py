"""scaled_dot_product_attention as torch 2.13 runs it on CPU.

torch picks a backend per call: the fused flash kernel (one
ScaledDotProductFlashAttentionForCpuBackward0 node over q, k, v) when its checks pass, otherwise the
math decomposition, recorded op by op so the grad_fn chain is torch's (scaled q and k, matmul,
in-place mask add, _safe_softmax, dropout, matmul). Dropout draws torch's CPU stream, as F.dropout.
"""

import math

import jax
import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import broadcast_shapes, call
from .._ops import factory as _factory
from .._ops import linalg as _linalg
from .._ops import shape as _shape
from .._ops._registry import op
from .._tensor import _wrap_dim
from ._functional_layers import dropout
from ._functional_util import mul_scalar

_HIGHEST = jax.lax.Precision.HIGHEST
_FLASH_DTYPES = (_dtypes.float32, _dtypes.float64, _dtypes.float16, _dtypes.bfloat16)
# torch prints dtypes here by their C++ type names
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
              "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
              "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _cpp(t):
    return _CPP_NAMES[t.dtype.name]


# ---- rows --------------------------------------------------------------------------------------

def _safe_softmax_impl(x, axis):
    # torch: a row masked entirely (all -inf) gives zeros, not nan
    dead = jnp.all(x == -jnp.inf, axis=axis, keepdims=True)
    y = jax.nn.softmax(jnp.where(dead, jnp.zeros((), x.dtype), x), axis=axis)
    return jnp.where(dead, jnp.zeros((), y.dtype), y)


_safe_softmax = op("_safe_softmax", node="SafeSoftmaxBackward0")(
    lambda x, dim: _safe_softmax_impl(x, dim))


@op("_scaled_dot_product_flash_attention_for_cpu",
    node="ScaledDotProductFlashAttentionForCpuBackward0", arity=3)
def _flash(q, k, v, scale, *mask, is_causal):
    dt = q.dtype
    acc = jnp.float32 if dt in (jnp.float16, jnp.bfloat16) else dt  # torch accumulates in float
    q, k, v = (x.astype(acc) for x in (q, k, v))
    groups = q.shape[-3] // k.shape[-3]
    if groups > 1:  # grouped-query attention: each k/v head serves `groups` query heads
        k, v = jnp.repeat(k, groups, axis=-3), jnp.repeat(v, groups, axis=-3)
    s = jnp.einsum("...le,...se->...ls", q, k, precision=_HIGHEST) * jnp.asarray(scale, acc)
    if mask:
        m = mask[0]
        s = jnp.where(m, s, -jnp.inf) if m.dtype == jnp.bool_ else s + m.astype(acc)
    if is_causal:  # torch: the causal mask and an explicit mask both apply here
        L, S = s.shape[-2:]
        s = jnp.where(jnp.tril(jnp.ones((L, S), bool)), s, -jnp.inf)
    p = _safe_softmax_impl(s, -1)
    return jnp.einsum("...ls,...se->...le", p, v, precision=_HIGHEST).astype(dt)


# ---- torch's layout bookkeeping for the math path's matmuls ------------------------------------
# Pointwise results in torchish are contiguous, but torch's keep their input's strides, and
# matmul's reshape then records ViewBackward0, ReshapeAliasBackward0 or a clone by layout.

def _is_contiguous(shape, st):
    if 0 in shape:
        return True
    exp = 1
    for n, s in zip(reversed(shape), reversed(st)):
        if n != 1 and s != exp:
            return False
        exp *= n
    return True


def _pointwise_strides(shape, st):
    """Strides of a pointwise result in torch: the input's when they are dense, else contiguous
    in the input's stride order."""
    order = sorted(range(len(shape)), key=lambda d: -st[d])  # outermost first
    exp, dense = 1, True
    for d in reversed(order):
        if shape[d] != 1 and st[d] != exp:
            dense = False
        exp *= shape[d]
    if dense:
        return tuple(st)
    out, acc = [0] * len(shape), 1
    for d in reversed(order):
        out[d] = acc
        acc *= max(shape[d], 1)
    return tuple(out)


def _expanded_strides(shape, st, new):
    k = len(new) - len(shape)
    return tuple(0 if i < k or (shape[i - k] == 1 and new[i] != 1) else st[i - k]
                 for i in range(len(new)))


def _reshape(t, st, new):
    """torch's reshape of `t` (torch strides `st`): view, _reshape_alias, or clone + view."""
    shape = tuple(t.shape)
    if _is_contiguous(shape, st):
        return call(_shape._view, (t,), (("shape", new),))
    if _shape._view_strides(shape, st, new) is not None:
        return call(_shape._reshape_alias, (t,), (("shape", new),))
    return call(_shape._unsafe_view, (_shape.clone(t),), (("shape", new),))


def _matmul(a, b, a_st, b_st):
    """a @ b as torch's matmul records it, for operands whose torch strides are given."""
    if a.dim() < 3 or b.dim() < 3 or (a.dim() == 3 and b.dim() == 3
                                      and a.shape[0] != b.shape[0]):
        return _linalg.matmul(a, b)  # folding paths: no layout-dependent reshape of these
    batch = broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    nb = math.prod(batch)
    ops = []
    for t, st in ((a, a_st), (b, b_st)):
        full = batch + tuple(t.shape[-2:])
        e = _shape.expand(t, full)
        ops.append(_reshape(e, _expanded_strides(tuple(t.shape), st, full),
                            (nb,) + tuple(t.shape[-2:])))
    out = _linalg.bmm(*ops)  # (B*H, L, S)
    return call(_shape._unsafe_view, (out,), (("shape", batch + (a.shape[-2], b.shape[-1])),))


# ---- the two backends --------------------------------------------------------------------------

def _default_scale(q):
    e = q.shape[-1]
    return 1.0 / math.sqrt(e) if e else math.inf


def _causal_mask(L, S, dtype):
    keep = _factory.ones(L, S, dtype=_dtypes.bool_).tril()
    return _factory.zeros(L, S, dtype=dtype).masked_fill_(keep.logical_not(), float("-inf"))


def _repeat_interleave(t, repeats, dim):
    """torch's int-repeats decomposition: unsqueeze, expand, contiguous clone, flatten (view)."""
    dim = _wrap_dim(dim, t.dim())
    shape = tuple(t.shape)
    e = _shape.unsqueeze(t, dim + 1).expand(shape[:dim + 1] + (repeats,) + shape[dim + 1:])
    flat = shape[:dim] + (shape[dim] * repeats,) + shape[dim + 1:]
    return _shape.view(_shape.clone(e), flat)


def _gqa(q, k, v, enable_gqa):
    if not enable_gqa:
        return k, v
    for t in (q, k, v):
        if t.dim() < 3:
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-t.dim()}, {t.dim() - 1}], but got -3)")
    hq, hk, hv = q.shape[-3], k.shape[-3], v.shape[-3]
    if hq == hk == hv:
        return k, v
    if hq % hk or hq % hv:
        raise RuntimeError("Number of heads in key and value must divide the number of heads in ")
    return _repeat_interleave(k, hq // hk, -3), _repeat_interleave(v, hq // hv, -3)


def _math(q, k, v, mask, dropout_p, is_causal, scale, enable_gqa):
    origin = q.dtype
    st = {id(t): _shape.strides_of(t) for t in (q, k, v)}
    q_st, k_st = st[id(q)], st[id(k)]
    if origin in (_dtypes.float16, _dtypes.bfloat16):  # torch: half precision runs in float
        q, k, v = (t.to(_dtypes.float32) for t in (q, k, v))
    negative = scale is not None and scale < 0
    sf = math.sqrt(_default_scale(q) if scale is None else abs(scale))
    q = mul_scalar(q, 0.0 - sf if negative else sf)
    if is_causal:
        if mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                               "set when is_causal=True")
        mask = _causal_mask(q.shape[-2], k.shape[-2], q.dtype)
    k2, v = _gqa(q, k, v, enable_gqa)
    if k2 is not k:
        k_st = _shape.contiguous_strides(tuple(k2.shape))
    kt_st = k_st[:-2] + (k_st[-1], k_st[-2])
    kt = mul_scalar(_shape.transpose(k2, -2, -1), sf)
    attn = _matmul(q, kt, _pointwise_strides(tuple(q.shape), q_st),
                   _pointwise_strides(tuple(kt.shape), kt_st))  # (..., L, S)
    if mask is not None:
        attn.add_(mask)
    attn = call(_safe_softmax, (attn,), (("dim", attn.dim() - 1),))
    if dropout_p > 0.0:
        if dropout_p > 1:
            raise RuntimeError(f"dropout probability has to be between 0 and 1, but got "
                               f"{dropout_p}")
        attn = dropout(attn, dropout_p, True)
    out = _linalg.matmul(attn, v)  # (..., L, Ev)
    return out.to(origin) if out.dtype is not origin else out


def _use_flash(q, k, v, mask, dropout_p, enable_gqa):
    """torch's CPU backend selection (sdp_utils_cpp): may the fused kernel run?"""
    if dropout_p != 0.0 or not q.dim() == k.dim() == v.dim() == 4:
        return False
    if not q.shape[0] == k.shape[0] == v.shape[0]:
        return False
    hq, hk, hv = q.shape[1], k.shape[1], v.shape[1]
    if enable_gqa:
        if hk != hv or hq % hk:
            return False
    elif not hq == hk == hv:
        return False
    if mask is not None:
        if mask.requires_grad:
            return False
        if mask.dim() < 2:
            d = max(mask.dim(), 1)
            raise IndexError(f"Dimension out of range (expected to be in range of [{-d}, {d - 1}],"
                             f" but got -2)")
        if mask.shape[-2] not in (q.shape[2], 1) or mask.shape[-1] not in (k.shape[2], 1):
            return False
        if mask.dim() == 4:
            if mask.shape[0] not in (1, q.shape[0]) or mask.shape[1] not in (1, hq):
                return False
        elif mask.dim() != 2:
            return False
    if not q.shape[-1] == k.shape[-1] == v.shape[-1]:
        return False
    if q.shape[2] == 0 or k.shape[2] == 0:
        return False
    if any(_shape.strides_of(t)[-1] != 1 for t in (q, k, v)):
        return False
    return q.dtype in _FLASH_DTYPES


def _validate(q, k, v, mask):
    if not q.dtype is k.dtype is v.dtype:
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_cpp(q)} key.dtype: {_cpp(k)} and value.dtype: "
                           f"{_cpp(v)} instead.")
    if q.dim() < 2 or k.dim() < 2 or v.dim() < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, "
                           f"but got query.dim: {q.dim()} key.dim: {k.dim()} and value.dim: "
                           f"{v.dim()} instead.")
    if mask is not None and mask.dtype not in (_dtypes.bool_, _dtypes.float32, q.dtype):
        raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query "
                           f"dtype, but got attn_mask.dtype: {_cpp(mask)} and  query.dtype: "
                           f"{_cpp(q)} instead.")


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, *, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) v over the last two dims, choosing torch's CPU backend."""
    q, k, v = query, key, value
    _validate(q, k, v, attn_mask)
    if q.shape[-2] == 0 or k.shape[-2] == 0 or v.numel() == 0:
        # torch: empty attention is zeros, kept connected to the inputs for autograd
        out = _factory.zeros(tuple(q.shape[:-1]) + (v.shape[-1],), dtype=q.dtype)
        return out + mul_scalar(q.sum() + k.sum() + v.sum(), 0)
    if _use_flash(q, k, v, attn_mask, dropout_p, enable_gqa):
        s = _default_scale(q) if scale is None else float(scale)
        ins = (q, k, v, s) + (() if attn_mask is None else (attn_mask,))
        return call(_flash, ins, (("is_causal", bool(is_causal)),))
    mask = attn_mask
    if mask is not None and mask.dtype is _dtypes.bool_:
        # torch: a boolean mask marks the positions that take part
        mask = _factory.zeros(tuple(mask.shape), dtype=q.dtype).masked_fill_(
            mask.logical_not(), float("-inf"))
    return _math(q, k, v, mask, dropout_p, is_causal, scale, enable_gqa)


__all__ = ["scaled_dot_product_attention"]
