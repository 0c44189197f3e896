"""More torch.nn.functional cases: scaled_dot_product_attention (both CPU backends), interpolate and
the upsampling modules, pixel_shuffle, cosine_similarity, gaussian/multilabel/multi-margin losses,
gumbel_softmax, embedding_bag, and the functional surface (torch.* names and argument orders).

Written once against a module parameter: compat/gen_functional_extra.py records real torch's outputs
into compat/refs/functional_extra.json and tests/nn/test_functional_extra.py replays them under
torchish. The record format is functional_cases.py's (values, dtypes, grad_fn chains, gradients of
every leaf, warnings, errors). Inputs are deterministic; seeded cases draw from torch's generator.
"""

import math

from compat.functional_cases import grad_fn_chain, record

CASES = {}
GOLDEN = 0.6180339887498949
REDUCTIONS = ("none", "mean", "sum")


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def run(name, torch):
    """The JSON-able record of case `name` run with the module `torch`."""
    return record(CASES[name], torch)


def det(c, *shape, seed=0, scale=1.0, dtype=None, grad=True):
    """Golden-ratio values in [-scale, scale): deterministic, without ties; a leaf if `grad`."""
    n = math.prod(shape)
    vals = [((i * GOLDEN + seed * 0.1) % 1.0 * 2.0 - 1.0) * scale for i in range(n)]
    t = c.torch.tensor(vals, dtype=c.torch.float64).reshape(shape)
    t = t.to(c._dt(dtype) if dtype else c.torch.float32)
    if grad:
        t.requires_grad_()
        c.leaves.append(t)
    return t


def deep(t, depth=14):
    return grad_fn_chain(t.grad_fn, depth)


def _each(fn):
    return {r: fn(r) for r in REDUCTIONS}


# ==== scaled_dot_product_attention =============================================================

def _qkv(c, q_shape, k_shape, v_shape=None, dtype=None):
    return (det(c, *q_shape, dtype=dtype), det(c, *k_shape, seed=1, dtype=dtype),
            det(c, *(v_shape or k_shape), seed=2, dtype=dtype))


def _sdpa(c, q, k, v, **kw):
    out = c.F.scaled_dot_product_attention(q, k, v, **kw)
    return {"out": out, "chain": deep(out)}


@case
def sdpa_flash(c):
    return _sdpa(c, *_qkv(c, (2, 3, 4, 8), (2, 3, 5, 8)))


@case
def sdpa_flash_causal(c):
    return _sdpa(c, *_qkv(c, (1, 2, 4, 8), (1, 2, 6, 8)), is_causal=True)


@case
def sdpa_flash_bool_mask(c):
    mask = c.t([[True, False, True, True, False]] * 3 + [[False] * 5])  # last row: nothing
    return _sdpa(c, *_qkv(c, (2, 2, 4, 8), (2, 2, 5, 8)), attn_mask=mask)


@case
def sdpa_flash_float_mask_4d(c):
    mask = det(c, 2, 1, 4, 5, seed=7, grad=False)
    return _sdpa(c, *_qkv(c, (2, 3, 4, 8), (2, 3, 5, 8)), attn_mask=mask)


@case
def sdpa_flash_scale(c):
    q, k, v = _qkv(c, (1, 2, 3, 4), (1, 2, 3, 4))
    return {"pos": c.F.scaled_dot_product_attention(q, k, v, scale=0.7),
            "neg": c.F.scaled_dot_product_attention(q, k, v, scale=-0.3)}


@case
def sdpa_flash_gqa(c):
    return _sdpa(c, *_qkv(c, (1, 4, 3, 8), (1, 2, 5, 8)), enable_gqa=True)


@case
def sdpa_flash_double(c):
    return _sdpa(c, *_qkv(c, (1, 2, 3, 4), (1, 2, 5, 4), dtype="float64"))


@case
def sdpa_flash_causal_and_mask(c):
    mask = c.t([[True, True, False], [True, False, True], [True, True, True]])
    return _sdpa(c, *_qkv(c, (1, 1, 3, 4), (1, 1, 3, 4)), attn_mask=mask, is_causal=True)


@case
def sdpa_flash_transposed_query(c):
    q = det(c, 2, 4, 3, 8).transpose(1, 2)  # (2, 3, 4, 8), last dim still contiguous
    return _sdpa(c, q, det(c, 2, 3, 5, 8, seed=1), det(c, 2, 3, 5, 8, seed=2))


@case
def sdpa_math_value_dim(c):
    return _sdpa(c, *_qkv(c, (2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)))


