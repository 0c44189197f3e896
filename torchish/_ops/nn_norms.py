"""Normalization kernels: layer/batch/group norm rows (NativeLayerNorm/NativeBatchNorm/
NativeGroupNorm nodes), instance_norm and rms_norm as torch decomposes them. Half-precision inputs
are normalized in float32, as torch's kernels accumulate.
"""

import math

import jax
import jax.numpy as jnp

from .._dispatch import call, inplace
from ..autograd import grad_mode
from ._registry import op
from ._surface import function


def _tuple(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _shape_str(s):
    return "[" + ", ".join(map(str, s)) + "]"


def _acc(x):
    """torch accumulates half-precision norms in float32."""
    return x.astype(jnp.float32) if x.dtype in (jnp.float16, jnp.bfloat16) else x


def _affine(y, wb, has_w, has_b, shape):
    i = 0
    if has_w:
        y = y * wb[0].reshape(shape)
        i = 1
    if has_b:
        y = y + wb[i].reshape(shape)
    return y


@op("native_layer_norm", node="NativeLayerNormBackward0")
def _layer_norm(x, *wb, ndim, eps, has_w, has_b):
    axes = tuple(range(x.ndim - ndim, x.ndim))
    xa = _acc(x)
    mean = jnp.mean(xa, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(xa - mean), axis=axes, keepdims=True)
    y = (xa - mean) * jax.lax.rsqrt(var + eps)
    return _affine(y, wb, has_w, has_b, x.shape[x.ndim - ndim:]).astype(x.dtype)


@function("layer_norm")
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    shape = tuple(_tuple(normalized_shape, 1))
    if tuple(input.shape[input.dim() - len(shape):]) != shape or input.dim() < len(shape):
        raise RuntimeError(f"Given normalized_shape={_shape_str(shape)}, expected input with "
                           f"shape [*, {', '.join(map(str, shape))}], but got input of size"
                           f"{_shape_str(input.shape)}")
    ins = (input,) + tuple(t for t in (weight, bias) if t is not None)
    params = (("ndim", len(shape)), ("eps", float(eps)), ("has_w", weight is not None),
              ("has_b", bias is not None))
    return call(_layer_norm, ins, params)


@op("native_batch_norm", node="NativeBatchNormBackward0", nout=3, out_diff=(True, False, False))
def _batch_norm(x, *rest, training, eps, has_w, has_b, has_stats):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (-1,) + (1,) * (x.ndim - 2)
    xa = _acc(x)
    n = x.size // x.shape[1]
    if training:
        mean = jnp.mean(xa, axis=axes)
        var = jnp.mean(jnp.square(xa - mean.reshape(shape)), axis=axes)
        unbiased = var * (n / max(n - 1, 1))
    else:
        mean, var = (_acc(t) for t in rest[-2:])
        unbiased = var
    y = (xa - mean.reshape(shape)) * jax.lax.rsqrt(var.reshape(shape) + eps)
    y = _affine(y, rest, has_w, has_b, shape)
    return y.astype(x.dtype), mean.astype(x.dtype), unbiased.astype(x.dtype)


@op("batch_norm_update_stats", nout=2)
def _update_stats(rm, rv, mean, var, momentum):
    m = jnp.asarray(momentum, rm.dtype)
    return (1 - m) * rm + m * mean.astype(rm.dtype), (1 - m) * rv + m * var.astype(rv.dtype)



def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """F.batch_norm (torch.batch_norm takes weight and bias before the running stats)."""
    if training:
        n = input.numel() // input.shape[1] if input.dim() > 1 else input.numel()
        if n == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {input.shape}")
    use_stats = not training
    if use_stats:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    ins = (input,) + tuple(t for t in (weight, bias) if t is not None)
    if use_stats:
        ins += (running_mean, running_var)
    params = (("training", bool(training)), ("eps", float(eps)), ("has_w", weight is not None),
              ("has_b", bias is not None), ("has_stats", use_stats))
    y, mean, var = call(_batch_norm, ins, params)
    if training and running_mean is not None and running_var is not None:
        with grad_mode.no_grad():
            rm, rv = call(_update_stats, (running_mean, running_var, mean, var, float(momentum)))
            inplace(running_mean, rm)
            inplace(running_var, rv)
    return y


@op("native_group_norm", node="NativeGroupNormBackward0")
def _group_norm(x, *wb, groups, eps, has_w, has_b):
    n, c = x.shape[0], x.shape[1]
    xa = _acc(x).reshape(n, groups, -1)  # (N, G, C/G * spatial)
    mean = jnp.mean(xa, axis=-1, keepdims=True)
    var = jnp.mean(jnp.square(xa - mean), axis=-1, keepdims=True)
    y = ((xa - mean) * jax.lax.rsqrt(var + eps)).reshape(x.shape)
    return _affine(y, wb, has_w, has_b, (c,) + (1,) * (x.ndim - 2)).astype(x.dtype)


@function("group_norm")
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    if input.shape[1] % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {_shape_str(input.shape)} and "
                           f"num_groups={num_groups}")
    ins = (input,) + tuple(t for t in (weight, bias) if t is not None)
    params = (("groups", num_groups), ("eps", float(eps)), ("has_w", weight is not None),
              ("has_b", bias is not None))
    return call(_group_norm, ins, params)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """F.instance_norm, as torch decomposes it: batch_norm over a (1, N*C, *) view, running
    stats averaged over N (torch.instance_norm takes weight and bias first)."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{input.shape}")
    n, c = input.shape[0], input.shape[1]
    folded = input.view((1, n * c) + tuple(input.shape[2:]))  # (1, N*C, *spatial)

    def rep(t):
        return None if t is None else t.repeat(n)
    rm, rv = rep(running_mean), rep(running_var)
    out = batch_norm(folded, rm, rv, rep(weight), rep(bias), use_input_stats, momentum, eps)
    if use_input_stats and running_mean is not None:
        with grad_mode.no_grad():
            running_mean.copy_(rm.view(n, c).mean(0))
            running_var.copy_(rv.view(n, c).mean(0))
    return out.view(input.shape)


@function("rms_norm")
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x * rsqrt(mean(x^2) + eps) [* weight], recorded as torch's composite (eps: dtype's eps)."""
    shape = tuple(_tuple(normalized_shape, 1))
    if tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={_shape_str(shape)}, expected input with "
                           f"shape [*, {', '.join(map(str, shape))}], but got input of size"
                           f"{_shape_str(input.shape)}")
    if eps is None:
        from .. import _dtypes
        eps = _dtypes.finfo(input.dtype).eps
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    x = input.float() if input.dtype.itemsize < 4 else input
    out = (x * (x.pow(2).mean(dims, keepdim=True) + eps).rsqrt()).type_as(input)
    return out * weight if weight is not None else out


# torch.batch_norm / torch.instance_norm: ATen's positional order, every argument required

@function("batch_norm")
def _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                      cudnn_enabled):
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


@function("instance_norm")
def _torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                         momentum, eps, cudnn_enabled):
    return instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                         momentum, eps)
