"""torch.nn.functional cases, run the same way by real torch (compat/gen_functional.py records the
references) and by torchish (tests/nn/test_functional.py compares against them).

Imports neither library: `run(name, torch)` builds the case with the module it is given. A case
returns a tensor, or a dict of tensors and plain values; the record holds each tensor's dtype, shape
and values, its grad_fn chain (names and next_functions, a few levels deep), the gradients of every
leaf the case made (after one backward with a fixed cotangent), warnings, and the error if raised.
Inputs are literals and evenly spaced values only: no RNG.
"""

import math
import warnings

CHAIN_DEPTH = 6
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Ctx:
    """What a case builds with: the torch module, its functional module, and leaf factories."""

    def __init__(self, torch):
        self.torch = torch
        self.F = torch.nn.functional
        self.leaves = []

    def _dt(self, dtype):
        return getattr(self.torch, dtype) if isinstance(dtype, str) else dtype

    def x(self, *shape, lo=-2.0, hi=2.0, dtype=None):
        """A leaf requiring grad with values evenly spaced from lo to hi."""
        n = math.prod(shape)
        vals = [lo + (hi - lo) * i / max(n - 1, 1) for i in range(n)]
        return self.v(_nest(vals, shape), dtype)

    def v(self, data, dtype=None):
        """A leaf requiring grad holding `data`."""
        t = self.torch.tensor(data, dtype=self._dt(dtype), requires_grad=True)
        self.leaves.append(t)
        return t

    def t(self, data, dtype=None):
        """A constant (no grad): targets, indices, weights."""
        return self.torch.tensor(data, dtype=self._dt(dtype))

    def chain(self, t):
        return grad_fn_chain(t.grad_fn)