@case
def sdpa_math_3d(c):
    return _sdpa(c, *_qkv(c, (3, 4, 8), (3, 5, 8)))


@case
def sdpa_math_3d_causal(c):
    return _sdpa(c, *_qkv(c, (2, 4, 8), (2, 4, 8)), is_causal=True)


@case
def sdpa_math_3d_bool_mask(c):
    mask = c.t([[True, False, True, True, False]] * 3 + [[False] * 5])
    return _sdpa(c, *_qkv(c, (2, 4, 8), (2, 5, 8)), attn_mask=mask)


@case
def sdpa_math_2d(c):
    return _sdpa(c, *_qkv(c, (4, 8), (5, 8)))


@case
def sdpa_math_mask_requires_grad(c):
    mask = det(c, 4, 5, seed=7)
    return _sdpa(c, *_qkv(c, (2, 3, 4, 8), (2, 3, 5, 8)), attn_mask=mask)


@case
def sdpa_math_gqa_3d(c):
    return _sdpa(c, *_qkv(c, (4, 3, 8), (2, 5, 8)), enable_gqa=True)


@case
def sdpa_math_broadcast_batch(c):
    return _sdpa(c, *_qkv(c, (2, 3, 4, 8), (1, 3, 5, 8)))


@case
def sdpa_math_half(c):
    return _sdpa(c, *_qkv(c, (2, 3, 4), (2, 5, 4), dtype="float16"))


@case
def sdpa_math_scale_negative(c):
    return _sdpa(c, *_qkv(c, (2, 3, 4), (2, 3, 4)), scale=-0.5)


@case
def sdpa_math_dropout_seeded(c):
    c.torch.manual_seed(11)
    out = _sdpa(c, *_qkv(c, (2, 2, 4, 8), (2, 2, 5, 8)), dropout_p=0.3)
    out["after"] = c.torch.rand(3)  # the generator advanced exactly as torch's did
    return out


@case
def sdpa_empty(c):
    q = c.torch.zeros(2, 3, 0, 8, requires_grad=True)
    c.leaves.append(q)
    k, v = det(c, 2, 3, 5, 8, seed=1), det(c, 2, 3, 5, 8, seed=2)
    out = c.F.scaled_dot_product_attention(q, k, v)
    keys = c.torch.zeros(2, 0, 4, requires_grad=True)
    c.leaves.append(keys)
    empty_s = c.F.scaled_dot_product_attention(det(c, 2, 3, 4, seed=3), keys,
                                               c.torch.zeros(2, 0, 6))
    return {"out": out, "chain": deep(out), "empty_keys": empty_s}


@case
def sdpa_dtype_error(c):
    return c.F.scaled_dot_product_attention(det(c, 2, 4), det(c, 2, 4, dtype="float64"),
                                            det(c, 2, 4))


@case
def sdpa_dims_error(c):
    return c.F.scaled_dot_product_attention(det(c, 4), det(c, 4), det(c, 4))


@case
def sdpa_mask_dtype_error(c):
    mask = c.t([[1, 0], [0, 1]])
    return c.F.scaled_dot_product_attention(*_qkv(c, (2, 2), (2, 2)), attn_mask=mask)


@case
def sdpa_causal_with_mask_error(c):
    mask = c.t([[True, False], [True, True]])
    return c.F.scaled_dot_product_attention(*_qkv(c, (1, 2, 4), (1, 2, 4)), attn_mask=mask,
                                            is_causal=True)


@case
def sdpa_gqa_heads_error(c):
    return c.F.scaled_dot_product_attention(*_qkv(c, (1, 4, 2, 4), (1, 3, 2, 4)), enable_gqa=True)


@case
def sdpa_mask_1d_error(c):
    return c.F.scaled_dot_product_attention(*_qkv(c, (1, 1, 2, 4), (1, 1, 3, 4)),
                                            attn_mask=c.torch.zeros(3))


@case
def sdpa_mask_broadcast_error(c):
    return c.F.scaled_dot_product_attention(*_qkv(c, (1, 1, 3, 4), (1, 1, 3, 4)),
                                            attn_mask=c.torch.zeros(3, 3, 1))


@case
def sdpa_heads_mismatch_error(c):
    return c.F.scaled_dot_product_attention(*_qkv(c, (1, 4, 2, 4), (1, 2, 2, 4)))


