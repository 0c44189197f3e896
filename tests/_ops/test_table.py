"""The op table, row by row (STYLE.md 3.5): for every OpDef with a sample, the engine's forward
equals the impl run in pure JAX at torch's compute dtype, the engine's gradient equals jax.vjp of
that pure function, finite differences agree (jax.test_util.check_vjp, as check_grads(order=1,
modes=["rev"]) runs it, in float64 at smooth points), and the grad_fn is
the row's torch name. Every differentiable row must have a sample here: add one with a new row.

A sample is an expression over leaves that records the row as its output's grad_fn (a public
call, or `row(name, ...)` for a direct call). The recorded node is then re-applied on its own,
with fresh leaves for its tensor operands, so every sample checks exactly one row.
"""

import re
import zlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.test_util import check_vjp

import torchish as torch
from torchish import _dtypes
from torchish._dispatch import call, meta
from torchish._lazy import Value, apply_op, data_of
from torchish._ops._registry import OPS
from torchish._tensor import from_array

F_ = torch.nn.functional
# torch: diag() of a matrix shows DiagonalBackward0_copy
NODE_NAME = re.compile(r"^[A-Z]\w*Backward\d+(_copy)?$")
TORCH_SPECIAL_NODES = {"NotImplemented", "CopySlices", "CopyBackwards"}  # torch's own names


# ---- sample specs ------------------------------------------------------------------------------

class Spec:
    """One leaf: uniform floats in [lo, hi] (`away`: magnitudes, random signs), or fixed data."""

    def __init__(self, shape=(), lo=-1.0, hi=1.0, away=False, data=None, dtype=None):
        self.shape, self.lo, self.hi, self.away, self.data, self.dtype = (
            shape, lo, hi, away, data, dtype)

    def make(self, rng):
        if self.data is not None:
            return torch.tensor(self.data, dtype=self.dtype,
                                requires_grad=self.dtype.is_floating_point)
        a = rng.uniform(self.lo, self.hi, self.shape)
        if self.away:
            a = a * rng.choice([-1.0, 1.0], self.shape)
        return torch.tensor(a.tolist() if self.shape else float(a), dtype=torch.float32,
                            requires_grad=True)


def F(*shape, lo=-1.0, hi=1.0):
    return Spec(shape, lo, hi)


def A(*shape):
    """Away from zero: |x| in [0.3, 1.2]."""
    return Spec(shape, 0.3, 1.2, away=True)


def P(*shape, lo=0.3, hi=1.3):
    return Spec(shape, lo, hi)


def V(data):
    """Fixed float data (a leaf that requires grad)."""
    return Spec(data=data, dtype=torch.float32)


def I(data):  # noqa: E743 - an int64 index tensor
    return Spec(data=data, dtype=torch.int64)


def B(data):
    return Spec(data=data, dtype=torch.bool)


def row(name, *inputs, **params):
    """A direct application of table row `name`."""
    return call(OPS[name], inputs, tuple(params.items()))


class S:
    """A sample: expr(*leaves) records the row; fd=False at non-smooth points; raises: the
    backward must raise this message (rows whose torch node is NotImplemented)."""

    def __init__(self, expr, *specs, fd=True, raises=None):
        self.expr, self.specs, self.fd, self.raises = expr, specs, fd, raises


def D(name, *inputs, fd=True, raises=None, **params):
    """A direct sample of row `name`: Specs become leaves, anything else stays a Python scalar."""
    specs = [x for x in inputs if isinstance(x, Spec)]

    def expr(*leaves):
        it = iter(leaves)
        return row(name, *(next(it) if isinstance(x, Spec) else x for x in inputs), **params)
    return S(expr, *specs, fd=fd, raises=raises)


def _unary(names, spec):
    return {n: D(n, spec) for n in names}


# ---- samples -----------------------------------------------------------------------------------