def _nest(vals, shape):
    if not shape:
        return vals[0]
    if len(shape) == 1:
        return list(vals)
    step = len(vals) // shape[0]
    return [_nest(vals[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def grad_fn_chain(fn, depth=CHAIN_DEPTH):
    """[name, [children...]] down `depth` levels; None for a missing edge."""
    if fn is None:
        return None
    name = type(fn).__name__
    if depth == 0:
        return [name]
    return [name, [grad_fn_chain(n, depth - 1) for n, _ in fn.next_functions]]


def _cotangent(torch, t):
    n = t.numel()
    vals = [1.0 + 0.25 * (i % 5) - 0.125 * (i % 3) for i in range(n)]
    return torch.tensor(vals, dtype=t.dtype).reshape(tuple(t.shape))


def _value(x):
    if isinstance(x, float) and not math.isfinite(x):
        return repr(x)
    if isinstance(x, list):
        return [_value(v) for v in x]
    return x


def tensor_record(torch, t):
    return {"dtype": str(t.dtype), "shape": list(t.shape), "values": _value(t.detach().tolist()),
            "grad_fn": grad_fn_chain(t.grad_fn)}


def _error(e):
    return {"type": type(e).__name__, "message": str(e)}


def run(name, torch):
    """The JSON-able record of case `name` run with the module `torch`."""
    return record(CASES[name], torch)


def record(case_fn, torch):
    """The JSON-able record of `case_fn(Ctx(torch))`: outputs, grads of every leaf, warnings,
    errors (functional_extra_cases.py records its cases the same way)."""
    c = Ctx(torch)
    rec = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = case_fn(c)
        except Exception as e:  # the error is the observation
            out = None
            rec["error"] = _error(e)
    rec["warnings"] = sorted({f"{w.category.__name__}: {w.message}" for w in caught
                              if issubclass(w.category, (UserWarning, DeprecationWarning))})
    if out is None:
        return rec
    outs = out if isinstance(out, dict) else {"out": out}
    roots = [v for v in outs.values() if isinstance(v, torch.Tensor) and v.requires_grad]
    if roots:  # first: one backward also yields the forward values (torchish: one program)
        try:
            torch.autograd.backward(roots, [_cotangent(torch, r) for r in roots],
                                    retain_graph=True)
            rec["grads"] = [None if t.grad is None else tensor_record(torch, t.grad)
                            for t in c.leaves]
        except Exception as e:
            rec["backward_error"] = _error(e)
    rec["out"] = {k: tensor_record(torch, v) if isinstance(v, torch.Tensor) else _value(v)
                  for k, v in outs.items()}
    return rec


# ==== activations ==============================================================================

KINKS = [-3.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0, 6.0, 7.0]


@case
def relu(c):
    return c.F.relu(c.v(KINKS))


@case
def relu_inplace(c):
    y = c.x(2, 3) * 1
    return c.F.relu(y, inplace=True)


@case
def relu_inplace_leaf_error(c):
    return c.F.relu(c.x(2, 3), inplace=True)


@case
def relu6(c):
    return {"out": c.F.relu6(c.v(KINKS)), "inplace": c.F.relu6(c.x(4) * 1, inplace=True)}


@case
def hardtanh(c):
    return {"default": c.F.hardtanh(c.v(KINKS)),
            "bounds": c.F.hardtanh(c.v(KINKS), min_val=-0.5, max_val=3.0),
            "inplace": c.F.hardtanh(c.x(6) * 1, inplace=True)}


@case
def hardtanh_bad_bounds(c):
    return c.F.hardtanh(c.x(3), 1.0, -1.0)


@case
def leaky_relu(c):
    return {"default": c.F.leaky_relu(c.v(KINKS)),
            "slope": c.F.leaky_relu(c.v(KINKS), 0.2),
            "inplace": c.F.leaky_relu(c.x(6) * 1, 0.1, inplace=True)}


@case
def elu(c):
    return {"default": c.F.elu(c.v(KINKS)), "alpha": c.F.elu(c.v(KINKS), alpha=0.5),
            "inplace": c.F.elu(c.x(6) * 1, inplace=True)}


@case
def selu(c):
    return {"out": c.F.selu(c.v(KINKS)), "inplace": c.F.selu(c.x(6) * 1, inplace=True)}


@case
def celu(c):
    return {"default": c.F.celu(c.v(KINKS)), "alpha": c.F.celu(c.v(KINKS), alpha=2.0),
            "inplace": c.F.celu(c.x(6) * 1, 0.5, inplace=True)}


@case
def gelu(c):
    return {"none": c.F.gelu(c.v(KINKS)), "tanh": c.F.gelu(c.v(KINKS), approximate="tanh")}


@case
def gelu_bad_approximate(c):
    return c.F.gelu(c.x(3), approximate="erf")


@case
def silu_mish(c):
    return {"silu": c.F.silu(c.v(KINKS)), "mish": c.F.mish(c.v(KINKS)),
            "silu_": c.F.silu(c.x(3) * 1, inplace=True), "mish_": c.F.mish(c.x(3) * 1, True)}


@case
def softplus(c):
    x = [-30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 9.0, 10.0, 11.0, 30.0]
    return {"default": c.F.softplus(c.v(x)), "beta": c.F.softplus(c.v(x), beta=2.0),
            "threshold": c.F.softplus(c.v(x), beta=0.5, threshold=5.0)}


@case
def softsign(c):
    return c.F.softsign(c.v(KINKS))


@case
def hardsigmoid_hardswish(c):
    x = [-4.0, -3.0, -2.0, 0.0, 2.0, 3.0, 4.0]
    return {"hardsigmoid": c.F.hardsigmoid(c.v(x)), "hardswish": c.F.hardswish(c.v(x)),
            "hardsigmoid_": c.F.hardsigmoid(c.x(3) * 1, True),
            "hardswish_": c.F.hardswish(c.x(3) * 1, True)}


@case
def sigmoid_tanh_logsigmoid(c):
    x = [-100.0, -2.0, 0.0, 1.0, 100.0]
    return {"sigmoid": c.F.sigmoid(c.v(x)), "tanh": c.F.tanh(c.v(x)),
            "logsigmoid": c.F.logsigmoid(c.v(x))}


@case
def threshold(c):
    return {"out": c.F.threshold(c.v(KINKS), 1.0, -2.0),
            "inplace": c.F.threshold(c.x(6) * 1, 0.0, 5.0, inplace=True),
            "threshold_": c.F.threshold_(c.x(6) * 1, 0.5, 0.0)}


@case
def glu(c):
    return {"last": c.F.glu(c.x(3, 4)), "dim0": c.F.glu(c.x(2, 3), 0)}


@case
def glu_odd_error(c):
    return c.F.glu(c.x(2, 3))


@case
def glu_scalar_error(c):
    return c.F.glu(c.v(1.0))


# ---- softmax family ----------------------------------------------------------------------------

@case
def softmax(c):
    return {"dim0": c.F.softmax(c.x(2, 3), 0), "dim1": c.F.softmax(c.x(2, 3), dim=1),
            "neg": c.F.softmax(c.x(2, 3, 2), -1),
            "big": c.F.softmax(c.v([1000.0, 0.0, -1000.0]), 0),
            "scalar": c.F.softmax(c.v(2.0), 0)}


@case
def softmax_dtype(c):
    return {"softmax": c.F.softmax(c.x(2, 3), 1, dtype=c.torch.float64),
            "log_softmax": c.F.log_softmax(c.x(2, 3), 1, dtype=c.torch.float64),
            "softmin": c.F.softmin(c.x(2, 3), 1, dtype=c.torch.float64)}


@case
def softmax_implicit_dim(c):
    return {"2d": c.F.softmax(c.x(2, 3)), "3d": c.F.log_softmax(c.x(2, 2, 2)),
            "1d": c.F.softmin(c.x(3))}


@case
def log_softmax(c):
    return {"dim0": c.F.log_softmax(c.x(2, 3), 0), "dim1": c.F.log_softmax(c.x(2, 3), 1),
            "big": c.F.log_softmax(c.v([1000.0, 0.0, -1000.0]), 0)}


@case
def softmin(c):
    return c.F.softmin(c.x(2, 3), 1)


@case
def softmax_surfaces(c):
    x = c.x(2, 3)
    return {"torch.softmax": c.torch.softmax(x, 1), "Tensor.softmax": x.softmax(0),
            "torch.log_softmax": c.torch.log_softmax(x, -1), "Tensor.log_softmax": x.log_softmax(1),
            "Tensor.softmax_dtype": x.softmax(1, dtype=c.torch.float64)}


@case
def softmax_float64(c):
    return c.F.softmax(c.x(2, 3, dtype="float64"), 1)


@case
def softmax_dim_error(c):
    return c.F.softmax(c.x(2, 3), 2)


@case
def softmax_int_error(c):
    return c.F.softmax(c.t([1, 2]), 0)


# ==== layers ===================================================================================

@case
def linear(c):
    w, b = c.x(4, 3, lo=-1.0, hi=0.5), c.x(4, lo=0.1, hi=0.4)
    return {"2d": c.F.linear(c.x(2, 3), w, b), "2d_nobias": c.F.linear(c.x(2, 3), w),
            "3d": c.F.linear(c.x(2, 2, 3), w, b), "3d_nobias": c.F.linear(c.x(2, 2, 3), w),
            "1d": c.F.linear(c.x(3), w, b),
            "4d": c.F.linear(c.x(1, 2, 1, 3), w, b),
            "3d_transposed": c.F.linear(c.x(3, 2, 2).transpose(0, 2), w, b)}


@case
def linear_1d_nobias(c):
    return c.F.linear(c.x(3), c.x(4, 3, lo=-1.0, hi=0.5))


@case
def linear_shape_error(c):
    return c.F.linear(c.x(2, 3), c.x(4, 4), c.x(4))


@case
def linear_shape_error_3d(c):
    return c.F.linear(c.x(1, 2, 3), c.x(4, 4))


@case
def linear_bias_error(c):
    return c.F.linear(c.x(2, 3), c.x(4, 3), c.x(3))


@case
def linear_dtype_error(c):
    return c.F.linear(c.x(2, 3), c.x(4, 3, dtype="float64"), c.x(4))


@case
def bilinear(c):
    w, b = c.x(4, 3, 2, lo=-1.0, hi=1.0), c.x(4, lo=0.1, hi=0.4)
    return {"2d": c.F.bilinear(c.x(2, 3), c.x(2, 2), w, b),
            "3d_nobias": c.F.bilinear(c.x(2, 1, 3), c.x(2, 1, 2), w)}


@case
def dropout_eval_and_trivial(c):
    x = c.x(2, 3)
    return {"eval_is_input": c.F.dropout(x, 0.5, training=False) is x,
            "p0_is_input": c.F.dropout(x, 0.0) is x,
            "p1": c.F.dropout(c.x(2, 3), 1.0)}


@case
def dropout_train(c):
    x = c.x(4, 50, lo=0.5, hi=2.0)
    y = c.F.dropout(x, 0.25)
    kept = y != 0
    return {"chain": c.chain(y), "shape": list(y.shape), "dtype": str(y.dtype),
            "scaled": bool(((y == 0) | ((y - x / 0.75).abs() < 1e-5)).all()),
            "some_dropped": bool((~kept).any()), "some_kept": bool(kept.any())}


def _seed(c, s):
    seed = getattr(c.torch, "manual_seed", None)
    if seed is None:  # torchish before torch.manual_seed is exported
        from torchish import _rng
        seed = _rng.manual_seed
    seed(s)


@case
def dropout_seeded(c):
    _seed(c, 0)
    a = c.F.dropout(c.x(3, 5), 0.3)
    b = c.F.dropout(c.x(2, 4, dtype="float64"), 0.5)
    return {"float32": a, "float64": b}


@case
def dropout_inplace(c):
    y = c.x(2, 3) * 1
    z = c.F.dropout(y, 0.5, inplace=True)
    return {"same": z is y, "chain": c.chain(z)}


@case
def dropout_bad_p(c):
    return c.F.dropout(c.x(3), 1.5)


@case
def one_hot(c):
    return {"infer": c.F.one_hot(c.t([0, 2, 1])), "given": c.F.one_hot(c.t([[0, 1], [3, 2]]), 5),
            "empty": c.F.one_hot(c.t([], dtype="int64"), 3)}


@case
def one_hot_float_error(c):
    return c.F.one_hot(c.t([0.0, 1.0]))


@case
def one_hot_int32_error(c):
    return c.F.one_hot(c.t([0, 1], dtype="int32"))


@case
def one_hot_negative_error(c):
    return c.F.one_hot(c.t([0, -1]))


@case
def one_hot_too_big_error(c):
    return c.F.one_hot(c.t([0, 3]), 3)


@case
def one_hot_empty_error(c):
    return c.F.one_hot(c.t([], dtype="int64"))


# ---- pad ---------------------------------------------------------------------------------------

@case
def pad_constant(c):
    return {"last": c.F.pad(c.x(2, 3), (1, 2)), "two": c.F.pad(c.x(2, 3), (1, 0, 0, 2), value=-1.5),
            "crop": c.F.pad(c.x(2, 4), (-1, 1)), "crop_both": c.F.pad(c.x(3, 4), (0, -2, -1, 0)),
            "1d": c.F.pad(c.x(3), (2, 1), "constant", 7.0)}


@case
def pad_reflect(c):
    return {"1d": c.F.pad(c.x(1, 2, 4), (2, 1), mode="reflect"),
            "1d_nobatch": c.F.pad(c.x(2, 3), (1, 1), mode="reflect"),
            "2d": c.F.pad(c.x(1, 1, 3, 3), (1, 2, 2, 0), mode="reflect")}


@case
def pad_replicate(c):
    return {"1d": c.F.pad(c.x(1, 2, 3), (2, 1), mode="replicate"),
            "2d": c.F.pad(c.x(1, 2, 3), (1, 1, 1, 0), mode="replicate"),
            "3d": c.F.pad(c.x(1, 1, 2, 2, 2), (1, 0, 0, 1, 1, 0), mode="replicate")}


@case
def pad_circular(c):
    # torch's eager circular pad is a chain of slice copies: compare the values, the top node and
    # the gradient, not the chain
    x, x2 = c.x(1, 2, 3), c.x(1, 2, 2)
    y = c.F.pad(x, (2, 1), mode="circular")
    y2 = c.F.pad(x2, (1, 1, 2, 0), mode="circular")
    c.torch.autograd.backward([y, y2], [_cotangent(c.torch, y), _cotangent(c.torch, y2)])
    return {"1d": y.detach(), "top_node": type(y.grad_fn).__name__, "1d_grad": x.grad,
            "2d": y2.detach(), "2d_grad": x2.grad}


@case
def pad_odd_error(c):
    return c.F.pad(c.x(2, 3), (1,))


@case
def pad_too_long_error(c):
    return c.F.pad(c.x(2, 3), (1, 1, 1, 1, 1, 1))


@case
def pad_crop_error(c):
    return c.F.pad(c.x(2, 3), (-2, -2))


@case
def pad_reflect_too_big_error(c):
    return c.F.pad(c.x(1, 2, 3), (3, 3), mode="reflect")


@case
def pad_reflect_dims_error(c):
    return c.F.pad(c.x(3), (1, 1), mode="reflect")


@case
def pad_replicate_dims_error(c):
    return c.F.pad(c.x(2, 3), (1, 1, 1, 1), mode="replicate")


@case
def pad_circular_wrap_error(c):
    return c.F.pad(c.x(1, 2, 3), (4, 4), mode="circular")


@case
def pad_mode_error(c):
    return c.F.pad(c.x(1, 2, 3), (1, 1), mode="wrap")


@case
def pad_value_error(c):
    return c.F.pad(c.x(1, 2, 3), (1, 1), mode="reflect", value=1.0)


# ---- embedding ---------------------------------------------------------------------------------

@case
def embedding(c):
    w = c.x(4, 3)
    return {"1d": c.F.embedding(c.t([0, 2, 2]), w), "2d": c.F.embedding(c.t([[3, 1], [1, 1]]), w),
            "int32": c.F.embedding(c.t([1, 0], dtype="int32"), w)}


@case
def embedding_padding_idx(c):
    return {"pos": c.F.embedding(c.t([[0, 1], [1, 3]]), c.x(4, 3), padding_idx=1),
            "neg": c.F.embedding(c.t([0, 3, 3]), c.x(4, 2), padding_idx=-1)}


@case
def embedding_scale_grad_by_freq(c):
    return c.F.embedding(c.t([0, 2, 2, 2, 1]), c.x(3, 2), scale_grad_by_freq=True)


@case
def embedding_max_norm(c):
    w = c.x(4, 3, lo=-3.0, hi=3.0)
    out = c.F.embedding(c.t([0, 1, 3]), w, max_norm=1.5)
    return {"out": out, "weight_after": w.detach(), "version_bumped": w._version > 0}


@case
def embedding_out_of_range_error(c):
    return c.F.embedding(c.t([0, 4]), c.x(4, 3))


@case
def embedding_negative_index_error(c):
    return c.F.embedding(c.t([0, -1]), c.x(4, 3))


@case
def embedding_float_index_error(c):
    return c.F.embedding(c.t([0.0, 1.0]), c.x(4, 3))


@case
def embedding_padding_idx_error(c):
    return c.F.embedding(c.t([0, 1]), c.x(4, 3), padding_idx=4)


@case
def embedding_padding_idx_negative_error(c):
    return c.F.embedding(c.t([0, 1]), c.x(4, 3), padding_idx=-5)


# ---- normalize ---------------------------------------------------------------------------------

@case
def normalize(c):
    return {"default": c.F.normalize(c.x(2, 3)), "p1_dim0": c.F.normalize(c.x(2, 3), p=1.0, dim=0),
            "zero_row": c.F.normalize(c.v([[0.0, 0.0], [3.0, 4.0]]), dim=1)}


@case
def normalize_dim_error(c):
    return c.F.normalize(c.v(1.0))


# ==== losses ===================================================================================

REDUCTIONS = ("none", "mean", "sum")


def _each_reduction(fn):
    return {r: fn(r) for r in REDUCTIONS}


@case
def mse_loss(c):
    return _each_reduction(lambda r: c.F.mse_loss(c.x(2, 3), c.x(2, 3, lo=1.0, hi=-0.5),
                                                  reduction=r))


@case
def mse_loss_broadcast_warning(c):
    return {"target_row": c.F.mse_loss(c.x(2, 3), c.x(3, lo=0.0, hi=1.0)),
            "both_expand": c.F.mse_loss(c.x(3, 1), c.x(3), reduction="sum")}


@case
def mse_loss_broadcast_error(c):
    return c.F.mse_loss(c.x(2, 3), c.x(4))


@case
def mse_loss_weight(c):
    return _each_reduction(lambda r: c.F.mse_loss(c.x(2, 3), c.x(2, 3, lo=1.0, hi=0.0),
                                                  reduction=r, weight=c.t([[1.0, 2.0, 0.5]] * 2)))


@case
def mse_loss_weight_error(c):
    return c.F.mse_loss(c.x(2, 3), c.x(2, 3), weight=c.t([1.0, 2.0, 3.0]))


@case
def mse_loss_mixed_dtype(c):
    return c.F.mse_loss(c.x(2, 3), c.x(2, 3, dtype="float64", lo=1.0, hi=0.0))


@case
def loss_legacy_reduction(c):
    return {"size_average_false": c.F.mse_loss(c.x(2, 3), c.x(2, 3, lo=1.0), size_average=False),
            "reduce_false": c.F.l1_loss(c.x(2, 3), c.x(2, 3, lo=1.0), reduce=False)}


@case
def loss_bad_reduction_error(c):
    return c.F.mse_loss(c.x(2, 3), c.x(2, 3), reduction="avg")


@case
def l1_loss(c):
    out = _each_reduction(lambda r: c.F.l1_loss(c.x(2, 3), c.v([[-2.0, 0.0, 0.0], [0.4, 1.0, 2.0]]),
                                                reduction=r))
    out["weight"] = c.F.l1_loss(c.x(2, 3), c.x(2, 3, lo=1.0), weight=c.t([[1.0, 0.0, 2.0]] * 2))
    out["broadcast"] = c.F.l1_loss(c.x(3, 1), c.x(3), reduction="sum")
    return out


D = [[-2.0, -1.0, -0.5, 0.0], [0.25, 0.5, 1.0, 3.0]]  # differences that hit the kinks


@case
def smooth_l1_loss(c):
    out = _each_reduction(lambda r: c.F.smooth_l1_loss(c.v(D), c.t([[0.0] * 4] * 2), reduction=r))
    out["beta"] = c.F.smooth_l1_loss(c.v(D), c.x(2, 4, lo=0.0, hi=0.5), beta=0.5)
    out["beta0"] = c.F.smooth_l1_loss(c.v(D), c.t([[0.0] * 4] * 2), beta=0.0)
    return out


@case
def smooth_l1_negative_beta_error(c):
    return c.F.smooth_l1_loss(c.x(3), c.x(3), beta=-1.0)


@case
def huber_loss(c):
    out = _each_reduction(lambda r: c.F.huber_loss(c.v(D), c.t([[0.0] * 4] * 2), reduction=r))
    out["delta"] = c.F.huber_loss(c.v(D), c.x(2, 4, lo=0.0, hi=0.5), delta=0.5)
    out["weight_mean"] = c.F.huber_loss(c.v(D), c.t([[0.0] * 4] * 2),
                                        weight=c.t([[1.0, 2.0, 3.0, 4.0]] * 2))
    out["weight_sum"] = c.F.huber_loss(c.v(D), c.t([[0.0] * 4] * 2), reduction="sum",
                                       weight=c.t([[1.0, 2.0, 3.0, 4.0]] * 2))
    return out


@case
def huber_delta_error(c):
    return c.F.huber_loss(c.x(3), c.x(3), delta=0.0)


@case
def soft_margin_loss(c):
    out = _each_reduction(lambda r: c.F.soft_margin_loss(c.x(2, 3), c.t([[1.0, -1.0, 1.0]] * 2),
                                                         reduction=r))
    out["broadcast"] = c.F.soft_margin_loss(c.x(2, 3), c.t([1.0, -1.0, 1.0]))
    return out


P = [[0.0, 0.1, 0.5], [0.9, 1.0, 0.3]]  # probabilities including both clamped ends


@case
def binary_cross_entropy(c):
    y = [[0.0, 1.0, 0.5], [1.0, 0.0, 0.0]]
    out = _each_reduction(lambda r: c.F.binary_cross_entropy(c.v(P), c.t(y), reduction=r))
    out["weight"] = c.F.binary_cross_entropy(c.v(P), c.t(y), weight=c.t([1.0, 2.0, 0.5]))
    out["target_grad"] = c.F.binary_cross_entropy(c.x(2, 3, lo=0.1, hi=0.9),
                                                  c.x(2, 3, lo=0.0, hi=1.0))
    out["via_sigmoid"] = c.F.binary_cross_entropy(c.x(2, 3).sigmoid(), c.t(y))
    return out


@case
def binary_cross_entropy_shape_error(c):
    return c.F.binary_cross_entropy(c.x(2, 3, lo=0.1, hi=0.9), c.t([0.0, 1.0, 1.0]))


@case
def binary_cross_entropy_weight_grad_error(c):
    return c.F.binary_cross_entropy(c.x(3, lo=0.1, hi=0.9), c.t([0.0, 1.0, 1.0]), weight=c.x(3))


@case
def binary_cross_entropy_with_logits(c):
    x = [[-3.0, 0.0, 2.0], [0.0, -1.0, 40.0]]
    y = [[0.0, 1.0, 0.5], [0.0, 1.0, 1.0]]
    out = _each_reduction(lambda r: c.F.binary_cross_entropy_with_logits(c.v(x), c.t(y),
                                                                         reduction=r))
    out["weight"] = c.F.binary_cross_entropy_with_logits(c.v(x), c.t(y),
                                                         weight=c.t([1.0, 2.0, 0.5]))
    out["pos_weight"] = c.F.binary_cross_entropy_with_logits(
        c.v(x), c.t(y), pos_weight=c.t([3.0, 1.0, 0.5]), reduction="sum")
    out["both"] = c.F.binary_cross_entropy_with_logits(
        c.v(x), c.t(y), weight=c.t([[2.0], [1.0]]), pos_weight=c.t([3.0, 1.0, 0.5]),
        reduction="none")
    out["target_grad"] = c.F.binary_cross_entropy_with_logits(c.x(2, 3), c.x(2, 3, lo=0.0))
    return out


@case
def binary_cross_entropy_with_logits_shape_error(c):
    return c.F.binary_cross_entropy_with_logits(c.x(2, 3), c.t([0.0, 1.0, 1.0]))


@case
def binary_cross_entropy_with_logits_weight_grad_error(c):
    return c.F.binary_cross_entropy_with_logits(c.x(3), c.t([0.0, 1.0, 1.0]), weight=c.x(3))


# ---- cross_entropy / nll_loss ------------------------------------------------------------------

@case
def cross_entropy(c):
    return _each_reduction(lambda r: c.F.cross_entropy(c.x(3, 4), c.t([0, 3, 1]), reduction=r))


@case
def cross_entropy_weight_ignore_index(c):
    w = c.t([1.0, 2.0, 0.5, 1.5])
    out = _each_reduction(lambda r: c.F.cross_entropy(c.x(3, 4), c.t([0, 3, -100]), weight=w,
                                                      reduction=r))
    out["ignore_2"] = c.F.cross_entropy(c.x(3, 4), c.t([2, 3, 2]), ignore_index=2)
    out["ignore_out_of_range"] = c.F.cross_entropy(c.x(2, 4), c.t([0, 7]), ignore_index=7)
    out["all_ignored_mean"] = c.F.cross_entropy(c.x(2, 4), c.t([-100, -100]))
    out["all_ignored_sum"] = c.F.cross_entropy(c.x(2, 4), c.t([-100, -100]), reduction="sum")
    return out


@case
def cross_entropy_unbatched(c):
    return {"mean": c.F.cross_entropy(c.x(4), c.t(2)),
            "none": c.F.cross_entropy(c.x(4), c.t(1), reduction="none")}


@case
def cross_entropy_kdim(c):
    out = _each_reduction(lambda r: c.F.cross_entropy(c.x(2, 3, 2), c.t([[0, 2], [1, 1]]),
                                                      reduction=r))
    out["4d"] = c.F.cross_entropy(c.x(1, 3, 2, 2), c.t([[[0, 2], [1, -100]]]))
    out["4d_none"] = c.F.cross_entropy(c.x(1, 3, 2, 1), c.t([[[0], [2]]]), reduction="none")
    out["5d"] = c.F.cross_entropy(c.x(1, 3, 2, 1, 2), c.t([[[[0, 1]], [[2, 2]]]]),
                                  weight=c.t([1.0, 2.0, 3.0]))
    return out


@case
def cross_entropy_label_smoothing(c):
    out = _each_reduction(lambda r: c.F.cross_entropy(c.x(3, 4), c.t([0, 3, 1]), reduction=r,
                                                      label_smoothing=0.1))
    out["weight_ignore"] = c.F.cross_entropy(c.x(3, 4), c.t([0, -100, 1]), label_smoothing=0.2,
                                             weight=c.t([1.0, 2.0, 0.5, 1.5]))
    out["weight_none"] = c.F.cross_entropy(c.x(3, 4), c.t([0, -100, 1]), label_smoothing=0.2,
                                           weight=c.t([1.0, 2.0, 0.5, 1.5]), reduction="none")
    out["kdim"] = c.F.cross_entropy(c.x(2, 3, 2), c.t([[0, 2], [1, 1]]), label_smoothing=0.3)
    out["negative_is_off"] = c.F.cross_entropy(c.x(3, 4), c.t([0, 3, 1]), label_smoothing=-0.5)
    return out


@case
def cross_entropy_probabilities(c):
    def tgt():
        return c.t([[0.1, 0.2, 0.3, 0.4], [1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
    out = _each_reduction(lambda r: c.F.cross_entropy(c.x(3, 4), tgt(), reduction=r))
    out["weight"] = c.F.cross_entropy(c.x(3, 4), tgt(), weight=c.t([1.0, 2.0, 0.5, 1.5]))
    out["weight_none"] = c.F.cross_entropy(c.x(3, 4), tgt(), weight=c.t([1.0, 2.0, 0.5, 1.5]),
                                           reduction="none")
    out["smoothing"] = c.F.cross_entropy(c.x(3, 4), c.x(3, 4, lo=0.0, hi=0.5), label_smoothing=0.2)
    out["unbatched"] = c.F.cross_entropy(c.x(4), c.t([0.1, 0.2, 0.3, 0.4]))
    out["kdim"] = c.F.cross_entropy(c.x(2, 3, 2), c.x(2, 3, 2, lo=0.0, hi=1.0), reduction="sum")
    return out


@case
def cross_entropy_target_out_of_bounds_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0, 5]))


@case
def cross_entropy_negative_target_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0, -1]))