def _mha(c, dropout):
    torch = c.torch
    m = torch.nn.MultiheadAttention(4, 2, dropout=dropout)
    with torch.no_grad():
        for k, p in enumerate(m.parameters()):
            p.copy_(det(c, *p.shape, seed=k + 3, scale=0.5, grad=False))
    x = det(c, 3, 2, 4)
    out, w = m(x, x, x, need_weights=False)
    return {"out": out, "weights": w, "chain": deep(out, 8)}


@case
def mha_no_weights_uses_sdpa(c):
    return _mha(c, 0.0)


@case
def mha_no_weights_dropout_seeded(c):
    c.torch.manual_seed(5)
    return _mha(c, 0.25)


# ==== interpolate ===============================================================================

@case
def interpolate_nearest(c):
    return {"1d_x2": c.F.interpolate(det(c, 1, 2, 5), scale_factor=2),
            "1d_size": c.F.interpolate(det(c, 1, 2, 5), size=7),
            "2d_x1.5": c.F.interpolate(det(c, 1, 2, 3, 4), scale_factor=1.5),
            "2d_down": c.F.interpolate(det(c, 1, 1, 5, 7), scale_factor=(0.6, 0.45)),
            "2d_size": c.F.interpolate(det(c, 2, 1, 3, 3), size=(5, 2)),
            "3d": c.F.interpolate(det(c, 1, 1, 2, 3, 2), scale_factor=(1.5, 1.0, 2.5)),
            "3d_size": c.F.interpolate(det(c, 1, 1, 2, 2, 3), size=(3, 4, 2))}


@case
def interpolate_nearest_exact(c):
    return {"1d": c.F.interpolate(det(c, 1, 2, 5), scale_factor=1.7, mode="nearest-exact"),
            "2d": c.F.interpolate(det(c, 1, 2, 3, 4), size=(5, 7), mode="nearest-exact"),
            "2d_down": c.F.interpolate(det(c, 1, 1, 7, 5), scale_factor=0.5, mode="nearest-exact"),
            "3d": c.F.interpolate(det(c, 1, 1, 2, 3, 2), size=(3, 2, 5), mode="nearest-exact")}


@case
def interpolate_linear(c):
    x = det(c, 2, 2, 5)
    return {"x2": c.F.interpolate(x, scale_factor=2, mode="linear"),
            "align": c.F.interpolate(x, size=8, mode="linear", align_corners=True),
            "down": c.F.interpolate(x, scale_factor=0.7, mode="linear"),
            "size1_align": c.F.interpolate(x, size=1, mode="linear", align_corners=True)}


@case
def interpolate_bilinear(c):
    x = det(c, 1, 2, 4, 5)
    return {"x1.5": c.F.interpolate(x, scale_factor=1.5, mode="bilinear"),
            "align": c.F.interpolate(x, size=(6, 3), mode="bilinear", align_corners=True),
            "down": c.F.interpolate(x, scale_factor=(0.5, 0.8), mode="bilinear"),
            "recompute": c.F.interpolate(x, scale_factor=1.3, mode="bilinear",
                                         recompute_scale_factor=True),
            "no_recompute": c.F.interpolate(x, scale_factor=1.3, mode="bilinear")}


@case
def interpolate_bilinear_large(c):
    # past torch's small-output kernel choice (out H + W > 128)
    return c.F.interpolate(det(c, 1, 3, 30, 40), size=(70, 90), mode="bilinear")


@case
def interpolate_trilinear(c):
    x = det(c, 1, 1, 3, 2, 4)
    return {"scale": c.F.interpolate(x, scale_factor=(1.5, 2, 0.75), mode="trilinear"),
            "align": c.F.interpolate(x, size=(4, 3, 5), mode="trilinear", align_corners=True)}


@case
def interpolate_bicubic(c):
    x = det(c, 1, 2, 4, 5)
    return {"x2": c.F.interpolate(x, scale_factor=2, mode="bicubic"),
            "align": c.F.interpolate(x, size=(7, 3), mode="bicubic", align_corners=True),
            "down": c.F.interpolate(x, scale_factor=0.6, mode="bicubic")}


@case
def interpolate_area(c):
    return {"1d": c.F.interpolate(det(c, 1, 2, 7), size=3, mode="area"),
            "2d_scale": c.F.interpolate(det(c, 1, 1, 6, 5), scale_factor=0.5, mode="area")}


@case
def interpolate_double_and_uint8(c):
    x = det(c, 1, 1, 3, 4, dtype="float64")
    img = c.t([[[[0, 50, 100], [150, 200, 250]]]], dtype="uint8")
    return {"bilinear": c.F.interpolate(x, scale_factor=1.7, mode="bilinear"),
            "bicubic": c.F.interpolate(x, size=(5, 6), mode="bicubic", align_corners=True),
            "nearest_uint8": c.F.interpolate(img, scale_factor=1.5)}