NI = "derivative for aten::{} is not implemented"
SAMPLES = {
    **_unary(["exp", "exp2", "expm1", "sin", "cos", "atan", "sinh", "cosh", "tanh", "asinh",
              "sigmoid", "erf", "erfc", "neg", "deg2rad", "rad2deg", "silu", "silu_"], F(2, 3)),
    **_unary(["log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "lgamma",
              "digamma"], P(2, 3)),
    **_unary(["tan", "asin", "acos", "atanh", "erfinv"], F(2, 3, lo=-0.8, hi=0.8)),
    **_unary(["abs", "sign", "relu", "sinc"], A(2, 3)),
    **_unary(["floor", "ceil", "trunc", "frac", "round"], F(2, 3, lo=0.1, hi=0.4)),
    "acosh": D("acosh", P(2, 3, lo=1.2, hi=3.0)),
    "i0": D("i0", F(2, 3)),
    "sgn": D("sgn", A(2, 3)),
    "heaviside": D("heaviside", A(2, 3), F(), raises=NI.format("heaviside")),
    "ldexp": D("ldexp", F(2, 3), I([1, -2, 3]), fd=False),  # torch's int pow(2, -2) == 0
    "rot90": D("rot90", F(2, 3), k=1, dims=(0, 1)),
    "block_diag": S(lambda a, b: torch.block_diag(a, b), F(2, 3), F(2)),
    "clone_clamp_min_nograd": D("clone_clamp_min_nograd", P(2, 3), 0.1),
    "round.decimals": D("round.decimals", V([0.123, -0.456]), decimals=1, fd=False),
    "logit": D("logit", P(2, 3, lo=0.2, hi=0.8), eps=None),
    "nan_to_num": D("nan_to_num", F(2, 3), nan=0.0, posinf=None, neginf=None),
    "clamp": D("clamp", V([-0.9, 0.2, 0.8]), -0.5, 0.5, which="both"),
    "clamp.Tensor": D("clamp.Tensor", V([-0.9, 0.2, 0.8]), V([-0.5, -0.5, 0.0]),
                      V([0.5, 0.5, 0.6]), which="both"),
    "clamp_min": D("clamp_min", V([-0.9, 0.2, 0.8]), 0.0),
    "clamp_max": D("clamp_max", V([-0.9, 0.2, 0.8]), 0.0),
    "clamp_min.Tensor": D("clamp_min.Tensor", V([-0.9, 0.2, 0.8]), V([0.0, 0.5, 0.0])),
    "clamp_max.Tensor": D("clamp_max.Tensor", V([-0.9, 0.2, 0.8]), V([0.0, 0.5, 0.0])),
    "to_copy": D("to_copy", F(2, 3), dtype=torch.float64),
    # binary
    **{n: D(n, F(2, 3), F(3)) for n in ("add", "sub", "mul", "atan2", "hypot", "fmax", "fmin",
                                        "rsub", "logaddexp", "logaddexp2")},
    **{n: D(n, V([0.5, -1.0, 2.0]), V([1.0, -0.5, 1.5])) for n in ("maximum", "minimum")},
    "div": D("div", F(2, 3), A(3)),
    "copysign": D("copysign", A(2, 3), A(3)),
    "xlogy": D("xlogy", P(2, 3), P(3)),
    "add_alpha": D("add_alpha", F(2, 3), F(3), 2.0),
    "sub_alpha": D("sub_alpha", F(2, 3), F(3), 0.5),
    "rsub_alpha": D("rsub_alpha", F(2, 3), F(3), 2.0),
    "rsub_scalar": D("rsub_scalar", F(2, 3), 2.0),
    "rsub_scalar_alpha": D("rsub_scalar_alpha", F(2, 3), 2.0, 3.0),
    "div_floor": D("div_floor", F(2, 3), A(3), fd=False),
    "div_trunc": D("div_trunc", F(2, 3), A(3), fd=False),
    "floor_divide": D("floor_divide", F(2, 3), A(3), raises=NI.format("floor_divide")),
    "floor_divide.Scalar": D("floor_divide.Scalar", F(2, 3), 0.7,
                             raises=NI.format("floor_divide")),
    "rfloor_divide": D("rfloor_divide", A(2, 3), 2.0, raises=NI.format("floor_divide")),
    "rremainder": D("rremainder", A(2, 3), 2.0, raises=NI.format("remainder")),
    "remainder": D("remainder", V([2.3, -1.7, 0.4]), V([1.5, 1.0, -0.7])),
    "remainder.Scalar": D("remainder.Scalar", V([2.3, -1.7, 0.4]), 1.5),
    "fmod": D("fmod", V([2.3, -1.7, 0.4]), V([1.5, 1.0, -0.7])),
    "fmod.Scalar": D("fmod.Scalar", V([2.3, -1.7, 0.4]), 1.5),
    "pow_int": D("pow_int", F(2, 3), n=3),
    "pow_scalar": D("pow_scalar", P(2, 3), 2.5),
    "pow_tensor": D("pow_tensor", P(2, 3), F(3)),
    "rpow": D("rpow", F(2, 3), 2.0),
    "where": D("where", F(2, 3), F(3), B([True, False, True])),
    "lerp": D("lerp", F(2, 3), F(3), 0.3),
    "lerp.Tensor": D("lerp.Tensor", F(2, 3), F(3), F(2, 3)),
    "addcmul": D("addcmul", F(2, 3), F(3), F(2, 1), 0.5),
    "addcdiv": D("addcdiv", F(2, 3), F(3), P(2, 1), 0.5),
    **{n: D(n, F(2, 3), 0.7) for n in ("mul.Scalar", "add.Scalar", "sub.Scalar", "div.Scalar")},
    "masked_fill": D("masked_fill", F(2, 3), B([True, False, True]), 0.5),
    "norm.ScalarOpt_dim": D("norm.ScalarOpt_dim", A(2, 3), p=2.0, dim=1, keepdim=False),
    # reductions
    "sum": D("sum", F(2, 3), dims=None, keepdim=False, dtype=None),
    "sum.dim": D("sum.dim", F(2, 3), dims=(1,), keepdim=True, dtype=None),
    "nansum": D("nansum", F(2, 3), dims=(0,), keepdim=False),
    "mean": D("mean", F(2, 3), dims=None, keepdim=False, dtype=None),
    "mean.dim": D("mean.dim", F(2, 3), dims=(0,), keepdim=False, dtype=None),
    "max": D("max", F(2, 3)),
    "min": D("min", F(2, 3)),
    "max.dim": D("max.dim", F(2, 3), dim=1, keepdim=False),
    "min.dim": D("min.dim", F(2, 3), dim=0, keepdim=True),
    "amax": D("amax", F(2, 3), dims=(1,), keepdim=False),
    "amin": D("amin", F(2, 3), dims=None, keepdim=False),
    "aminmax": D("aminmax", F(2, 3), dims=(1,), keepdim=False),
    "logsumexp": D("logsumexp", F(2, 3), dims=(1,), keepdim=False),
    "prod": D("prod", A(2, 3), dims=None, keepdim=False),
    "prod.dim_int": D("prod.dim_int", A(2, 3), dims=(1,), keepdim=False),
    **{n: D(n, F(2, 3), dims=(1,), correction=1, keepdim=False)
       for n in ("var", "std", "var_mean", "std_mean")},
    "cumsum": D("cumsum", F(2, 3), dim=1),
    "cumprod": D("cumprod", A(2, 3), dim=1),
    "linalg_vector_norm": D("linalg_vector_norm", A(2, 3), ord=3.0, dims=(1,), keepdim=False),
    "dist": D("dist", F(2, 3), F(3), p=2.0),
    "sort": D("sort", F(2, 4), dim=1, descending=True),
    "topk": D("topk", F(2, 4), k=2, dim=1, largest=True),
    "kthvalue": D("kthvalue", F(2, 4), k=2, dim=1, keepdim=False),
    "median": D("median", F(2, 3)),
    "median.dim": D("median.dim", F(2, 3), dim=1, keepdim=False),
    "nanmedian": D("nanmedian", F(2, 3)),
    "nanmedian.dim": D("nanmedian.dim", F(2, 3), dim=0, keepdim=True),
    "mode": D("mode", F(2, 3), dim=1, keepdim=False),
    "cummax": D("cummax", F(2, 4), dim=1),
    "cummin": D("cummin", F(2, 4), dim=1),
    "logcumsumexp": D("logcumsumexp", F(2, 4), dim=1),
    # shape and views
    "view": D("view", F(2, 3), shape=(3, 2)),
    "unsafe_view": D("unsafe_view", F(2, 3), shape=(6,)),
    "reshape_alias": D("reshape_alias", F(2, 3), shape=(3, 2)),
    "permute": D("permute", F(2, 3, 4), dims=(2, 0, 1)),
    "transpose": D("transpose", F(2, 3), dims=(1, 0)),
    "t": D("t", F(2, 3), dims=(1, 0)),
    "squeeze": D("squeeze", F(2, 1, 3), shape=(2, 3)),
    "squeeze.dim": D("squeeze.dim", F(2, 1, 3), shape=(2, 3)),
    "squeeze.dims": D("squeeze.dims", F(1, 2, 1), shape=(2,)),
    "squeeze_.dim": D("squeeze_.dim", F(1, 3), dim=0),
    "unsqueeze": D("unsqueeze", F(2, 3), shape=(2, 1, 3)),
    "expand": D("expand", F(1, 3), shape=(4, 2, 3)),
    "clone": D("clone", F(2, 3)),
    "cat": S(lambda a, b: torch.cat([a, b], 1), F(2, 3), F(2, 2)),
    "stack": S(lambda a, b: torch.stack([a, b], 1), F(2, 3), F(2, 3)),
    # products
    "dot": D("dot", F(3), F(3)),
    "vdot": D("vdot", F(3), F(3)),
    "mv": D("mv", F(2, 3), F(3)),
    "mm": D("mm", F(2, 3), F(3, 4)),
    "mm_vector": D("mm_vector", F(3), F(3, 4)),
    "bmm": D("bmm", F(2, 2, 3), F(2, 3, 4)),
    "addmm": S(lambda b, x, w: F_.linear(x, w, b), F(4), F(2, 3), F(4, 3)),
    "addmv": D("addmv", F(2), F(2, 3), F(3), 0.5, 2.0),
    "addr": D("addr", F(2, 3), F(2), F(3), 0.5, 2.0),
    "baddbmm": D("baddbmm", F(4), F(2, 2, 3), F(2, 3, 4), 0.5, 2.0),
    "addbmm": D("addbmm", F(2, 4), F(2, 2, 3), F(2, 3, 4), 0.5, 2.0),
    "trace": D("trace", F(3, 3)),
    "linalg_cross": D("linalg_cross", F(2, 3), F(3), dim=1),
    # conversion, indexing, scatter
    "zero": D("zero", F(2, 3)),
    "fill": D("fill", F(2, 3), 2.5),
    "fill_tensor": S(lambda x, v: (x * 1).fill_(v), F(2, 3), F()),
    "copy": S(lambda x, s: (x * 1).copy_(s), F(2, 3), F(3)),
    "select": S(lambda x: x[1], F(2, 3)),
    "slice": S(lambda x: x[:, 1:], F(2, 3)),
    "alias.getitem": S(lambda x: x[...], F(2, 3)),
    "diagonal": S(lambda x: x.diagonal(1), F(3, 3)),
    "index": S(lambda x, i: x[i], F(3, 2), I([2, 0, 2])),
    "setitem.slices": S(lambda x, v: _setitem(x, slice(0, 1), v), F(2, 3), F(3)),
    "setitem.copy": S(lambda x, v: _setitem(x, Ellipsis, v), F(2, 3), F(2, 3)),
    "setitem.fill": S(lambda x: _setitem(x, slice(None), 2.0), F(2, 3)),
    "index_put": S(lambda x, i, v: _setitem(x, i, v), F(3, 2), I([2, 0]), F(2)),
    "diag_embed": S(lambda x: torch.diag(x, 1), F(3)),
    "diagonal_copy": S(lambda x: torch.diag(x, -1), F(3, 3)),
    "gather": S(lambda x, i: x.gather(1, i), F(2, 3), I([[0, 2], [1, 1]])),
    "scatter.src": S(lambda x, s, i: x.scatter(1, i, s), F(2, 3), F(2, 2), I([[0, 2], [1, 0]])),
    "scatter.value": S(lambda x, i: x.scatter(1, i, 0.5), F(2, 3), I([[0, 2], [1, 0]])),
    "scatter.reduce": S(lambda x, s, i: x.scatter(1, i, s, reduce="add"), F(2, 3), F(2, 2),
                        I([[0, 2], [1, 0]]), raises=NI.format("scatter")),
    "scatter.value_reduce": S(lambda x, i: x.scatter(1, i, 0.5, reduce="multiply"), F(2, 3),
                              I([[0, 2], [1, 0]]), raises=NI.format("scatter")),
    "scatter_add": S(lambda x, s, i: x.scatter_add(1, i, s), F(2, 3), F(2, 2),
                     I([[0, 2], [1, 0]])),
    "index_select": S(lambda x, i: x.index_select(0, i), F(3, 2), I([2, 0])),
    "index_add": S(lambda x, s, i: x.index_add(0, i, s, alpha=2.0), F(3, 2), F(2, 2), I([2, 0])),
    "index_copy": S(lambda x, s, i: x.index_copy(0, i, s), F(3, 2), F(2, 2), I([2, 0])),
    "index_fill.int_Scalar": S(lambda x, i: x.index_fill(0, i, 0.5), F(3, 2), I([2, 0])),
    "index_fill.int_Tensor": S(lambda x, v, i: x.index_fill(0, i, v), F(3, 2), F(), I([2, 0])),
    "take": S(lambda x, i: x.take(i), F(2, 3), I([5, 0, 2])),
    "masked_fill.Scalar": S(lambda x, m: x.masked_fill(m, 0.5), F(2, 3), B([True, False, True])),
    "masked_fill.Tensor": S(lambda x, v, m: x.masked_fill(m, v), F(2, 3), F(),
                            B([True, False, True])),
    "masked_select": S(lambda x, m: x.masked_select(m), F(2, 3), B([True, False, True])),
    "masked_scatter": S(lambda x, s, m: x.masked_scatter(m, s), F(2, 3), F(2, 3),
                        B([True, False, True])),
    "flip": S(lambda x: x.flip(1), F(2, 3)),
    "roll": S(lambda x: x.roll(1, 1), F(2, 3)),
    "tril": S(lambda x: x.tril(), F(3, 3)),
    "triu": S(lambda x: x.triu(1), F(3, 3)),
    "repeat": S(lambda x: x.repeat(2, 1, 2), F(2, 3)),
    # nn kernels
    "convolution": S(lambda x, w, b: F_.conv2d(x, w, b, padding=1), F(1, 2, 4, 4), F(3, 2, 3, 3),
                     F(3)),
    "max_pool2d_with_indices": S(lambda x: F_.max_pool2d(x, 2), F(1, 2, 4, 4)),
    "avg_pool2d": S(lambda x: F_.avg_pool2d(x, 2), F(1, 2, 4, 4)),
    "adaptive_avg_pool2d": S(lambda x: F_.adaptive_avg_pool2d(x, (2, 3)), F(1, 2, 4, 6)),
    "adaptive_max_pool2d": S(lambda x: F_.adaptive_max_pool2d(x, (2, 3)), F(1, 2, 4, 6)),
    "max_pool3d_with_indices": S(lambda x: F_.max_pool3d(x, 2), F(1, 1, 4, 4, 4)),
    "avg_pool3d": S(lambda x: F_.avg_pool3d(x, 2), F(1, 1, 4, 4, 4)),
    "adaptive_avg_pool3d": S(lambda x: F_.adaptive_avg_pool3d(x, (2, 1, 2)), F(1, 1, 4, 4, 4)),
    "native_layer_norm": S(lambda x, w, b: F_.layer_norm(x, (3,), w, b), F(2, 3), F(3), F(3)),
    "native_batch_norm": S(lambda x, w, b: F_.batch_norm(x, None, None, w, b, training=True),
                           F(4, 3), F(3), F(3)),
    "native_group_norm": S(lambda x, w, b: F_.group_norm(x, 2, w, b), F(2, 4, 3), F(4), F(4)),
    "embedding": S(lambda w, i: F_.embedding(i, w), F(4, 3), I([[0, 3], [2, 0]])),
    "trilinear": D("trilinear", F(2, 3), F(4, 3, 2), F(2, 2)),
    "constant_pad_nd": S(lambda x: F_.pad(x, (1, 2), value=0.5), F(2, 3)),
    "reflection_pad1d": S(lambda x: F_.pad(x, (1, 2), mode="reflect"), F(1, 2, 4)),
    "reflection_pad2d": S(lambda x: F_.pad(x, (1, 1, 2, 1), mode="reflect"), F(1, 2, 3, 4)),
    "reflection_pad3d": S(lambda x: F_.pad(x, (1,) * 6, mode="reflect"), F(1, 1, 3, 3, 3)),
    "replication_pad1d": S(lambda x: F_.pad(x, (1, 2), mode="replicate"), F(1, 2, 4)),
    "replication_pad2d": S(lambda x: F_.pad(x, (1, 1, 2, 1), mode="replicate"), F(1, 2, 3, 4)),
    "replication_pad3d": S(lambda x: F_.pad(x, (1,) * 6, mode="replicate"), F(1, 1, 3, 3, 3)),
    "pad_circular": S(lambda x: F_.pad(x, (1, 2), mode="circular"), F(1, 2, 4)),
    "_safe_softmax": D("_safe_softmax", F(2, 3), dim=1),
    "_scaled_dot_product_flash_attention_for_cpu": S(
        lambda q, k, v: F_.scaled_dot_product_attention(q, k, v), F(1, 2, 3, 4), F(1, 2, 3, 4),
        F(1, 2, 3, 4)),
    **{name: S(lambda x, mode=mode: F_.interpolate(x, scale_factor=2, mode=mode), F(*shape))
       for name, mode, shape in [
           ("upsample_nearest1d", "nearest", (1, 2, 3)),
           ("upsample_nearest2d", "nearest", (1, 1, 2, 3)),
           ("upsample_nearest3d", "nearest", (1, 1, 2, 2, 2)),
           ("_upsample_nearest_exact1d", "nearest-exact", (1, 2, 3)),
           ("_upsample_nearest_exact2d", "nearest-exact", (1, 1, 2, 3)),
           ("_upsample_nearest_exact3d", "nearest-exact", (1, 1, 2, 2, 2)),
           ("upsample_linear1d", "linear", (1, 2, 3)),
           ("upsample_bilinear2d", "bilinear", (1, 1, 2, 3)),
           ("upsample_trilinear3d", "trilinear", (1, 1, 2, 2, 2)),
           ("upsample_bicubic2d", "bicubic", (1, 1, 3, 3))]},
    "pixel_shuffle": S(lambda x: F_.pixel_shuffle(x, 2), F(1, 4, 2, 3)),
    "pixel_unshuffle": S(lambda x: F_.pixel_unshuffle(x, 2), F(1, 1, 4, 6)),
    # activations
    **{n: D(n, A(2, 3), -0.5, 0.5) for n in ("hardtanh", "hardtanh_")},
    **{n: D(n, A(2, 3), 0.1) for n in ("leaky_relu", "leaky_relu_")},
    **{n: D(n, A(2, 3), 1.0, 1.0, 1.0) for n in ("elu", "elu_")},
    **{n: D(n, A(2, 3), 1.0) for n in ("celu", "celu_")},
    **{n: D(n, F(2, 3), approximate="none") for n in ("gelu", "gelu_")},
    **{n: D(n, F(2, 3)) for n in ("mish", "mish_", "log_sigmoid", "log_sigmoid_")},
    **{n: D(n, F(2, 3), 1.0, 20.0) for n in ("softplus", "softplus_")},
    **{n: D(n, A(2, 3)) for n in ("hardsigmoid", "hardsigmoid_", "hardswish", "hardswish_")},
    **{n: D(n, A(2, 3), 0.1, 0.0) for n in ("threshold", "threshold_")},
    **{n: D(n, F(2, 4), dim=1) for n in ("glu", "glu_")},
    **{n: D(n, V([0.9, -0.2, 0.1, -0.8]), 0.5) for n in ("hardshrink", "hardshrink_",
                                                         "softshrink", "softshrink_")},
    "_prelu_kernel": S(lambda x, w: F_.prelu(x, w), A(2, 3), F(3)),
    **{n: D(n, F(2, 3), dim=1) for n in ("softmax", "softmax_", "log_softmax", "log_softmax_")},
    # losses
    "mse_loss": S(lambda x, y: F_.mse_loss(x, y), F(2, 3), F(2, 3)),
    "smooth_l1_loss": S(lambda x, y: F_.smooth_l1_loss(x, y), F(2, 3), F(2, 3)),
    "huber_loss": S(lambda x, y: F_.huber_loss(x, y, delta=0.5), F(2, 3), F(2, 3)),
    "soft_margin_loss": S(lambda x, y: F_.soft_margin_loss(x, y), F(2, 3),
                          Spec(data=[[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]], dtype=torch.float32)),
    "binary_cross_entropy": S(lambda x, y: F_.binary_cross_entropy(x, y),
                              P(2, 3, lo=0.1, hi=0.9), P(2, 3, lo=0.0, hi=1.0)),
    "binary_cross_entropy_with_logits": S(lambda x, y: F_.binary_cross_entropy_with_logits(x, y),
                                          F(2, 3), P(2, 3, lo=0.0, hi=1.0)),
    "nll_loss": S(lambda x, t: F_.nll_loss(x, t), F(3, 4), I([0, 3, 1])),
    "multi_margin_loss": S(lambda x, t: F_.multi_margin_loss(x, t), F(3, 4), I([0, 3, 1])),
    "multilabel_margin_loss": S(lambda x, t: F_.multilabel_margin_loss(x, t), F(2, 4),
                                I([[3, 0, -1, 1], [1, 2, 3, -1]])),
    "_embedding_bag": S(lambda w, i, o: F_.embedding_bag(i, w, o), F(5, 3), I([0, 2, 4, 1]),
                        I([0, 2])),
    "nll_loss2d": S(lambda x, t: F_.nll_loss(x, t), F(1, 3, 2, 2), I([[[0, 2], [1, 1]]])),
}