@case
def cross_entropy_batch_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0, 1, 2]))


@case
def cross_entropy_float_target_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0.0, 1.0]))


@case
def cross_entropy_int_probabilities_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([[0, 1, 0], [1, 0, 0]]))


@case
def cross_entropy_weight_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0, 1]), weight=c.t([1.0, 2.0]))


@case
def cross_entropy_probabilities_weight_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.x(2, 3), weight=c.t([1.0, 2.0]))


@case
def cross_entropy_label_smoothing_error(c):
    return c.F.cross_entropy(c.x(2, 3), c.t([0, 1]), label_smoothing=1.5)


@case
def cross_entropy_4d_target_oob_error(c):
    return c.F.cross_entropy(c.x(1, 3, 2, 1), c.t([[[0], [7]]]))


@case
def nll_loss(c):
    out = _each_reduction(lambda r: c.F.nll_loss(c.x(3, 4), c.t([0, 3, 1]), reduction=r))
    out["weight"] = c.F.nll_loss(c.x(3, 4), c.t([0, 3, 1]), weight=c.t([1.0, 2.0, 0.5, 1.5]))
    out["unbatched"] = c.F.nll_loss(c.x(4), c.t(2))
    out["3d_none"] = c.F.nll_loss(c.x(1, 3, 2), c.t([[0, 2]]), reduction="none")
    out["4d"] = c.F.nll_loss(c.x(1, 3, 2, 1), c.t([[[0], [2]]]))
    out["uint8_target"] = c.F.nll_loss(c.x(2, 3), c.t([0, 2], dtype="uint8"))
    return out


