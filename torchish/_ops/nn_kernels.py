"""nn kernels: convolution and pooling, with torch's grad_fn names (norms: `nn_norms.py`).

Each is one row with its Python surface (`torch.conv2d`, `F.max_pool2d` ...); 1-d pools go through
the 2-d rows as torch does (unsqueeze, pool, SqueezeBackward1). Pools are written over strided
slices, one per kernel offset; max-pool finds torch's index of the maximum that way and gathers
the value there, so its derivative is a scatter to those indices, not XLA:CPU's slow
select_and_scatter (the derivative of reduce_window max).
"""

import itertools

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from . import reduction as _red
from . import shape as _shape
from ._registry import op
from ._surface import function
from .nn_norms import batch_norm, group_norm, instance_norm, layer_norm, rms_norm  # noqa: F401

_HIGHEST = jax.lax.Precision.HIGHEST
_SPATIAL = {1: ("NCH", "OIH"), 2: ("NCHW", "OIHW"), 3: ("NCDHW", "OIDHW")}


def _tuple(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _shape_str(s):
    return "[" + ", ".join(map(str, s)) + "]"


# ---- convolution -------------------------------------------------------------------------------

@op("convolution", node="ConvolutionBackward0")
def _convolution(x, w, *b, stride, padding, dilation, transposed, output_padding, groups):
    nsp = w.ndim - 2
    lhs, rhs = _SPATIAL[nsp]
    dn = (lhs, rhs, lhs)
    if not transposed:
        y = jax.lax.conv_general_dilated(x, w, stride, padding, rhs_dilation=dilation,
                                         dimension_numbers=dn, feature_group_count=groups,
                                         precision=_HIGHEST)
    else:
        cin, cout_g, k = w.shape[0], w.shape[1], w.shape[2:]
        # (Cin, Cout/g, *k) -> (Cout, Cin/g, *k), spatially flipped: a transposed conv is a conv
        # of the stride-dilated input
        wt = w.reshape((groups, cin // groups, cout_g) + k)
        wt = jnp.swapaxes(wt, 1, 2).reshape((groups * cout_g, cin // groups) + k)
        wt = jnp.flip(wt, axis=tuple(range(2, 2 + nsp)))
        pads = [(d * (kk - 1) - p[0], d * (kk - 1) - p[1] + op_)
                for kk, d, p, op_ in zip(k, dilation, padding, output_padding)]
        y = jax.lax.conv_general_dilated(x, wt, (1,) * nsp, pads, lhs_dilation=stride,
                                         rhs_dilation=dilation, dimension_numbers=dn,
                                         feature_group_count=groups, precision=_HIGHEST)
    if b:
        y = y + b[0].reshape((-1,) + (1,) * nsp)
    return y


def _c10_name(dt):
    n = _dtypes.SCALAR_NAMES[dt]
    return {"Float": "float", "Double": "double"}.get(n, "c10::" + n)


def _conv_checks(input, weight, bias, nsp, groups, transposed):
    names = _dtypes.SCALAR_NAMES
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({_c10_name(input.dtype)}) and bias type "
                           f"({_c10_name(bias.dtype)}) should be the same")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {names[input.dtype]} but found "
                           f"{names[weight.dtype]}")
    if input.dim() not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"Expected {nsp + 1}D (unbatched) or {nsp + 2}D (batched) input to "
                           f"conv{nsp}d, but got input of size: {_shape_str(input.shape)}")
    cin = input.shape[-nsp - 1]
    expect = weight.shape[0] if transposed else weight.shape[1] * groups
    if cin != expect:
        batched = input.shape if input.dim() == nsp + 2 else (1,) + tuple(input.shape)
        if transposed:
            raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(weight.shape)}, "
                               f"expected input{_shape_str(batched)} to have {expect} channels, "
                               f"but got {cin} channels instead")
        raise RuntimeError(f"Given groups={groups}, weight of size {_shape_str(weight.shape)}, "
                           f"expected input{_shape_str(batched)} to have {expect} channels, but "
                           f"got {cin} channels instead")