@case
def interpolate_tensor_size(c):
    return c.F.interpolate(det(c, 1, 1, 3, 3), size=c.t(5))


def _interp_error(kw, shape=(1, 1, 4, 4), dtype=None):
    def fn(c):
        return c.F.interpolate(c.torch.ones(*shape, dtype=c._dt(dtype) if dtype else None), **kw)
    return fn


_INTERP_ERRORS = {
    "zero_size_2d": ({"scale_factor": 0.1}, (1, 1, 4, 4)),
    "zero_size_1d": ({"scale_factor": 0.1}, (1, 1, 4)),
    "zero_size_3d": ({"scale_factor": 0.1, "mode": "trilinear"}, (1, 1, 4, 4, 4)),
    "negative_size": ({"size": (-1, 2)}, (1, 1, 4, 4)),
    "empty_input": ({"size": (2, 2)}, (1, 1, 0, 4)),
    "float_size": ({"size": (2.0, 2)}, (1, 1, 4, 4)),
    "size_and_scale": ({"size": 2, "scale_factor": 2}, (1, 1, 4, 4)),
    "neither": ({}, (1, 1, 4, 4)),
    "align_corners_nearest": ({"size": 2, "align_corners": True}, (1, 1, 4, 4)),
    "antialias_nearest": ({"size": 2, "antialias": True}, (1, 1, 4, 4)),
    "2d_input": ({"size": 2}, (4, 4)),
    "unknown_mode": ({"size": 2, "mode": "foo"}, (1, 1, 4, 4)),
    "linear_4d": ({"size": 2, "mode": "linear"}, (1, 1, 4, 4)),
    "bilinear_3d": ({"size": 2, "mode": "bilinear"}, (1, 1, 4)),
    "trilinear_4d": ({"size": 2, "mode": "trilinear"}, (1, 1, 4, 4)),
    "size_rank": ({"size": (2, 2, 2)}, (1, 1, 4, 4)),
    "scale_rank": ({"scale_factor": (2, 2, 2)}, (1, 1, 4, 4)),
    "recompute_with_size": ({"size": 2, "recompute_scale_factor": True}, (1, 1, 4, 4)),
    "lanczos_without_antialias": ({"size": 2, "mode": "lanczos"}, (1, 1, 4, 4)),
}
for _name, (_kw, _shape) in _INTERP_ERRORS.items():
    CASES[f"interpolate_error_{_name}"] = _interp_error(_kw, _shape)
for _mode, _shape in (("nearest", (1, 1, 4)), ("nearest", (1, 1, 4, 4)), ("bilinear", (1, 1, 4, 4)),
                      ("bicubic", (1, 1, 4, 4)), ("linear", (1, 1, 4))):
    CASES[f"interpolate_error_long_{_mode}_{len(_shape) - 2}d"] = _interp_error(
        {"scale_factor": 2, "mode": _mode}, _shape, "int64")


@case
def upsample_deprecated(c):
    x = det(c, 1, 1, 2, 3)
    return {"upsample": c.F.upsample(x, scale_factor=2, mode="bilinear"),
            "nearest": c.F.upsample_nearest(x, size=(3, 4)),
            "bilinear": c.F.upsample_bilinear(x, scale_factor=2)}


@case
def upsample_modules(c):
    nn = c.torch.nn
    mods = {"scale": nn.Upsample(scale_factor=2), "size": nn.Upsample(size=(3, 5), mode="bilinear"),
            "tuple": nn.Upsample(scale_factor=(1.5, 2), mode="bicubic", align_corners=True),
            "zero_scale": nn.Upsample(size=4, scale_factor=0),
            "nearest2d": nn.UpsamplingNearest2d(scale_factor=2),
            "bilinear2d": nn.UpsamplingBilinear2d(size=(4, 5))}
    x = det(c, 1, 2, 2, 3)
    out = {f"repr_{k}": repr(m) for k, m in mods.items()}
    out.update({k: m(x) for k, m in mods.items()})
    return out


# ==== pixel shuffle ===========================================================================

