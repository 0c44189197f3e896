"""Elementwise float ops: every unary op on its domain, binary ops with broadcasting, reflected
scalar forms, kinks where torch's derivative convention differs from JAX's, in-place variants."""

from . import error, grads, leaf

X = [[0.5, -1.25, 2.0], [-0.75, 1.5, 0.25]]
POS = [[0.5, 1.25, 2.0], [0.75, 1.5, 3.0]]
UNIT = [[-0.5, 0.25, 0.75], [0.1, -0.9, 0.4]]
GE1 = [[1.5, 2.0, 3.0], [1.25, 4.0, 1.1]]
ROW = [0.75, -2.0, 1.25]

UNARY = {
    "exp": X, "exp2": X, "log": POS, "log2": POS, "log10": POS, "log1p": POS, "expm1": X,
    "sqrt": POS, "rsqrt": POS, "sin": X, "cos": X, "tan": UNIT, "asin": UNIT, "acos": UNIT,
    "atan": X, "sinh": X, "cosh": X, "tanh": X, "asinh": X, "acosh": GE1, "atanh": UNIT,
    "sigmoid": X, "erf": X, "erfc": X, "erfinv": UNIT, "reciprocal": POS, "lgamma": POS,
    "digamma": POS, "neg": X, "abs": X, "sign": X, "floor": X, "ceil": X, "trunc": X,
    "frac": X, "relu": X, "round": [[0.4, -1.6, 2.5], [-0.5, 1.5, 3.7]], "square": X,
    "negative": X, "absolute": X, "arcsin": UNIT, "arctan": X, "logit": [[0.2, 0.5, 0.9]],
    "sinc": X, "deg2rad": X, "rad2deg": X, "signbit": X, "positive": X,
    "nan_to_num": [[0.5, float("nan"), float("inf"), float("-inf")]], "i0": X,
}
INT_INPUT = ("exp", "sqrt", "sigmoid", "log", "sin", "reciprocal", "erf", "tanh", "neg", "abs",
             "sign", "floor", "round", "square", "relu")


def _unary(name, data):
    return lambda torch: grads(torch, getattr(torch, name), data)


def _unary_int(name):
    return lambda torch: getattr(torch, name)(torch.tensor([[1, -2, 3], [0, 4, -1]]))


def _binary(name, b=ROW):
    return lambda torch: grads(torch, getattr(torch, name), X, b)


CASES = [(f"unary_{n}", _unary(n, d)) for n, d in UNARY.items() if d is not None]
CASES += [(f"unary_int_{n}", _unary_int(n)) for n in INT_INPUT]
CASES += [
    ("unary_method_exp", lambda torch: grads(torch, lambda a: a.exp().sin(), X)),
    ("unary_round_decimals", lambda torch: grads(
        torch, lambda a: torch.round(a * 10.0 / 3.0, decimals=2), X)),
    ("unary_float16", lambda torch: torch.exp(torch.tensor([0.5, 1.5], dtype=torch.float16))),
    ("unary_float64", lambda torch: grads(
        torch, torch.tanh, torch.tensor(X, dtype=torch.float64, requires_grad=True))),
    ("unary_0d", lambda torch: grads(torch, torch.exp, 0.5)),
    ("unary_empty", lambda torch: torch.exp(torch.zeros(0, 3))),
    ("unary_bool_exp", lambda torch: torch.exp(torch.tensor([True, False]))),
    ("neg_bool_error", lambda torch: error(lambda: -torch.tensor([True]))),
    ("softmax_fn", lambda torch: grads(torch, lambda a: torch.softmax(a, 1), X)),
    ("softmax_method", lambda torch: grads(torch, lambda a: a.softmax(0), X)),
    ("softmax_dtype", lambda torch: grads(
        torch, lambda a: torch.softmax(a, -1, dtype=torch.float64), X)),
    ("log_softmax_fn", lambda torch: grads(torch, lambda a: torch.log_softmax(a, 1), X)),
    ("log_softmax_method", lambda torch: grads(torch, lambda a: a.log_softmax(dim=0), X)),
    ("softmax_int_error", lambda torch: error(lambda: torch.tensor([1, 2]).softmax(0))),
    ("softmax_dim_error", lambda torch: error(lambda: torch.zeros(2, 3).softmax(2))),
]

BINARY = ("add", "sub", "mul", "div", "maximum", "minimum", "atan2", "remainder", "fmod",
          "pow", "true_divide", "multiply", "subtract", "divide", "hypot", "fmax", "fmin",
          "copysign", "xlogy", "logaddexp", "logaddexp2", "float_power")