def _same_padding(input, weight, dilation, nsp):
    pads = []
    for d, k in zip(dilation, weight.shape[2:]):
        total = d * (k - 1)
        pads.append((total // 2, total - total // 2))
    return pads


def _conv(input, weight, bias, stride, padding, dilation, groups, nsp, transposed=False,
          output_padding=0):
    _conv_checks(input, weight, bias, nsp, groups, transposed)
    stride, dilation = _tuple(stride, nsp), _tuple(dilation, nsp)
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0)] * nsp
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            pads = _same_padding(input, weight, dilation, nsp)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        pads = [(p, p) for p in _tuple(padding, nsp)]
    if not transposed:
        size = input.shape[-nsp:]
        padded = [s + lo + hi for s, (lo, hi) in zip(size, pads)]
        eff = [d * (k - 1) + 1 for d, k in zip(dilation, weight.shape[2:])]
        if any(p < e for p, e in zip(padded, eff)):
            raise RuntimeError(f"Calculated padded input size per channel: "
                               f"({' x '.join(map(str, padded))}). Kernel size: "
                               f"({' x '.join(map(str, eff))}). Kernel size can't be greater than "
                               f"actual input size")
    unbatched = input.dim() == nsp + 1
    if unbatched:
        input = _shape.unsqueeze(input, 0)
    params = (("stride", stride), ("padding", tuple(pads)), ("dilation", dilation),
              ("transposed", transposed), ("output_padding", _tuple(output_padding, nsp)),
              ("groups", groups))
    ins = (input, weight) if bias is None else (input, weight, bias)
    out = call(_convolution, ins, params)
    return _shape.squeeze(out, 0) if unbatched else out


def _conv_fn(nsp):
    def conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        return _conv(input, weight, bias, stride, padding, dilation, groups, nsp)
    conv.__name__ = f"conv{nsp}d"
    return function(conv.__name__)(conv)


def _conv_transpose_fn(nsp):
    def conv_transpose(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                       dilation=1):
        return _conv(input, weight, bias, stride, padding, dilation, groups, nsp, True,
                     output_padding)
    conv_transpose.__name__ = f"conv_transpose{nsp}d"
    return function(conv_transpose.__name__)(conv_transpose)


conv1d, conv2d, conv3d = _conv_fn(1), _conv_fn(2), _conv_fn(3)
conv_transpose1d, conv_transpose2d, conv_transpose3d = (
    _conv_transpose_fn(1), _conv_transpose_fn(2), _conv_transpose_fn(3))


# ---- pooling -------------------------------------------------------------------------------

def pool_out_size(size, k, s, p, d, ceil_mode):
    """torch's pooling_output_shape."""
    num = size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    out = num // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _windows(x, kernel, stride, padding, dilation, out, fill):
    """The input under each kernel offset: one strided slice (..., *out) per offset."""
    nsp = len(kernel)
    lead = x.shape[:-nsp]
    size = x.shape[-nsp:]
    pads = [(p, max(0, (o - 1) * s + d * (k - 1) + 1 - p - n))
            for n, k, s, p, d, o in zip(size, kernel, stride, padding, dilation, out)]
    xp = jnp.pad(x, [(0, 0)] * len(lead) + pads, constant_values=fill)
    slices = []
    for offs in itertools.product(*[range(k) for k in kernel]):
        start = [0] * len(lead) + [o * d for o, d in zip(offs, dilation)]
        limit = list(lead) + [st + (o - 1) * s + 1 for st, o, s in zip(start[len(lead):], out,
                                                                           stride)]
        slices.append(jax.lax.slice(xp, start, limit, (1,) * len(lead) + tuple(stride)))
    return slices