@case
def pixel_shuffle(c):
    nn = c.torch.nn
    x = det(c, 1, 8, 2, 3)
    y = det(c, 2, 1, 2, 4, 6, seed=1)
    return {"shuffle": c.F.pixel_shuffle(x, 2), "unshuffle": c.F.pixel_unshuffle(y, 2),
            "roundtrip": c.F.pixel_unshuffle(c.F.pixel_shuffle(x, 2), 2),
            "module": nn.PixelShuffle(2)(x), "module_un": nn.PixelUnshuffle(2)(y),
            "repr": repr(nn.PixelShuffle(2)) + " " + repr(nn.PixelUnshuffle(3)),
            "ints": c.torch.pixel_shuffle(c.torch.arange(8).reshape(1, 8, 1, 1), 2)}


_SHUFFLE_ERRORS = {
    "shuffle_dims": lambda c: c.F.pixel_shuffle(c.torch.ones(8, 2), 2),
    "shuffle_channels": lambda c: c.F.pixel_shuffle(c.torch.ones(1, 7, 2, 2), 2),
    "shuffle_zero": lambda c: c.F.pixel_shuffle(c.torch.ones(1, 8, 2, 2), 0),
    "unshuffle_height": lambda c: c.F.pixel_unshuffle(c.torch.ones(1, 1, 5, 4), 2),
    "unshuffle_width": lambda c: c.F.pixel_unshuffle(c.torch.ones(1, 1, 4, 5), 2),
    "unshuffle_negative": lambda c: c.F.pixel_unshuffle(c.torch.ones(1, 1, 4, 4), -1),
}
for _name, _fn in _SHUFFLE_ERRORS.items():
    CASES[f"pixel_{_name}_error"] = _fn


# ==== cosine_similarity =======================================================================

@case
def cosine_similarity(c):
    nn = c.torch.nn
    return {"dim1": c.F.cosine_similarity(det(c, 3, 4), det(c, 3, 4, seed=1)),
            "broadcast": c.F.cosine_similarity(det(c, 3, 4, seed=2), det(c, 1, 4, seed=3)),
            "dim0": c.F.cosine_similarity(det(c, 3, 2, seed=4), det(c, 3, 2, seed=5), dim=0),
            "module": nn.CosineSimilarity(dim=-1, eps=1e-4)(det(c, 2, 3, seed=6),
                                                           det(c, 2, 3, seed=7)),
            "repr": repr(nn.CosineSimilarity()) + " " + repr(nn.CosineSimilarity(0, 1e-3))}


@case
def cosine_similarity_zero_vector(c):
    zero = c.v([[0.0, 0.0, 0.0], [1e-9, 0.0, 0.0]])
    return c.F.cosine_similarity(zero, det(c, 2, 3, seed=1))


@case
def cosine_similarity_int(c):
    ints = c.t([[1, 2, 3], [0, 1, 0]])
    return {"mixed": c.F.cosine_similarity(ints, det(c, 2, 3)),
            "torch_fn": c.torch.cosine_similarity(det(c, 2, 3, seed=1), det(c, 2, 3, seed=2))}


@case
def cosine_similarity_int_error(c):
    return c.F.cosine_similarity(c.t([[1, 2]]), c.t([[3, 4]]))


@case
def cosine_similarity_shape_error(c):
    return c.F.cosine_similarity(c.torch.ones(3, 4), c.torch.ones(3, 5))


@case
def cosine_similarity_dim_error(c):
    return c.F.cosine_similarity(c.torch.ones(3, 4), c.torch.ones(3, 4), dim=2)


# ==== losses ==================================================================================

@case
def gaussian_nll_loss(c):
    out = _each(lambda r: c.F.gaussian_nll_loss(det(c, 2, 3), det(c, 2, 3, seed=1),
                                                det(c, 2, 3, seed=2).abs() + 0.1, reduction=r))
    out["full"] = c.F.gaussian_nll_loss(det(c, 2, 3), det(c, 2, 3, seed=1),
                                        det(c, 2, 3, seed=2).abs() + 0.1, full=True)
    out["var_float"] = c.F.gaussian_nll_loss(det(c, 2, 3), det(c, 2, 3, seed=1), 0.5)
    out["homoscedastic"] = c.F.gaussian_nll_loss(det(c, 2, 3), det(c, 2, 3, seed=1),
                                                 det(c, 2, seed=3).abs() + 0.2)
    out["heteroscedastic"] = c.F.gaussian_nll_loss(det(c, 2, 3), det(c, 2, 3, seed=1),
                                                   det(c, 2, 1, seed=4).abs() + 0.2)
    out["clamped"] = c.F.gaussian_nll_loss(det(c, 4), det(c, 4, seed=1),
                                           c.v([0.0, 1e-8, 0.5, 2.0]), eps=1e-3)
    return out