@case
def nll_loss_target_dims_error(c):
    return c.F.nll_loss(c.x(2, 3), c.t([[0], [1]]))


@case
def nll_loss_int32_target_error(c):
    return c.F.nll_loss(c.x(2, 3), c.t([0, 1], dtype="int32"))


@case
def nll_loss_kdim_size_error(c):
    return c.F.nll_loss(c.x(1, 3, 2), c.t([[0, 1, 2]]))


@case
def nll_loss_4d_size_error(c):
    return c.F.nll_loss(c.x(1, 3, 2, 1), c.t([[[0], [1], [1]]]))


@case
def nll_loss_4d_target_dims_error(c):
    return c.F.nll_loss(c.x(1, 3, 2, 1), c.t([[0, 1]]))


@case
def nll_loss_scalar_input_error(c):
    return c.F.nll_loss(c.v(1.0), c.t(0))


# ---- other losses ------------------------------------------------------------------------------

@case
def kl_div(c):
    def tgt():
        return c.t([[0.1, 0.2, 0.7], [0.0, 0.5, 0.5]])
    out = {r: c.F.kl_div(c.x(2, 3, lo=-3.0, hi=-0.2), tgt(), reduction=r)
           for r in ("none", "sum", "batchmean")}
    out["log_target"] = c.F.kl_div(c.x(2, 3, lo=-3.0, hi=-0.2), tgt().clamp(min=0.05).log(),
                                   reduction="batchmean", log_target=True)
    out["target_grad"] = c.F.kl_div(c.x(2, 3, lo=-3.0, hi=-0.2), c.x(2, 3, lo=0.0, hi=0.5),
                                    reduction="sum")
    return out