def _flat_positions(size, kernel, stride, padding, dilation, out):
    """(first, per_offset): flat input indices, (*out) int64 arrays. `first` is each window's
    first in-bounds element (torch's initial max index); per_offset[k] what offset k reads."""
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    first = np.zeros(out, np.int64)
    for g, n, s, p, d in zip(grids, size, stride, padding, dilation):
        start = g * s - p
        start = np.where(start < 0, start + (-start + d - 1) // d * d, start)
        first = first * n + start
    per_offset = []
    for offs in itertools.product(*[range(k) for k in kernel]):
        flat = np.zeros(out, np.int64)
        for g, off, n, s, p, d in zip(grids, offs, size, stride, padding, dilation):
            flat = flat * n + (g * s - p + off * d)
        per_offset.append(flat)
    return first, per_offset


def _max_pool_impl(x, kernel, stride, padding, dilation, out):
    # torch's CPU kernel: scan the window keeping the first maximum (a NaN always replaces);
    # the value is then gathered at that index, so the gradient is a scatter of the output
    # gradient to the chosen elements (XLA:CPU's select_and_scatter is several times slower)
    nsp = len(kernel)
    lead = x.shape[:-nsp]
    first, per_offset = _flat_positions(x.shape[-nsp:], kernel, stride, padding, dilation, out)
    xs = jax.lax.stop_gradient(x)
    best = jnp.full(lead + tuple(out), -jnp.inf, x.dtype)
    idx = jnp.broadcast_to(jnp.asarray(first), best.shape)
    for sl, pos in zip(_windows(xs, kernel, stride, padding, dilation, out, -jnp.inf),
                       per_offset):
        better = (sl > best) | jnp.isnan(sl)
        best = jnp.where(better, sl, best)
        idx = jnp.where(better, jnp.asarray(pos), idx)
    flat_idx = idx.reshape(lead + (-1,))
    y = jnp.take_along_axis(x.reshape(lead + (-1,)), flat_idx, axis=-1)
    return y.reshape(best.shape), idx


_MAX_POOL = {n: op(f"max_pool{n}d_with_indices", node=f"MaxPool{n}DWithIndicesBackward0",
                   nout=2, out_diff=(True, False))(_max_pool_impl) for n in (2, 3)}
_max_pool = _MAX_POOL[2]


def _pool_args(input, kernel_size, stride, padding, dilation, nsp, name):
    kernel = _tuple(kernel_size, nsp)
    stride = kernel if stride is None or stride == [] or stride == () else _tuple(stride, nsp)
    padding, dilation = _tuple(padding, nsp), _tuple(dilation, nsp)
    if input.dim() not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"non-empty {nsp + 1}D or {nsp + 2}D (batch mode) tensor expected "
                           f"for input")
    for k, p in zip(kernel, padding):
        if p > k // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation=1" if name == "max" else
                               "pad should be smaller than or equal to half of kernel size, but "
                               f"got padW = {p}, padH = {p}, kW = {k}, kH = {k}")
    return kernel, stride, padding, dilation


def _max_pool_nd(input, nsp, kernel_size, stride, padding, dilation, ceil_mode):
    kernel, stride, padding, dilation = _pool_args(input, kernel_size, stride, padding, dilation,
                                                   nsp, "max")
    out = tuple(pool_out_size(n, k, s, p, d, ceil_mode) for n, k, s, p, d in
                zip(input.shape[-nsp:], kernel, stride, padding, dilation))
    if any(o <= 0 for o in out):
        shown = input.shape[-nsp - 1:]
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, shown))}). Calculated output "
                           f"size: ({'x'.join(map(str, (shown[0],) + out))}). Output size is too "
                           "small")
    params = (("kernel", kernel), ("stride", stride), ("padding", padding),
              ("dilation", dilation), ("out", out))
    return call(_MAX_POOL[nsp], (input,), params)


def _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode):
    return _max_pool_nd(input, 2, kernel_size, stride, padding, dilation, ceil_mode)


@function("max_pool2d")
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    y, idx = _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return (y, idx) if return_indices else y


@function("max_pool3d")
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    y, idx = _max_pool_nd(input, 3, kernel_size, stride, padding, dilation, ceil_mode)
    return (y, idx) if return_indices else y


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    return _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    return _max_pool_nd(input, 3, kernel_size, stride, padding, dilation, ceil_mode)


