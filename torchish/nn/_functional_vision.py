"""interpolate (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area), its deprecated
upsample* forms, and pixel_shuffle / pixel_unshuffle.

Each upsampling kernel is one row per (mode, spatial rank) with torch's node name. Its source
indices and weights are computed on the host with torch's CPU formulas in torch's arithmetic
(float32 index math; weights in the op's compute type), then applied one spatial dim at a time,
innermost first, as torch's separable kernel nests them. The gradient is JAX's (a scatter-add).
"""

import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call
from .._ops import nn_kernels as _kernels
from .._ops._registry import op
from .._ops._surface import function
from .._tensor import Tensor

# ---- host-side source indices and weights (torch's UpSample.h) ---------------------------------

_F32 = np.float32


def _scale_value(scale, n_in, n_out, dt):
    """compute_scales_value: 1/scale_factor when one is given, else in/out, in type `dt`."""
    if scale is not None and scale > 0:
        return dt(1.0 / scale)
    return dt(dt(n_in) / dt(n_out))


def _area_scale(n_in, n_out, align_corners, scale, dt):
    if align_corners:
        return dt(dt(n_in - 1) / dt(n_out - 1)) if n_out > 1 else dt(0)
    return _scale_value(scale, n_in, n_out, dt)


def _nearest_taps(n_in, n_out, scale, _align, _dt):
    i = np.arange(n_out)
    if n_out == n_in:  # torch: exact copies, no float math
        return [i], None
    if n_out == 2 * n_in:
        return [i >> 1], None
    s = _scale_value(scale, n_in, n_out, _F32)
    src = np.floor(i.astype(_F32) * s).astype(np.int64)
    return [np.minimum(src, n_in - 1)], None


def _nearest_exact_taps(n_in, n_out, scale, _align, _dt):
    s = _scale_value(scale, n_in, n_out, _F32)
    # torch: (i + 0.5) * scale in double, then floorf's float argument
    src = np.floor(((np.arange(n_out) + 0.5) * np.float64(s)).astype(_F32)).astype(np.int64)
    return [np.minimum(src, n_in - 1)], None


def _fma(a, b, c, dt):
    """a * b + c rounded once, as torch's CPU build contracts it (exact in double for float32
    operands; double operands round twice, a 1e-16 difference)."""
    if dt is _F32:
        return (np.float64(a) * np.float64(b) + np.float64(c)).astype(_F32)
    return a * b + c


def _source_index(n_in, n_out, scale, align_corners, dt, cubic):
    s = _area_scale(n_in, n_out, align_corners, scale, dt)
    i = np.arange(n_out).astype(dt)
    if align_corners:
        return s * i
    src = _fma(s, i + dt(0.5), dt(-0.5), dt)
    return src if cubic else np.maximum(src, dt(0))


def _linear_taps(n_in, n_out, scale, align_corners, dt):
    real = _source_index(n_in, n_out, scale, align_corners, dt, False)
    i0 = np.minimum(np.floor(real.astype(_F32)).astype(np.int64), n_in - 1)
    lam = np.clip(real - i0.astype(dt), dt(0), dt(1)).astype(dt)
    i1 = i0 + (i0 < n_in - 1)
    return [i0, i1], [dt(1) - lam, lam]


def _cubic_coefficients(t, dt):
    a = dt(-0.75)

    def near(x):  # |x| <= 1: ((a + 2) x - (a + 3)) x x + 1
        return _fma(_fma(a + dt(2), x, -(a + dt(3)), dt) * x, x, dt(1), dt)

    def far(x):  # 1 < |x| < 2: ((a x - 5a) x + 8a) x - 4a
        return _fma(_fma(_fma(a, x, -dt(5) * a, dt), x, dt(8) * a, dt), x, -dt(4) * a, dt)
    x2 = dt(1) - t
    return [far(t + dt(1)), near(t), near(x2), far(x2 + dt(1))]


def _cubic_taps(n_in, n_out, scale, align_corners, dt):
    real = _source_index(n_in, n_out, scale, align_corners, dt, True)
    i0 = np.floor(real.astype(_F32)).astype(np.int64)
    t = (real - i0.astype(dt)).astype(dt)
    idx = [np.clip(i0 - 1 + j, 0, n_in - 1) for j in range(4)]  # torch: borders repeat
    return idx, [w.astype(dt) for w in _cubic_coefficients(t, dt)]


class _Taps:
    """Per-dim (indices, weights) as a static, hashable op param."""

    def __init__(self, per_dim):
        self.per_dim = per_dim
        self._key = tuple((tuple(a.tobytes() for a in idx),
                           None if w is None else tuple(a.tobytes() for a in w))
                          for idx, w in per_dim)

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return isinstance(other, _Taps) and self._key == other._key