@case
def gaussian_nll_loss_errors(c):
    F, ones = c.F, c.torch.ones

    def err(fn):
        try:
            fn()
        except Exception as e:
            return [type(e).__name__, str(e)]
        return None
    return {"negative": err(lambda: F.gaussian_nll_loss(ones(2), ones(2), -ones(2))),
            "negative_float": err(lambda: F.gaussian_nll_loss(ones(2), ones(2), -0.5)),
            "size": err(lambda: F.gaussian_nll_loss(ones(3, 4), ones(3, 4), ones(2, 4))),
            "reduction": err(lambda: F.gaussian_nll_loss(ones(2), ones(2), ones(2),
                                                         reduction="foo"))}


@case
def multilabel_margin_loss(c):
    t = c.t([[3, 0, -1, 1], [1, 2, 3, -1], [0, -1, 2, 2], [2, 2, 1, -1]])
    out = _each(lambda r: c.F.multilabel_margin_loss(det(c, 4, 4), t, reduction=r))
    out["vector"] = c.F.multilabel_margin_loss(det(c, 4), c.t([2, 0, -1, 1]), reduction="none")
    out["legacy"] = c.F.multilabel_margin_loss(det(c, 4, 4), t, size_average=False)
    return out


@case
def multilabel_margin_loss_errors(c):
    F, x = c.F, c.torch.ones(3, 4)

    def err(fn):
        try:
            fn()
        except Exception as e:
            return [type(e).__name__, str(e)]
        return None
    long = c.torch.int64
    return {"size": err(lambda: F.multilabel_margin_loss(x, c.torch.zeros(3, 3, dtype=long))),
            "range": err(lambda: F.multilabel_margin_loss(x, c.torch.full((3, 4), 4))),
            "negative": err(lambda: F.multilabel_margin_loss(x, c.torch.full((3, 4), -2))),
            "float": err(lambda: F.multilabel_margin_loss(x, c.torch.zeros(3, 4))),
            "3d": err(lambda: F.multilabel_margin_loss(c.torch.ones(2, 3, 4),
                                                       c.torch.zeros(2, 3, 4, dtype=long)))}