@case
def kl_div_mean_warning(c):
    return c.F.kl_div(c.x(2, 3, lo=-3.0, hi=-0.2), c.t([[0.1, 0.2, 0.7], [0.0, 0.5, 0.5]]))


@case
def poisson_nll_loss(c):
    y = c.t([[0.0, 1.0, 2.0], [3.0, 0.5, 5.0]])
    out = _each_reduction(lambda r: c.F.poisson_nll_loss(c.x(2, 3), y, reduction=r))
    out["not_log"] = c.F.poisson_nll_loss(c.x(2, 3, lo=0.0, hi=3.0), y, log_input=False)
    out["full"] = c.F.poisson_nll_loss(c.x(2, 3), y, full=True, reduction="none")
    out["full_target_grad"] = c.F.poisson_nll_loss(c.x(2, 3), c.x(2, 3, lo=0.5, hi=4.0), full=True)
    return out


@case
def poisson_nll_loss_reduction_error(c):
    return c.F.poisson_nll_loss(c.x(3), c.x(3), reduction="avg")


@case
def cosine_embedding_loss(c):
    y = c.t([1, -1, -1])
    out = _each_reduction(lambda r: c.F.cosine_embedding_loss(
        c.x(3, 2), c.x(3, 2, lo=1.0, hi=-1.0), y, reduction=r))
    out["margin"] = c.F.cosine_embedding_loss(c.x(3, 2), c.x(3, 2, lo=1.0, hi=-1.0), y,
                                              margin=0.5)
    out["unbatched"] = c.F.cosine_embedding_loss(c.x(3), c.x(3, lo=0.5), c.t(-1))
    return out