CASES += [(f"binary_{n}", _binary(n)) for n in BINARY]
CASES += [
    ("binary_pow_pos", lambda torch: grads(torch, torch.pow, POS, ROW)),
    ("float_power_scalar", lambda torch: grads(torch, lambda a: torch.float_power(a, 2), X)),
    ("float_power_rscalar", lambda torch: grads(torch, lambda a: torch.float_power(2, a), X)),
    # torch's sgn backward on real input yields a grad it cannot read back: forward only
    ("sgn", lambda torch: [torch.sgn(torch.tensor(X)), leaf(torch, X).sgn()]),
    ("ldexp", lambda torch: grads(torch, lambda a: torch.ldexp(a, torch.tensor([1, -2, 3])), X)),
    ("ldexp_int", lambda torch: torch.ldexp(torch.tensor([1, 2]), torch.tensor([3, 1]))),
    ("heaviside", lambda torch: torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor(
        0.5))),
    ("heaviside_grad", lambda torch: error(lambda: torch.heaviside(
        leaf(torch, [-1.0, 0.0, 2.0]), torch.tensor(0.5)).sum().backward())),
    ("inplace_functions", lambda torch: _inplace_fns(torch)),
    ("float_power_int", lambda torch: torch.float_power(torch.tensor([2, 3]), 2)),
    ("binary_0d_operand", lambda torch: grads(torch, torch.mul, X, 1.5)),
    ("binary_broadcast_both", lambda torch: grads(
        torch, torch.add, [[1.0], [2.0]], [[0.5, -1.0, 2.0]])),
    ("binary_mixed_dtypes", lambda torch: grads(
        torch, torch.mul, X, torch.tensor(ROW, dtype=torch.float64, requires_grad=True))),
    ("binary_int_float", lambda torch: grads(
        torch, lambda a: a * torch.tensor([1, 2, 3]), X)),
    ("binary_float16_0d_float32", lambda torch: torch.tensor([1.5, 2.0], dtype=torch.float16)
     + torch.tensor(0.25)),
    ("broadcast_error", lambda torch: error(lambda: torch.zeros(2, 3) + torch.zeros(2))),
    ("broadcast_error_dim0", lambda torch: error(lambda: torch.zeros(4, 3) * torch.zeros(2, 1))),
    ("broadcast_error_rank", lambda torch: error(lambda: torch.zeros(2, 1, 3) - torch.zeros(4, 2))),
    ("add_alpha", lambda torch: grads(torch, lambda a, b: torch.add(a, b, alpha=2), X, ROW)),
    ("sub_alpha", lambda torch: grads(torch, lambda a, b: torch.sub(a, b, alpha=0.5), X, ROW)),
    ("add_alpha_scalar", lambda torch: grads(torch, lambda a: a.add(2, alpha=3), X)),
    ("rsub_tensor", lambda torch: grads(torch, torch.rsub, X, ROW)),
    ("rsub_scalar", lambda torch: grads(torch, lambda a: torch.rsub(a, 2), X)),
    ("rsub_alpha", lambda torch: grads(torch, lambda a, b: torch.rsub(a, b, alpha=2), X, ROW)),
    # reflected scalars: torch records the reflected overload's own node
    ("r_add", lambda torch: grads(torch, lambda a: 2 + a, X)),
    ("r_sub", lambda torch: grads(torch, lambda a: 1 - a, X)),
    ("r_mul", lambda torch: grads(torch, lambda a: 2 * a, X)),
    ("r_div", lambda torch: grads(torch, lambda a: 2 / a, POS)),
    ("r_pow", lambda torch: grads(torch, lambda a: 2 ** a, X)),
    ("r_pow_float", lambda torch: grads(torch, lambda a: 1.5 ** a, X)),
    ("r_mod", lambda torch: grads(torch, lambda a: 2.5 % a, POS)),
    ("r_floordiv", lambda torch: error(lambda: (5 // leaf(torch, POS)).sum().backward())),
    ("s_add", lambda torch: grads(torch, lambda a: a + 2, X)),
    ("s_sub", lambda torch: grads(torch, lambda a: a - 2.5, X)),
    ("s_mul", lambda torch: grads(torch, lambda a: a * 2, X)),
    ("s_div", lambda torch: grads(torch, lambda a: a / 2, X)),
    ("s_pow2", lambda torch: grads(torch, lambda a: a ** 2, X)),
    ("s_pow3", lambda torch: grads(torch, lambda a: a ** 3, X)),
    ("s_pow_half", lambda torch: grads(torch, lambda a: a ** 0.5, POS)),
    ("s_pow_neg", lambda torch: grads(torch, lambda a: a ** -1, POS)),
    ("s_pow_float_int", lambda torch: grads(torch, lambda a: a ** 2.0, X)),
    ("s_pow0", lambda torch: grads(torch, lambda a: a ** 0, X)),
    ("t_pow_t", lambda torch: grads(torch, lambda a: a ** a, POS)),
    ("s_mod", lambda torch: grads(torch, lambda a: a % 1.5, X)),
    ("s_floordiv", lambda torch: grads(torch, lambda a: a // 2, X)),
    ("s_floordiv_grad", lambda torch: error(lambda: (leaf(torch, X) // 2).sum().backward())),
    ("pos", lambda torch: grads(torch, lambda a: +a, X)),
    ("abs_dunder", lambda torch: grads(torch, abs, X)),
    ("neg_dunder", lambda torch: grads(torch, lambda a: -a, X)),
    ("square_method", lambda torch: grads(torch, lambda a: a.square(), X)),
    ("clamp", lambda torch: grads(torch, lambda a: a.clamp(-0.5, 1.0), X)),
    ("clamp_min", lambda torch: grads(torch, lambda a: a.clamp(min=0.3), X)),
    ("clamp_max", lambda torch: grads(torch, lambda a: torch.clamp(a, max=0.3), X)),
    ("clamp_min_method", lambda torch: grads(torch, lambda a: a.clamp_min(0.3), X)),
    ("clamp_max_method", lambda torch: grads(torch, lambda a: a.clamp_max(0.3), X)),
    ("clip", lambda torch: grads(torch, lambda a: torch.clip(a, -1, 1), X)),
    ("clamp_tensor", lambda torch: grads(
        torch, lambda a, lo, hi: torch.clamp(a, lo, hi), X, [0.0, -1.0, 0.5], [1.0, 0.0, 2.0])),
    ("clamp_tensor_min", lambda torch: grads(torch, lambda a, lo: a.clamp(min=lo), X, ROW)),
    ("clamp_none_error", lambda torch: error(lambda: torch.zeros(2).clamp())),
    ("clamp_int", lambda torch: torch.tensor([-3, 0, 5]).clamp(-1, 2)),
    ("clamp_int_float_bound", lambda torch: torch.tensor([-3, 0, 5]).clamp(-1.5, 2.5)),
    ("lerp_scalar", lambda torch: grads(torch, lambda a, b: torch.lerp(a, b, 0.25), X, ROW)),
    ("lerp_tensor", lambda torch: grads(torch, torch.lerp, X, ROW, [0.5, 0.25, 1.0])),
    ("addcmul", lambda torch: grads(
        torch, lambda a, b, c: torch.addcmul(a, b, c, value=0.5), X, ROW, POS)),
    ("addcdiv", lambda torch: grads(
        torch, lambda a, b, c: torch.addcdiv(a, b, c, value=2), X, ROW, POS)),
    # kinks: torch's derivative conventions
    ("kink_clamp_bounds", lambda torch: grads(
        torch, lambda a: a.clamp(0.0, 1.0), [0.0, 1.0, 0.5, -1.0, 2.0])),
    ("kink_clamp_min_bound", lambda torch: grads(torch, lambda a: a.clamp(min=0.0), [0.0, 1.0])),
    ("kink_abs_0", lambda torch: grads(torch, torch.abs, [0.0, -1.0, 2.0])),
    ("kink_relu_0", lambda torch: grads(torch, torch.relu, [0.0, -1.0, 2.0])),
    ("kink_sign_0", lambda torch: grads(torch, torch.sign, [0.0, -1.0, 2.0])),
    ("kink_maximum_tie", lambda torch: grads(torch, torch.maximum, [1.0, 2.0, 3.0],
                                             [1.0, 0.0, 3.0])),
    ("kink_minimum_tie", lambda torch: grads(torch, torch.minimum, [1.0, 2.0], [1.0, 5.0])),
    ("kink_sqrt_0", lambda torch: grads(torch, torch.sqrt, [0.0, 4.0])),
    ("kink_pow_half_0", lambda torch: grads(torch, lambda a: a ** 0.5, [0.0, 4.0])),
    ("kink_pow0_at_0", lambda torch: grads(torch, lambda a: a ** 0.0, [0.0, 4.0])),
    ("kink_pow2_at_0", lambda torch: grads(torch, lambda a: a ** 2, [0.0, -3.0])),
    ("kink_tensor_pow_0_0", lambda torch: grads(torch, torch.pow, [0.0, 2.0], [0.0, 0.0])),
    ("kink_fmod_int", lambda torch: grads(torch, lambda a: torch.fmod(a, 1.0), [1.0, -2.5])),
    ("kink_floor_grad", lambda torch: grads(torch, torch.floor, [1.0, -2.5])),
    ("kink_clamp_tensor_bounds", lambda torch: grads(
        torch, lambda a, lo: torch.clamp(a, min=lo), [0.0, 1.0], [0.0, 1.0])),
    ("kink_log_0", lambda torch: grads(torch, torch.log, [0.0, 1.0])),
    ("kink_max_nan", lambda torch: torch.maximum(torch.tensor([float("nan"), 1.0]),
                                                 torch.tensor([0.0, float("nan")]))),
    ("kink_clamp_nan", lambda torch: torch.tensor([float("nan"), 2.0]).clamp(0, 1)),
    # in-place
    ("inplace_add_nonleaf", lambda torch: _inplace(torch, lambda y: y.add_(1.5))),
    ("inplace_mul_tensor", lambda torch: _inplace(torch, lambda y: y.mul_(torch.tensor(ROW)))),
    ("inplace_exp", lambda torch: _inplace(torch, lambda y: y.exp_())),
    ("inplace_abs", lambda torch: _inplace(torch, lambda y: y.abs_())),
    ("inplace_clamp", lambda torch: _inplace(torch, lambda y: y.clamp_(-0.5, 0.5))),
    ("inplace_relu", lambda torch: _inplace(torch, lambda y: y.relu_())),
    ("inplace_sigmoid", lambda torch: _inplace(torch, lambda y: y.sigmoid_())),
    ("inplace_pow", lambda torch: _inplace(torch, lambda y: y.pow_(2))),
    ("inplace_div", lambda torch: _inplace(torch, lambda y: y.div_(2))),
    ("inplace_sub_alpha", lambda torch: _inplace(torch, lambda y: y.sub_(1, alpha=2))),
    ("inplace_iadd", lambda torch: _inplace(torch, _iadd)),
    ("inplace_twice", lambda torch: _inplace(torch, lambda y: y.mul_(2).add_(1))),
    ("inplace_leaf_error", lambda torch: error(lambda: leaf(torch, X).add_(1))),
    ("inplace_leaf_nograd", lambda torch: _leaf_no_grad(torch)),
    ("inplace_int_float_error", lambda torch: error(lambda: torch.tensor([1, 2]).add_(1.5))),
    ("inplace_int_div_error", lambda torch: error(lambda: torch.tensor([1, 2]).div_(2))),
    ("inplace_int_exp_error", lambda torch: error(lambda: torch.tensor([1, 2]).exp_())),
    ("inplace_broadcast_error", lambda torch: error(
        lambda: torch.zeros(3).add_(torch.zeros(2, 3)))),
    ("inplace_float_into_double", lambda torch: torch.zeros(2, dtype=torch.float64).add_(
        torch.tensor([0.1, 0.2]))),
    ("inplace_int_ok", lambda torch: _version(torch, torch.tensor([1, 2]), lambda t: t.mul_(3))),
    ("inplace_version", lambda torch: _version(torch, torch.zeros(2), lambda t: t.add_(1).exp_())),
    ("inplace_result_is_self", lambda torch: _is_self(torch)),
]


def _inplace_fns(torch):
    t = torch.tensor([0.25, -0.5])
    out = [torch.exp_(t), torch.clamp_(t, 0.5, 1.0), torch.sqrt_(t), torch.neg_(t),
           torch.relu_(t), torch.sigmoid_(t), torch.round_(t)]
    return {"t": t, "same": [o is t for o in out], "version": t._version}


def _iadd(y):
    y += 2
    return y


def _inplace(torch, f):
    """An in-place op on a non-leaf: values, the rebound grad_fn chain, version, grads."""
    x = leaf(torch, X)
    y = x * 1.0
    v0 = y._version
    f(y)
    rec = grads(torch, lambda a: y, x)
    return {"y": y, "version": y._version - v0, "grads": rec["grads"]}


def _leaf_no_grad(torch):
    x = leaf(torch, [1.0, 2.0])
    with torch.no_grad():
        x.mul_(2)
    return {"x": x, "version": x._version}


def _version(torch, t, f):
    f(t)
    return {"t": t, "version": t._version}


def _is_self(torch):
    t = torch.zeros(2)
    return [t.add_(1) is t, t.exp_() is t, t.clamp_(0, 1) is t]