@case
def multilabel_soft_margin_loss(c):
    t = c.t([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    out = _each(lambda r: c.F.multilabel_soft_margin_loss(det(c, 2, 3), t, reduction=r))
    out["weight"] = c.F.multilabel_soft_margin_loss(det(c, 2, 3), t, weight=c.t([0.5, 1.0, 2.0]))
    out["legacy"] = c.F.multilabel_soft_margin_loss(det(c, 2, 3), t, reduce=False)
    return out


@case
def multilabel_soft_margin_loss_reduction_error(c):
    return c.F.multilabel_soft_margin_loss(det(c, 2, 3), c.torch.ones(2, 3), reduction="foo")


@case
def multi_margin_loss(c):
    t = c.t([0, 2, 3])
    out = _each(lambda r: c.F.multi_margin_loss(det(c, 3, 4), t, reduction=r))
    out["p2_margin"] = c.F.multi_margin_loss(det(c, 3, 4), t, p=2, margin=0.5, reduction="none")
    out["weight"] = c.F.multi_margin_loss(det(c, 3, 4), t, weight=c.t([1.0, 0.5, 2.0, 0.25]))
    out["vector"] = c.F.multi_margin_loss(det(c, 4), c.t([2]), reduction="none")
    out["vector_0d_target"] = c.F.multi_margin_loss(det(c, 4), c.t(1), reduction="none")
    out["legacy"] = c.F.multi_margin_loss(det(c, 3, 4), t, reduce=False)
    return out


@case
def multi_margin_loss_errors(c):
    F, x = c.F, c.torch.ones(3, 4)

    def err(fn):
        try:
            fn()
        except Exception as e:
            return [type(e).__name__, str(e)]
        return None
    return {"size": err(lambda: F.multi_margin_loss(x, c.t([0, 1, 2, 3]))),
            "range": err(lambda: F.multi_margin_loss(x, c.t([0, 4, 1]))),
            "negative": err(lambda: F.multi_margin_loss(x, c.t([0, -1, 1]))),
            "p": err(lambda: F.multi_margin_loss(x, c.t([0, 1, 1]), p=3)),
            "weight_dims": err(lambda: F.multi_margin_loss(x, c.t([0, 1, 1]),
                                                           weight=c.torch.ones(2, 2))),
            "weight_size": err(lambda: F.multi_margin_loss(x, c.t([0, 1, 1]),
                                                           weight=c.torch.ones(3))),
            "float_target": err(lambda: F.multi_margin_loss(x, c.torch.zeros(3))),
            "3d": err(lambda: F.multi_margin_loss(c.torch.ones(2, 3, 4),
                                                  c.torch.zeros(2, 3, dtype=c.torch.int64)))}


# ==== gumbel_softmax ==========================================================================

@case
def gumbel_softmax_seeded(c):
    c.torch.manual_seed(3)
    logits = det(c, 3, 5)
    return {"soft": c.F.gumbel_softmax(logits),
            "tau": c.F.gumbel_softmax(det(c, 3, 5, seed=1), tau=0.5),
            "hard": c.F.gumbel_softmax(det(c, 3, 5, seed=2), hard=True),
            "dim0": c.F.gumbel_softmax(det(c, 3, 5, seed=3), dim=0),
            "after": c.torch.rand(2)}


@case
def gumbel_softmax_eps_warning(c):
    c.torch.manual_seed(1)
    return c.F.gumbel_softmax(det(c, 2, 3), eps=1e-5)


# ==== embedding_bag ===========================================================================

def _bag_weight(c, seed=0):
    return det(c, 10, 3, seed=seed)


@case
def embedding_bag_modes(c):
    idx, offs = c.t([1, 2, 4, 5, 4, 3, 2, 9]), c.t([0, 3, 3, 6])  # bag 1 is empty
    return {m: c.F.embedding_bag(idx, _bag_weight(c, k), offs, mode=m)
            for k, m in enumerate(("sum", "mean", "max"))}


@case
def embedding_bag_2d_and_options(c):
    idx2 = c.t([[1, 2, 4], [5, 4, 3]])
    idx, offs = c.t([1, 2, 4, 5, 4, 3]), c.t([0, 2, 5, 6])
    psw = det(c, 6, seed=9)
    return {"2d": c.F.embedding_bag(idx2, _bag_weight(c)),
            "2d_max": c.F.embedding_bag(idx2, _bag_weight(c, 1), mode="max"),
            "last_offset": c.F.embedding_bag(idx, _bag_weight(c, 2), offs, mode="sum",
                                             include_last_offset=True),
            "padding": c.F.embedding_bag(idx, _bag_weight(c, 3), c.t([0, 2]), padding_idx=4),
            "per_sample": c.F.embedding_bag(idx, _bag_weight(c, 4), c.t([0, 3]), mode="sum",
                                            per_sample_weights=psw),
            "freq": c.F.embedding_bag(c.t([1, 1, 2, 1]), _bag_weight(c, 5), c.t([0, 2]),
                                      scale_grad_by_freq=True, mode="sum"),
            "max_ties": c.F.embedding_bag(c.t([3, 3, 1]), c.v([[0.0, 1.0]] * 4), c.t([0]),
                                          mode="max")}


@case
def embedding_bag_max_norm(c):
    weight = _bag_weight(c).detach() * 3
    out = c.F.embedding_bag(c.t([1, 2, 4]), weight, c.t([0, 1]), max_norm=1.0)
    return {"out": out, "weight": weight}


@case
def embedding_bag_module(c):
    torch = c.torch
    m = torch.nn.EmbeddingBag(10, 3, mode="sum", padding_idx=0)
    with torch.no_grad():
        m.weight.copy_(_bag_weight(c, 1).detach())
    c.leaves.append(m.weight)
    pre = torch.nn.EmbeddingBag.from_pretrained(det(c, 4, 2, seed=2, grad=False), mode="max")
    return {"out": m(c.t([[0, 2], [3, 0]])), "repr": repr(m),
            "repr_default": repr(torch.nn.EmbeddingBag(5, 2)),
            "pretrained": pre(c.t([1, 2, 3]), c.t([0, 2])),
            "pretrained_frozen": not pre.weight.requires_grad}


def _bag_error(fn):
    def run_(c):
        return fn(c, c.t([1, 2, 4, 5]), c.torch.ones(10, 3))
    return run_


_BAG_ERRORS = {
    "offsets_2d_input": lambda c, i, w: c.F.embedding_bag(i.reshape(2, 2), w, c.t([0, 1])),
    "no_offsets": lambda c, i, w: c.F.embedding_bag(i, w),
    "offsets_dims": lambda c, i, w: c.F.embedding_bag(i, w, c.t([[0, 1]])),
    "input_dims": lambda c, i, w: c.F.embedding_bag(i.reshape(1, 2, 2), w),
    "weight_dims": lambda c, i, w: c.F.embedding_bag(i, c.torch.ones(10), c.t([0])),
    "mode": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0]), mode="min"),
    "max_freq": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0]), mode="max",
                                                  scale_grad_by_freq=True),
    "psw_mode": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0]),
                                                  per_sample_weights=c.torch.ones(4)),
    "psw_shape": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0]), mode="sum",
                                                   per_sample_weights=c.torch.ones(3)),
    "first_offset": lambda c, i, w: c.F.embedding_bag(i, w, c.t([1, 2])),
    "last_offset": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0, 5])),
    "index": lambda c, i, w: c.F.embedding_bag(c.t([1, 10]), w, c.t([0])),
    "float_indices": lambda c, i, w: c.F.embedding_bag(c.t([1.0, 2.0]), w.long(), c.t([0])),
    "padding_idx": lambda c, i, w: c.F.embedding_bag(i, w, c.t([0]), padding_idx=10),
}
for _name, _fn in _BAG_ERRORS.items():
    CASES[f"embedding_bag_error_{_name}"] = _bag_error(_fn)