@case
def cosine_embedding_loss_target_error(c):
    return c.F.cosine_embedding_loss(c.x(2, 3), c.x(2, 3), c.t([[1.0], [1.0]]))


@case
def cosine_embedding_loss_dims_error(c):
    return c.F.cosine_embedding_loss(c.x(2, 3), c.x(2, 3), c.t(1.0))


@case
def margin_ranking_loss(c):
    y = c.t([1.0, -1.0, 1.0, -1.0])
    out = _each_reduction(lambda r: c.F.margin_ranking_loss(c.x(4), c.x(4, lo=1.0, hi=-1.0), y,
                                                            reduction=r))
    out["margin"] = c.F.margin_ranking_loss(c.x(4), c.x(4, lo=1.0, hi=-1.0), y, margin=0.5)
    return out


@case
def margin_ranking_loss_dims_error(c):
    return c.F.margin_ranking_loss(c.x(2, 3), c.x(2, 3), c.t([1.0, -1.0, 1.0]))


@case
def triplet_margin_loss(c):
    def args():
        return c.x(2, 3), c.x(2, 3, lo=1.0, hi=-1.0), c.x(2, 3, lo=0.0, hi=0.5)
    out = _each_reduction(lambda r: c.F.triplet_margin_loss(*args(), reduction=r))
    out["swap"] = c.F.triplet_margin_loss(*args(), swap=True)
    out["p1_margin"] = c.F.triplet_margin_loss(*args(), margin=2.0, p=1)
    return out