def _via_2d(input, fn, *args):
    """torch's 1-d pools: unsqueeze(-2), the 2-d kernel, squeeze(-2)."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D input, but got {input.dim()}D input")
    out = fn(_shape.unsqueeze(input, -2), *args)
    if isinstance(out, tuple):
        return tuple(_shape.squeeze(o, -2) for o in out)
    return _shape.squeeze(out, -2)


def _one(v):
    return v[0] if isinstance(v, (tuple, list)) else v


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    s = None if stride is None or stride == [] or stride == () else (1, _one(stride))
    out = _via_2d(input, _max_pool2d, (1, _one(kernel_size)), s, (0, _one(padding)),
                  (1, _one(dilation)), ceil_mode)
    return out if return_indices else out[0]


@function("max_pool1d")
def _torch_max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


@function("max_pool1d_with_indices")
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def _avg_divisor(size, kernel, stride, padding, out, ceil_mode, count_include_pad):
    """Per-output divisor of torch's avg_pool (CPU kernel): window size clipped at the pads."""
    div = np.ones((), np.float64)
    for n, k, s, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if count_include_pad:
            d = end - start
        else:
            d = np.minimum(end, n) - np.maximum(start, 0)
        div = np.multiply.outer(div, d)
    return div


def _avg_pool_impl(x, kernel, stride, padding, out, divisor):
    total = sum(_windows(x, kernel, stride, padding, (1,) * len(kernel), out, 0))
    return (total / jnp.asarray(divisor.arr, x.dtype)).astype(x.dtype)


_AVG_POOL = {n: op(f"avg_pool{n}d", node=f"AvgPool{n}DBackward0")(_avg_pool_impl) for n in (2, 3)}
_avg_pool = _AVG_POOL[2]


class _Static:
    """A numpy array usable as a static (hashable) op param."""

    def __init__(self, arr):
        self.arr = arr
        self._key = (arr.shape, arr.tobytes())

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return isinstance(other, _Static) and self._key == other._key

    def __array__(self, dtype=None, copy=None):
        return self.arr if dtype is None else self.arr.astype(dtype)