# ==== the functional surface ==================================================================

TORCH_NAMES = ("avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
               "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
               "adaptive_max_pool2d", "max_pool1d", "max_pool2d", "max_pool3d",
               "max_pool1d_with_indices", "max_pool2d_with_indices", "batch_norm", "instance_norm",
               "layer_norm", "group_norm", "pixel_shuffle", "pixel_unshuffle", "cosine_similarity")
F_NAMES = ("scaled_dot_product_attention", "multi_head_attention_forward", "interpolate",
           "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle", "pixel_unshuffle",
           "cosine_similarity", "gaussian_nll_loss", "multilabel_margin_loss",
           "multilabel_soft_margin_loss", "multi_margin_loss", "gumbel_softmax", "embedding_bag",
           "max_pool1d_with_indices", "max_pool2d_with_indices", "adaptive_max_pool2d_with_indices",
           "batch_norm", "instance_norm")


@case
def surface_names(c):
    return {"torch": {n: hasattr(c.torch, n) for n in TORCH_NAMES},
            "F": {n: hasattr(c.F, n) for n in F_NAMES}}


@case
def torch_batch_norm_positional(c):
    torch = c.torch
    x = det(c, 4, 3, 2)
    w, b = det(c, 3, seed=1), det(c, 3, seed=2)
    rm, rv = torch.zeros(3), torch.ones(3)
    train = torch.batch_norm(x, w, b, rm, rv, True, 0.2, 1e-5, False)
    evaluated = torch.batch_norm(det(c, 4, 3, seed=3), None, None, rm, rv, False, 0.1, 1e-3,
                                 False)
    inst = torch.instance_norm(det(c, 2, 3, 4, seed=4), det(c, 3, seed=5), det(c, 3, seed=6),
                               None, None, True, 0.1, 1e-5, False)
    return {"train": train, "running_mean": rm, "running_var": rv, "eval": evaluated,
            "instance": inst}


@case
def batch_norm_eval_requires_stats_error(c):
    return c.F.batch_norm(c.torch.ones(2, 3), None, c.torch.ones(3), training=False)


@case
def torch_pool_surfaces(c):
    torch = c.torch
    x = det(c, 2, 3, 6)
    values, indices = torch.adaptive_max_pool1d(x, 2)
    v2, i2 = torch.max_pool1d_with_indices(det(c, 1, 2, 5, seed=1), 2)
    return {"values": values, "indices": indices, "v2": v2, "i2": i2,
            "max_pool1d": torch.max_pool1d(det(c, 1, 2, 5, seed=2), 3, 1)}


@case
def linear_dtype_errors(c):
    F, torch = c.F, c.torch

    def err(fn):
        try:
            fn()
        except Exception as e:
            return [type(e).__name__, str(e)]
        return None
    x, w, b = torch.ones(2, 3), torch.ones(4, 3), torch.ones(4)
    return {"input": err(lambda: F.linear(x.double(), w, b)),
            "weight": err(lambda: F.linear(x, w.double(), b)),
            "bias": err(lambda: F.linear(x, w, b.double())),
            "long": err(lambda: F.linear(x.long(), w, b)),
            "3d": err(lambda: F.linear(x.double()[None], w, b)),
            "no_bias": err(lambda: F.linear(x.double(), w)),
            "dtype_before_shape": err(lambda: F.linear(torch.ones(2, 5).double(), w, b))}