# Differentiable rows with no standalone sample, and why.
EXEMPT = {
    "rnn_layer.rnn_tanh": "a whole recurrent layer; covered by tests/nn",
    "rnn_layer.rnn_relu": "a whole recurrent layer; covered by tests/nn",
    "rnn_layer.gru": "a whole recurrent layer; covered by tests/nn",
    "rnn_layer.lstm": "a whole recurrent layer; covered by tests/nn",
    "rnn_layer.lstm_proj": "a whole recurrent layer; covered by tests/nn",
    "rnn_transpose_": "an in-place step inside the recurrent layers; covered by tests/nn",
    "view_scatter": "autograd plumbing for writes through views (CopySlices)",
    "view_replay": "autograd plumbing re-deriving views after a write",
}
# Names registered by two rows: the later one hides the earlier from OPS (owner in the reason).
KNOWN_DUPLICATES = {
    "addmm": "nn: _functional_layers registers its own addmm row; torch.addmm is _ops.linalg's",
    "xlogy": "nn: _functional_util registers its own xlogy row; torch.xlogy is _ops.binary's",
}


def _setitem(x, index, value):
    y = x * 1
    y[index] = value
    return y


def _derived(name):
    """Rows made per output count from a base row (split/3, unbind/2, ...)."""
    return "/" in name


