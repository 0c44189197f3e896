"""Integer and bool semantics, comparisons, logical and bitwise ops, where, and the errors torch
raises for them (floor division and remainder with negatives, int division to float, bool
arithmetic, overflow wrap-around, requires_grad on integer tensors)."""

from . import error, grads, leaf

X = [[0.5, -1.25, 2.0], [-0.75, 1.5, 0.25]]
I = [[-7, 7, -3], [5, -8, 0]]
J = [2, -3, 4]


def _i(torch, data=I, dtype=None):
    return torch.tensor(data, dtype=dtype)


def _pair(f, a=I, b=J):
    return lambda torch: f(torch, torch.tensor(a), torch.tensor(b))


CASES = [
    ("int_floordiv", _pair(lambda torch, a, b: a // b)),
    ("int_floordiv_scalar", lambda torch: _i(torch) // 2),
    ("int_floordiv_neg_scalar", lambda torch: _i(torch) // -3),
    ("int_rfloordiv", lambda torch: 7 // torch.tensor([2, -3, 4])),
    ("int_rfloordiv_zero_dividend", lambda torch: 0 // torch.tensor([2, -3, 4])),
    ("int_rmod_zero_dividend", lambda torch: 0 % torch.tensor([2, -3, 4])),
    ("int_mod", _pair(lambda torch, a, b: a % b)),
    ("int_mod_scalar", lambda torch: _i(torch) % 3),
    ("int_mod_neg_scalar", lambda torch: _i(torch) % -3),
    ("int_rmod", lambda torch: 7 % torch.tensor([2, -3, 4])),
    ("int_fmod", _pair(lambda torch, a, b: torch.fmod(a, b))),
    ("int_remainder_fn", _pair(lambda torch, a, b: torch.remainder(a, b))),
    ("float_floordiv_neg", lambda torch: torch.tensor([-7.5, 7.5, -0.5]) // 2),
    ("float_mod_neg", lambda torch: torch.tensor([-7.5, 7.5, -0.5]) % 2),
    ("float_mod_neg_divisor", lambda torch: torch.tensor([-7.5, 7.5, -0.5]) % -2),
    ("float_fmod_neg", lambda torch: torch.fmod(torch.tensor([-7.5, 7.5, -0.5]), 2)),
    ("float_floordiv_zero", lambda torch: torch.tensor([1.0, -1.0, 0.0]) // 0),
    ("float_mod_zero", lambda torch: torch.tensor([1.0, -1.0]) % 0),
    ("int_floordiv_zero_error", lambda torch: error(lambda: (_i(torch) // 0).tolist())),
    ("int_mod_zero_error", lambda torch: error(lambda: (_i(torch) % 0).tolist())),
    ("int_truediv", _pair(lambda torch, a, b: a / b)),
    ("int_truediv_scalar", lambda torch: _i(torch) / 2),
    ("int_div_trunc", _pair(lambda torch, a, b: torch.div(a, b, rounding_mode="trunc"))),
    ("int_div_floor", _pair(lambda torch, a, b: torch.div(a, b, rounding_mode="floor"))),
    ("float_div_trunc", lambda torch: grads(
        torch, lambda a: torch.div(a, 0.4, rounding_mode="trunc"), X)),
    ("float_div_floor", lambda torch: torch.div(torch.tensor(X), 0.4, rounding_mode="floor")),
    ("div_mode_error", lambda torch: error(lambda: torch.div(_i(torch), 2, rounding_mode="x"))),
    ("int_true_divide_zero", lambda torch: torch.tensor([1, -1, 0]) / 0),
    ("int_mul_float", lambda torch: _i(torch) * 2.5),
    ("int_add_int32", lambda torch: _i(torch, dtype=torch.int32) + torch.tensor(2)),
    ("int_pow", lambda torch: _i(torch) ** 2),
    ("int_pow_neg_error", lambda torch: error(lambda: _i(torch) ** -1)),
    ("int_pow_tensor", _pair(lambda torch, a, b: torch.tensor([2, 3, 4]) ** torch.tensor(
        [3, 2, 0]))),
    ("int_rpow", lambda torch: 2 ** torch.tensor([0, 3, 10])),
    ("int_pow_float", lambda torch: torch.tensor([4, 9]) ** 0.5),
    ("int_neg_abs", lambda torch: [-_i(torch), _i(torch).abs(), _i(torch).sign()]),
    ("uint8_wrap", lambda torch: torch.tensor([200, 100], dtype=torch.uint8) + 100),
    ("uint8_sub_wrap", lambda torch: torch.tensor([1, 2], dtype=torch.uint8) - 3),
    ("int8_wrap", lambda torch: torch.tensor([120, -120], dtype=torch.int8) * 2),
    ("int8_floordiv", lambda torch: torch.tensor([-7, 7], dtype=torch.int8) // 2),
    ("int_maximum", _pair(lambda torch, a, b: torch.maximum(a, b))),
    ("bool_add", lambda torch: torch.tensor([True, False, True]) + torch.tensor([True, False,
                                                                               False])),
    ("bool_mul", lambda torch: torch.tensor([True, False]) * torch.tensor([True, True])),
    ("bool_add_int", lambda torch: torch.tensor([True, False]) + 1),
    ("bool_add_float", lambda torch: torch.tensor([True, False]) + 1.5),
    ("bool_truediv", lambda torch: torch.tensor([True, False]) / torch.tensor([True, True])),
    ("bool_sum", lambda torch: torch.tensor([True, True, False]).sum()),
    ("bool_neg_error", lambda torch: error(lambda: -torch.tensor([True, False]))),
    ("bool_sub_error", lambda torch: error(lambda: torch.tensor([True]) - torch.tensor([True]))),
    ("bool_rsub_error", lambda torch: error(lambda: 1 - torch.tensor([True]))),
    ("bool_invert", lambda torch: ~torch.tensor([True, False])),
    ("int_invert", lambda torch: ~_i(torch)),
    ("float_invert_error", lambda torch: error(lambda: ~torch.tensor([1.0]))),
    ("bool_pow_error", lambda torch: error(lambda: torch.tensor([True]) ** torch.tensor([True]))),
    # comparisons
    ("cmp_eq", _pair(lambda torch, a, b: a == b, I, [5, -8, 0])),
    ("cmp_all", lambda torch: _cmps(torch, torch.tensor(X), torch.tensor([0.5, 1.5, 2.0]))),
    ("cmp_scalar", lambda torch: _cmps(torch, torch.tensor(X), 0.5)),
    ("cmp_reflected", lambda torch: [0.5 < torch.tensor(X), 0 == torch.tensor(I),
                                     1 >= torch.tensor(I)]),
    ("cmp_fns", lambda torch: [f(torch.tensor(X), 0.5) for f in (
        torch.eq, torch.ne, torch.lt, torch.le, torch.gt, torch.ge, torch.greater,
        torch.less_equal, torch.not_equal)]),
    ("cmp_methods", lambda torch: [torch.tensor(I).lt(0), torch.tensor(I).ge(torch.tensor(J))]),
    ("cmp_grad", lambda torch: leaf(torch, X) > 0),
    ("cmp_int_float", lambda torch: torch.tensor([1, 2]) == torch.tensor([1.0, 2.5])),
    ("cmp_nan", lambda torch: _cmps(torch, torch.tensor([float("nan"), 1.0]), float("nan"))),
    ("cmp_complex_error", lambda torch: error(lambda: torch.tensor([1j]) < 1)),
    ("cmp_broadcast_error", lambda torch: error(lambda: torch.zeros(3) < torch.zeros(2))),
    ("cmp_inplace", lambda torch: torch.tensor([1.0, 2.0]).lt_(1.5)),
    ("logical", lambda torch: _logical(torch, torch.tensor([0.0, 1.5, -2.0, 0.0]),
                                       torch.tensor([1, 0, 3, 0]))),
    ("logical_bool", lambda torch: _logical(torch, torch.tensor([True, False, True]),
                                            torch.tensor([False, False, True]))),
    ("isnan_isinf", lambda torch: _finite(torch, torch.tensor(
        [float("nan"), float("inf"), float("-inf"), 1.0, -0.0]))),
    ("isnan_int", lambda torch: _finite(torch, torch.tensor([1, 2]))),
    ("bitwise", lambda torch: _bitwise(torch, _i(torch), torch.tensor(J))),
    ("bitwise_bool", lambda torch: _bitwise(torch, torch.tensor([True, False, True]),
                                            torch.tensor([True, True, False]))),
    ("bitwise_scalar", lambda torch: [_i(torch) & 3, _i(torch) | 8, 5 ^ _i(torch)]),
    ("bitwise_float_error", lambda torch: error(lambda: torch.tensor([1.0]) & torch.tensor([1.0]))),
    ("bitwise_or_float_error", lambda torch: error(lambda: torch.tensor([1.0]) | 1)),
    ("gcd_lcm", lambda torch: [torch.gcd(torch.tensor([12, -8, 0]), torch.tensor([18, 6, 5])),
                               torch.lcm(torch.tensor([4, -6, 0]), torch.tensor([6, 4, 3]))]),
    ("gcd_float_error", lambda torch: error(lambda: torch.gcd(torch.tensor([1.0]),
                                                              torch.tensor([2.0])))),
    ("bitwise_shift", lambda torch: [_i(torch) << 2, torch.tensor([64, -64]) >> 3]),
    ("isclose", lambda torch: _close(torch, torch.tensor([1.0, 2.0, float("nan"), float("inf"),
                                                         1e-9]),
                                     torch.tensor([1.0, 2.1, float("nan"), float("inf"), 0.0]))),
    ("isclose_int", lambda torch: torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3]))),
    ("isclose_dtype_error", lambda torch: error(lambda: torch.isclose(
        torch.tensor([1, 2]), torch.tensor([1.0, 3.0])))),
    ("isclose_tol", lambda torch: torch.isclose(torch.tensor([1.0, 100.0]), torch.tensor(
        [1.05, 101.0]), rtol=0.02, atol=0.01)),
    ("allclose", lambda torch: [torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor(
        [1.0, 2.0 + 1e-7])), torch.tensor([1.0]).allclose(torch.tensor([1.1])),
        torch.allclose(torch.tensor([float("nan")]), torch.tensor([float("nan")]),
                       equal_nan=True)]),
    ("equal", lambda torch: [torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])),
                             torch.equal(torch.ones(2), torch.ones(3)),
                             torch.tensor([float("nan")]).equal(torch.tensor([float("nan")])),
                             torch.equal(torch.ones(2, 1), torch.ones(2, 1))]),
    # where
    ("where", lambda torch: grads(torch, lambda a, b: torch.where(
        torch.tensor([[True, False, True], [False, True, False]]), a, b), X, [1.0, 2.0, 3.0])),
    ("where_scalar", lambda torch: grads(
        torch, lambda a: torch.where(a > 0, a, 0.0), X)),
    ("where_scalar_int", lambda torch: torch.where(torch.tensor([True, False]), 1, 2.5)),
    ("where_scalars_int", lambda torch: torch.where(torch.tensor([True, False]), 1, 0)),
    ("where_method", lambda torch: grads(
        torch, lambda a, b: a.where(a > 0, b), X, [1.0, 2.0, 3.0])),
    ("where_broadcast3", lambda torch: torch.where(torch.tensor([[True], [False]]),
                                                   torch.tensor([1.0, 2.0]), torch.tensor(0.5))),
    ("where_cond_error", lambda torch: error(lambda: torch.where(
        torch.tensor([1, 0]), torch.zeros(2), torch.ones(2)))),
    ("where_promote", lambda torch: torch.where(torch.tensor([True, False]),
                                                torch.tensor([1, 2]), torch.tensor([0.5, 1.5]))),
    # requires_grad on integer tensors
    ("int_requires_grad_error", lambda torch: error(
        lambda: torch.tensor([1, 2], requires_grad=True))),
    ("int_requires_grad_method_error", lambda torch: error(
        lambda: torch.tensor([1, 2]).requires_grad_())),
    ("int_requires_grad_zeros_error", lambda torch: error(
        lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True))),
    ("int_op_of_float_leaf", lambda torch: (leaf(torch, X) * 2).long()),
    ("float_leaf_plus_int", lambda torch: grads(torch, lambda a: a + torch.tensor(I), X)),
    ("complex_requires_grad", lambda torch: torch.tensor([1j, 2.0]).requires_grad_().requires_grad),
]


def _cmps(torch, a, b):
    return [a == b, a != b, a < b, a <= b, a > b, a >= b]


def _close(torch, a, b):
    return [torch.isclose(a, b), torch.isclose(a, b, equal_nan=True), a.isclose(b, atol=1e-8)]


def _logical(torch, a, b):
    return [torch.logical_and(a, b), torch.logical_or(a, b), torch.logical_xor(a, b),
            torch.logical_not(a), a.logical_not()]


def _finite(torch, a):
    return [torch.isnan(a), torch.isinf(a), torch.isfinite(a), a.isnan(), torch.isposinf(a),
            torch.isneginf(a), torch.isreal(a)]


def _bitwise(torch, a, b):
    return [a & b, a | b, a ^ b, torch.bitwise_and(a, b), torch.bitwise_or(a, b),
            torch.bitwise_xor(a, b), torch.bitwise_not(a)]