@case
def triplet_margin_loss_margin_error(c):
    return c.F.triplet_margin_loss(c.x(2, 3), c.x(2, 3), c.x(2, 3), margin=0.0)


@case
def triplet_margin_loss_dims_error(c):
    return c.F.triplet_margin_loss(c.x(2, 3), c.x(2, 3), c.x(3))


@case
def pairwise_distance(c):
    return {"p2": c.F.pairwise_distance(c.x(2, 3), c.x(2, 3, lo=1.0)),
            "p1_keepdim": c.F.pairwise_distance(c.x(2, 3), c.x(3, lo=1.0), p=1.0, keepdim=True)}


# ---- added activations, losses and dropouts ----------------------------------------------------

@case
def shrinks(c):
    x = [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0]
    return {"hardshrink": c.F.hardshrink(c.v(x)), "hardshrink_1": c.F.hardshrink(c.v(x), 0.25),
            "softshrink": c.F.softshrink(c.v(x)), "softshrink_1": c.F.softshrink(c.v(x), 0.25),
            "tanhshrink": c.F.tanhshrink(c.v(x))}


@case
def prelu(c):
    return {"channels": c.F.prelu(c.x(2, 3, 2), c.v([0.25, 0.5, -1.0])),
            "one": c.F.prelu(c.v([[-1.0, 0.0, 2.0]]), c.v([0.1])),
            "1d_same_dims": c.F.prelu(c.v([-1.0, 0.0, 2.0]), c.v([0.3])),
            "scalar_weight": c.F.prelu(c.x(2, 3), c.v(0.2))}