# ---- the checks --------------------------------------------------------------------------------

def _rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def _recorded(name):
    """The node the sample records for `name`."""
    s = SAMPLES[name]
    rng = _rng(name)
    leaves = [spec.make(rng) for spec in s.specs]
    out = s.expr(*leaves)
    first = out[0] if isinstance(out, (tuple, list)) else out
    node = first.grad_fn
    assert node is not None and node.op.name == name, (
        f"the sample records {node.op.name if node is not None else None}, not {name}")
    return node


def _standalone(node):
    """The node's op re-applied on fresh leaves: (outputs, operand arrays, operand tensors)."""
    arrays, tensors = [], []
    for x in node.inputs:
        if isinstance(x, Value):
            arr = data_of(x)
            t = from_array(arr)
            if t.dtype._kind >= 2:
                t.requires_grad_()
            arrays.append(arr)
            tensors.append(t)
        else:
            arrays.append(x)
            tensors.append(x)
    outs = call(node.op, tuple(tensors), node.params)
    return (outs if isinstance(outs, tuple) else (outs,)), arrays, tensors


def _as_fed(x):
    """An operand as the engine feeds it to impls: Python scalars arrive as 0-d host arrays
    (float64, or int64 for ints and bools)."""
    if isinstance(x, bool) or isinstance(x, int):
        return jnp.asarray(int(x), jnp.int64)
    if isinstance(x, float):
        return jnp.asarray(x, jnp.float64)
    return x