def _upsample_impl(x, taps):
    nsp = len(taps.per_dim)
    dt = x.dtype
    acc = jnp.float32 if dt in (jnp.float16, jnp.bfloat16) else dt
    y = x.astype(acc) if taps.per_dim[0][1] is not None else x
    for k in reversed(range(nsp)):  # innermost dim first, as torch's kernel nests them
        axis = x.ndim - nsp + k
        idx, w = taps.per_dim[k]
        if w is None:
            y = jnp.take(y, jnp.asarray(idx[0]), axis=axis)
            continue
        shape = (-1,) + (1,) * (x.ndim - 1 - axis)
        out = None
        for i, wi in zip(idx, w):
            term = jnp.take(y, jnp.asarray(i), axis=axis) * jnp.asarray(wi).reshape(shape)
            out = term if out is None else out + term
        y = out
    return y.astype(dt)


# (mode, spatial rank) -> (torch op name, node name, taps function)
_MODES = {
    ("nearest", 1): ("upsample_nearest1d", "UpsampleNearest1DBackward0", _nearest_taps),
    ("nearest", 2): ("upsample_nearest2d", "UpsampleNearest2DBackward0", _nearest_taps),
    ("nearest", 3): ("upsample_nearest3d", "UpsampleNearest3DBackward0", _nearest_taps),
    ("nearest-exact", 1): ("_upsample_nearest_exact1d", "UpsampleNearestExact1DBackward0",
                           _nearest_exact_taps),
    ("nearest-exact", 2): ("_upsample_nearest_exact2d", "UpsampleNearestExact2DBackward0",
                           _nearest_exact_taps),
    ("nearest-exact", 3): ("_upsample_nearest_exact3d", "UpsampleNearestExact3DBackward0",
                           _nearest_exact_taps),
    ("linear", 1): ("upsample_linear1d", "UpsampleLinear1DBackward0", _linear_taps),
    ("bilinear", 2): ("upsample_bilinear2d", "UpsampleBilinear2DBackward0", _linear_taps),
    ("trilinear", 3): ("upsample_trilinear3d", "UpsampleTrilinear3DBackward0", _linear_taps),
    ("bicubic", 2): ("upsample_bicubic2d", "UpsampleBicubic2DBackward0", _cubic_taps),
}
_ROWS = {key: op(name, node=node)(_upsample_impl) for key, (name, node, _) in _MODES.items()}

# torch's CPU kernels that refuse a dtype name themselves in the error
_KERNEL_NAMES = {"nearest": "compute_indices_weights_nearest",
                 "nearest-exact": "compute_indices_weights_nearest",
                 "linear": "compute_indices_weights_linear",
                 "trilinear": "compute_indices_weights_linear",
                 "bilinear": "upsample_bilinear2d_channels_last",
                 "bicubic": "compute_indices_weights_cubic"}


def _check_sizes(size_in, size_out):
    if all(n > 0 for n in size_in) and all(n > 0 for n in size_out):
        return
    names = "DHW"[3 - len(size_in):]

    def fmt(s):
        return ", ".join(f"{c}: {n}" for c, n in zip(names, s))
    sep = " and" if len(size_in) == 1 else ""
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                       f"({fmt(size_in)}){sep} output ({fmt(size_out)})")


def _check_dtype(input, mode, nsp):
    dt = input.dtype
    if dt.is_floating_point or (dt is _dtypes.uint8 and mode in ("nearest", "nearest-exact")):
        return
    if dt is _dtypes.uint8 and mode in ("bilinear", "bicubic"):
        raise NotImplementedError(f"torchish: interpolate({mode!r}) of uint8 input (torch's "
                                  f"fixed-point kernel) is not supported")
    kernel = _KERNEL_NAMES[mode]
    if nsp == 2 and mode in ("nearest", "nearest-exact"):
        kernel = "upsample_nearest2d_channels_last"
    raise NotImplementedError(f'"{kernel}" not implemented for '
                              f"'{_dtypes.SCALAR_NAMES[dt]}'")


def _upsample(input, mode, output_size, scales, align_corners):
    """One upsample kernel: output_size (ints) and the scale factors the kernel sees."""
    nsp = input.dim() - 2
    size_in = tuple(input.shape[2:])
    _check_sizes(size_in, output_size)
    _check_dtype(input, mode, nsp)
    name, _, taps_fn = _MODES[(mode, nsp)]
    acc = np.float64 if input.dtype is _dtypes.float64 else _F32
    per_dim = []
    for n_in, n_out, s in zip(size_in, output_size, scales or (None,) * nsp):
        idx, w = taps_fn(n_in, n_out, s, align_corners, acc)
        per_dim.append((tuple(idx), None if w is None else tuple(w)))
    return call(_ROWS[(mode, nsp)], (input,), (("taps", _Taps(tuple(per_dim))),))