@case
def prelu_channel_error(c):
    return c.F.prelu(c.x(2, 3), c.v([0.25, 0.5]))


@case
def hinge_embedding_loss(c):
    y = c.t([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])
    out = _each_reduction(lambda r: c.F.hinge_embedding_loss(c.x(2, 3), y, reduction=r))
    out["margin"] = c.F.hinge_embedding_loss(c.x(2, 3), y, margin=0.5)
    return out


@case
def feature_dropout_seeded(c):
    _seed(c, 3)
    d2 = c.F.dropout2d(c.x(2, 3, 2, 2), 0.4)
    d1 = c.F.dropout1d(c.x(2, 3, 2), 0.5)
    d1u = c.F.dropout1d(c.x(3, 2), 0.5)
    d3 = c.F.dropout3d(c.x(1, 4, 1, 1, 2), 0.5)
    return {"dropout2d": d2, "dropout1d": d1, "dropout1d_unbatched": d1u, "dropout3d": d3,
            "eval": c.F.dropout2d(c.x(1, 2, 1, 1), 0.5, training=False)}


@case
def dropout2d_3d_input_warning(c):
    _seed(c, 1)
    return c.F.dropout2d(c.x(2, 3, 2), 0.5)


@case
def alpha_dropout_seeded(c):
    _seed(c, 5)
    return {"alpha": c.F.alpha_dropout(c.x(3, 4), 0.3, training=True),
            "feature": c.F.feature_alpha_dropout(c.x(2, 3, 2), 0.5, training=True),
            "p1": c.F.alpha_dropout(c.x(3), 1.0, training=True),
            "eval_default": c.F.alpha_dropout(c.x(3), 0.5)}


@case
def dropout1d_dims_error(c):
    return c.F.dropout1d(c.x(2, 3, 2, 2))