def _pure(op, params, cdtype, arrays, diff):
    arrays = [_as_fed(a) for a in arrays]

    def f(*xs):
        args = list(arrays)
        for i, x in zip(diff, xs):
            args[i] = x
        return tuple(apply_op(op, dict(params), cdtype, args))
    return f


def _cotangent(shape, dtype, k):
    n = int(np.prod(shape))
    vals = np.array([1.0 + 0.5 * ((i + k) % 3) - 0.25 * (i % 2) for i in range(n)])
    return vals.reshape(shape).astype(dtype)


def _close(got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (
        f"{what}: {got.shape} {got.dtype} vs {want.shape} {want.dtype}")
    if got.dtype.kind in "fc":
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


SAMPLED = sorted(n for n in SAMPLES if n in OPS)  # a sample for an absent row is ignored


def _avals(arrays):
    return tuple((tuple(a.shape), _dtypes.from_np(a.dtype)) if hasattr(a, "shape")
                 else _dtypes.scalar_dtype(a) for a in arrays)


def _reference(op, params, arrays, diff, out_idx, fd, vjp=True):
    """One jitted program per row: the impl's forward and jax.vjp at torch's compute dtype, and
    (for finite differences) the same in float64. Returns (program, float64 operands)."""
    _, cdtype = meta(op, params, _avals(arrays))
    pure = _pure(op, params, cdtype, arrays, diff)
    wide = [a.astype(jnp.float64) if hasattr(a, "dtype") and a.dtype == jnp.float32 else a
            for a in arrays]
    pure64 = None
    if fd:
        _, cdtype64 = meta(op, params, _avals(wide))
        pure64 = _pure(op, params, cdtype64, wide, diff)

    def fwd_vjp(f, xs, cs):
        if not vjp:
            return f(*xs), ()
        res, pull = jax.vjp(f, *xs)
        full = [jnp.zeros_like(r) for r in res]
        for j, c in zip(out_idx, cs):
            full[j] = c
        return res, pull(tuple(full))

    def program(x32, c32, x64, c64):
        r32 = fwd_vjp(pure, x32, c32)
        r64 = fwd_vjp(pure64, x64, c64) if fd else None
        return r32, r64
    return jax.jit(program), wide


def _check_grads_with(program, x32, c32, x64, c64, out_idx):
    """Finite differences against the impl's float64 vjp: jax.test_util.check_vjp, which is what
    check_grads(order=1, modes=["rev"]) runs, with the function and its vjp both served by the
    row's one compiled program (so the check costs no further compiles)."""
    def f(*xs):
        return tuple(program(x32, c32, list(xs), c64)[1][0][j] for j in out_idx)

    def f_vjp(*xs):
        return f(*xs), lambda ct: tuple(program(x32, c32, list(xs), list(ct))[1][1])
    check_vjp(f, f_vjp, tuple(x64))


@pytest.mark.parametrize("name", SAMPLED)
def test_row(name):
    node = _recorded(name)
    op = node.op
    assert type(node).__name__ == op.node
    outs, arrays, tensors = _standalone(node)
    out_avals, _ = meta(op, node.params, _avals(arrays))
    n_in = op.arity if op.arity is not None else len(arrays)
    diff = [i for i in range(n_in) if isinstance(tensors[i], torch.Tensor)
            and tensors[i].dtype._kind >= 2]
    out_idx = [j for j, o in enumerate(outs) if o.requires_grad]
    cots = [_cotangent(outs[j].shape, outs[j].dtype.np, j) for j in out_idx]
    sample = SAMPLES[name]
    fd = sample.fd and not sample.raises and bool(diff)
    program, wide = _reference(op, node.params, arrays, diff, out_idx, fd, not sample.raises)
    x32 = [arrays[i] for i in diff]
    c32 = [jnp.asarray(c) for c in cots]
    x64 = [wide[i] for i in diff]
    c64 = [jnp.asarray(c, jnp.float64) if c.dtype == np.float32 else jnp.asarray(c)
           for c in cots]
    (want, expected), _ = program(x32, c32, x64, c64)

    # backward first: the engine's one program also yields the forward values
    roots = [outs[j] for j in out_idx]
    grads_t = [torch.tensor(c.tolist(), dtype=outs[j].dtype) for c, j in zip(cots, out_idx)]
    if sample.raises:
        with pytest.raises(RuntimeError, match=re.escape(sample.raises)):
            torch.autograd.backward(roots, grads_t)
    else:
        torch.autograd.backward(roots, grads_t)
        # the engine's gradient is jax.vjp of the impl
        for i, g in zip(diff, expected):
            assert tensors[i].grad is not None, f"{name}: no gradient for operand {i}"
            _close(tensors[i].grad._array(), g, f"{name} grad of operand {i}")
    # the engine's values are the impl's at torch's compute dtype
    for j, (o, w) in enumerate(zip(outs, want)):
        assert o.dtype is out_avals[j][1]
        _close(o._array(), w, f"{name} output {j}")
    # finite differences, in float64, where the sample is smooth
    if fd:
        _check_grads_with(program, x32, c32, x64, c64, out_idx)


def test_every_differentiable_row_has_a_sample():
    missing = [n for n, o in OPS.items() if o.node is not None and n not in SAMPLES
               and n not in EXEMPT and not _derived(n)]
    assert not missing, f"add samples to tests/_ops/test_table.py for: {', '.join(missing)}"


def test_rows_are_registered_once():
    """Every OpDef alive is the one OPS holds under its name (else the table cannot walk it)."""
    import gc
    from torchish._ops._registry import OpDef
    gc.unfreeze()  # torchish freezes its import heap, which gc.get_objects() does not list
    try:
        objs = gc.get_objects()
    finally:
        gc.freeze()
    hidden = sorted({o.name for o in objs if isinstance(o, OpDef)
                     and OPS.get(o.name) not in (None, o) and not _derived(o.name)})
    unexpected = [n for n in hidden if n not in KNOWN_DUPLICATES]
    assert not unexpected, f"rows registered twice under one name: {unexpected}"
    if hidden:
        pytest.xfail("; ".join(KNOWN_DUPLICATES[n] for n in hidden))


@pytest.mark.parametrize("name", sorted(OPS))
def test_node_name(name):
    node = OPS[name].node
    if node is None or NODE_NAME.match(node) or node in TORCH_SPECIAL_NODES:
        return
    raise AssertionError(f"{name}: {node!r} is not a torch grad_fn name")