def _avg_pool_nd(input, nsp, kernel_size, stride, padding, ceil_mode, count_include_pad,
                 divisor_override):
    kernel, stride, padding, _ = _pool_args(input, kernel_size, stride, padding, 1, nsp, "avg")
    size = input.shape[-nsp:]
    out = tuple(pool_out_size(n, k, s, p, 1, ceil_mode)
                for n, k, s, p in zip(size, kernel, stride, padding))
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
        div = np.full(out, float(divisor_override))
    else:
        div = _avg_divisor(size, kernel, stride, padding, out, ceil_mode, count_include_pad)
    params = (("kernel", kernel), ("stride", stride), ("padding", padding), ("out", out),
              ("divisor", _Static(div)))
    return call(_AVG_POOL[nsp], (input,), params)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool_nd(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool_nd(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


@function("avg_pool1d")
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    s = None if stride is None or stride == [] or stride == () else (1, _one(stride))
    return _via_2d(input, avg_pool2d, (1, _one(kernel_size)), s, (0, _one(padding)), ceil_mode,
                   count_include_pad)


def _adaptive_matrix(n, o):
    """(o, n): row i averages input [floor(i*n/o), ceil((i+1)*n/o))."""
    m = np.zeros((o, n))
    for i in range(o):
        a, b = (i * n) // o, -(-((i + 1) * n) // o)
        m[i, a:b] = 1.0 / (b - a)
    return m


def _adaptive_avg_impl(x, mats):
    # contract each trailing spatial dim with its (out, in) averaging matrix
    for k, m in enumerate(mats):
        axis = x.ndim - len(mats) + k
        x = jnp.moveaxis(jnp.tensordot(x, jnp.asarray(m.arr, x.dtype), ((axis,), (1,)),
                                       precision=_HIGHEST), -1, axis)
    return x


_ADAPTIVE_AVG = {n: op(f"adaptive_avg_pool{n}d", node=f"AdaptiveAvgPool{n}DBackward0")(
    _adaptive_avg_impl) for n in (2, 3)}


def _adaptive_avg_nd(input, nsp, output_size):
    if input.dim() not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"adaptive_avg_pool{nsp}d(): Expected {nsp + 1}D or {nsp + 2}D "
                           f"tensor, but got {_shape_str(input.shape)}")
    size = input.shape[-nsp:]
    out = tuple(n if o is None else o for n, o in zip(size, _tuple(output_size, nsp)))
    if out == (1,) * nsp:  # torch: a global pool is a mean
        return _red.mean(input, tuple(range(-1, -nsp - 1, -1)), keepdim=True)
    mats = tuple(_Static(_adaptive_matrix(n, o)) for n, o in zip(size, out))
    return call(_ADAPTIVE_AVG[nsp], (input,), (("mats", mats),))


def adaptive_avg_pool2d(input, output_size):
    return _adaptive_avg_nd(input, 2, output_size)


def adaptive_avg_pool3d(input, output_size):
    return _adaptive_avg_nd(input, 3, output_size)


def _adaptive_candidates(size, out):
    """(first, per_k): flat input indices of each adaptive window's elements, padded by
    repeating the window's first element (repeats never win a strict first-max scan)."""
    per_dim = []
    for n, o in zip(size, out):
        start = (np.arange(o) * n) // o
        end = -(-((np.arange(o) + 1) * n) // o)
        length = int((end - start).max())
        cand = start[:, None] + np.arange(length)[None, :]
        per_dim.append(np.where(cand < end[:, None], cand, start[:, None]))  # (o, L)
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    per_k = []
    for offs in itertools.product(*[range(c.shape[1]) for c in per_dim]):
        flat = np.zeros(out, np.int64)
        for g, off, n, c in zip(grids, offs, size, per_dim):
            flat = flat * n + c[g, off]
        per_k.append(flat)
    return per_k


@op("adaptive_max_pool2d", node="AdaptiveMaxPool2DBackward0", nout=2, out_diff=(True, False))
def _adaptive_max(x, out, nsp):
    lead = x.shape[:-nsp]
    flat = x.reshape(lead + (-1,))
    xs = jax.lax.stop_gradient(flat)
    best = jnp.full(lead + tuple(out), -jnp.inf, x.dtype)
    idx = None
    for pos in _adaptive_candidates(x.shape[-nsp:], out):
        pos = jnp.broadcast_to(jnp.asarray(pos), best.shape)
        val = jnp.take_along_axis(xs, pos.reshape(lead + (-1,)), axis=-1).reshape(best.shape)
        if idx is None:
            best, idx = val, pos
            continue
        better = (val > best) | jnp.isnan(val)  # torch: the first maximum; NaN replaces
        best = jnp.where(better, val, best)
        idx = jnp.where(better, pos, idx)
    y = jnp.take_along_axis(flat, idx.reshape(lead + (-1,)), axis=-1)
    return y.reshape(best.shape), idx


def adaptive_max_pool2d(input, output_size, return_indices=False):
    if input.dim() not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: "
                           f"{_shape_str(input.shape)}")
    size = input.shape[-2:]
    out = tuple(n if o is None else o for n, o in zip(size, _tuple(output_size, 2)))
    y, idx = call(_adaptive_max, (input,), (("out", out), ("nsp", 2)))
    return (y, idx) if return_indices else y


def adaptive_max_pool1d(input, output_size, return_indices=False):
    out = _via_2d(input, adaptive_max_pool2d, (1, _one(output_size)), True)
    return out if return_indices else out[0]


@function("adaptive_max_pool1d")
def _torch_adaptive_max_pool1d(input, output_size):
    """torch.adaptive_max_pool1d: always (values, indices)."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return adaptive_max_pool2d(input, output_size, True)


@function("adaptive_avg_pool1d")
def adaptive_avg_pool1d(input, output_size):
    return _via_2d(input, adaptive_avg_pool2d, (1, _one(output_size)))


# ---- module backward hooks -----------------------------------------------------------------

_hook_rows = {}


def backward_hook_identity(tensors):
    """Identity over `tensors` recorded as one BackwardHookFunctionBackward node (a tuple)."""
    n = len(tensors)
    row = _hook_rows.get(n)
    if row is None:
        impl = (lambda *xs: xs) if n > 1 else (lambda x: x)
        row = _hook_rows[n] = op(f"backward_hook/{n}", node="BackwardHookFunctionBackward",
                                 saves=False, nout=n)(impl)
    out = call(row, tuple(tensors))
    return out if isinstance(out, tuple) else (out,)


# torch.nn.functional's names among these (F imports them from here)
F_NAMES = ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool1d_with_indices",
           "adaptive_max_pool2d_with_indices", "layer_norm", "batch_norm", "group_norm",
           "instance_norm", "rms_norm")

__all__ = [*F_NAMES, "pool_out_size"]