# ---- interpolate -------------------------------------------------------------------------------

_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")
_RANK_OF = {"linear": 1, "bilinear": 2, "trilinear": 3}


def _is_integer(x):
    if isinstance(x, Tensor):
        return not x.dtype.is_floating_point and not x.dtype.is_complex
    return isinstance(x, int)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of (N, C, *) input. antialias=True is not supported yet."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scales = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size of "
                    f"{size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "output size in (o1, o2, ...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] "
                                "or Tuple[int, int, int], but got size with types "
                                f"{[type(x) for x in size]}")
            output_size = [int(x) for x in size]
        else:
            output_size = [int(size)] * dim
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. Please provide input tensor in (N, C, "
                    "d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        # torch: the kernel then derives its scale from the integer sizes
        output_size = [int(input.shape[i + 2] * scales[i]) for i in range(dim)]
        scales = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    if antialias:
        raise NotImplementedError("torchish: interpolate(antialias=True) is not supported yet")
    if output_size is None:
        # torch (C++): each output size is input size * scale, truncated
        output_size = [int(n * s) for n, s in zip(input.shape[2:], scales)]
    if dim in (1, 2, 3):
        if mode in ("nearest", "nearest-exact") or (mode == "bicubic" and dim == 2) or (
                _RANK_OF.get(mode) == dim):
            return _upsample(input, mode, tuple(output_size), scales, align_corners)
        if mode == "area":
            pool = (_kernels.adaptive_avg_pool1d, _kernels.adaptive_avg_pool2d,
                    _kernels.adaptive_avg_pool3d)[dim - 1]
            return pool(input, output_size if dim > 1 else output_size[0])
        if mode == "lanczos" and dim == 2:
            if align_corners:
                raise ValueError("Lanczos mode does not support align_corners=True")
            raise ValueError("Lanczos mode requires antialias=True")
        if mode in _RANK_OF:
            want = _RANK_OF[mode]
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                      f"{want + 2}D input")
    raise NotImplementedError(
        "Input Error: Only 3D, 4D and 5D input Tensors supported"
        f" (got {input.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear "
        f"| lanczos | area | nearest-exact (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated: interpolate."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: interpolate(mode='nearest')."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: interpolate(mode='bilinear', align_corners=True)."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---- pixel shuffle -----------------------------------------------------------------------------

@op("pixel_shuffle", node="PixelShuffleBackward0")
def _pixel_shuffle(x, r):
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c // (r * r), r, r, h, w)  # (*, C, r, r, H, W)
    n = len(lead)
    y = jnp.transpose(y, tuple(range(n)) + tuple(n + d for d in (0, 3, 1, 4, 2)))
    return y.reshape(*lead, c // (r * r), h * r, w * r)


@op("pixel_unshuffle", node="PixelUnshuffleBackward0")
def _pixel_unshuffle(x, r):
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c, h // r, r, w // r, r)  # (*, C, H/r, r, W/r, r)
    n = len(lead)
    y = jnp.transpose(y, tuple(range(n)) + tuple(n + d for d in (0, 2, 4, 1, 3)))
    return y.reshape(*lead, c * r * r, h // r, w // r)


def _factor(name, what, factor, input):
    if not isinstance(factor, int) or isinstance(factor, bool):
        raise TypeError(f"{name}(): argument '{what}' (position 2) must be int, not "
                        f"{type(factor).__name__}")
    if input.dim() < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {input.dim()} dimension(s)")
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


@function("pixel_shuffle")
def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""
    _factor("pixel_shuffle", "upscale_factor", upscale_factor, input)
    c, r2 = input.shape[-3], upscale_factor * upscale_factor
    if c % r2:
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={c} is not "
                           f"divisible by {r2}")
    return call(_pixel_shuffle, (input,), (("r", upscale_factor),))


@function("pixel_unshuffle")
def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""
    _factor("pixel_unshuffle", "downscale_factor", downscale_factor, input)
    for what, d in (("height", -2), ("width", -1)):
        if input.shape[d] % downscale_factor:
            raise RuntimeError(f"pixel_unshuffle expects {what} to be divisible by "
                               f"downscale_factor, but input.size({d})={input.shape[d]} is not "
                               f"divisible by {downscale_factor}")
    return call(_pixel_unshuffle, (input,), (("r", downscale_factor),))


__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle",
           "pixel_unshuffle"]
