"""Reductions: dim / keepdim / negative and tuple dims / dtype=, the overload-specific grad_fn
names (sum vs sum.dim, max vs max.dim), return_types, std/var corrections, ties, sorting and
scan ops, and their errors."""

from . import error, grads

X = [[0.5, -1.25, 2.0, 1.0], [-0.75, 1.5, 0.25, 3.0], [2.5, 0.0, -2.0, 0.75]]
T3 = [[[0.5, -1.0], [2.0, 1.5]], [[-0.25, 3.0], [1.25, -2.0]]]
TIES = [[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0], [0.5, 0.5, 0.5, 0.5]]
I = [[3, -1, 4], [1, -5, 9]]


def _g(f, data=X):
    return lambda torch: grads(torch, f, data)


REDUCE = {
    "sum": lambda a: a.sum(), "sum_dim": lambda a: a.sum(0), "sum_neg": lambda a: a.sum(-1),
    "sum_keepdim": lambda a: a.sum(1, keepdim=True), "sum_tuple": lambda a: a.sum((0, 1)),
    "sum_tuple_neg": lambda a: a.sum((-1, 0), keepdim=True), "sum_list": lambda a: a.sum([1]),
    "sum_fn": lambda a: a.sum(dim=1), "mean": lambda a: a.mean(), "mean_dim": lambda a: a.mean(1),
    "mean_keepdim": lambda a: a.mean(-2, keepdim=True), "mean_tuple": lambda a: a.mean((0, 1)),
    "prod": lambda a: a.prod(), "prod_dim": lambda a: a.prod(1),
    "prod_keepdim": lambda a: a.prod(0, keepdim=True), "max": lambda a: a.max(),
    "min": lambda a: a.min(), "max_dim": lambda a: a.max(1), "min_dim": lambda a: a.min(0),
    "max_keepdim": lambda a: a.max(-1, keepdim=True), "amax": lambda a: a.amax(0),
    "amin": lambda a: a.amin((0, 1)), "amax_all": lambda a: a.amax(),
    "logsumexp": lambda a: a.logsumexp(1), "logsumexp_tuple": lambda a: a.logsumexp((0, 1)),
    "var": lambda a: a.var(), "var_dim": lambda a: a.var(0), "var_unbiased_false":
    lambda a: a.var(1, unbiased=False), "var_correction0": lambda a: a.var(1, correction=0),
    "var_correction2": lambda a: a.var(correction=2), "var_keepdim": lambda a: a.var(1, True, True),
    "var_bool_positional": lambda a: a.var(False), "std": lambda a: a.std(),
    "std_dim": lambda a: a.std(1), "std_tuple": lambda a: a.std((0, 1)),
    "std_unbiased_false": lambda a: a.std(0, unbiased=False),
    "norm": lambda a: a.norm(), "norm_dim": lambda a: a.norm(dim=1),
    "norm_p1": lambda a: a.norm(1), "norm_inf": lambda a: a.norm(float("inf")),
    "norm_p3": lambda a: a.norm(3, dim=0), "norm_keepdim": lambda a: a.norm(2, 1, True),
    "cumsum": lambda a: a.cumsum(1), "cumsum_neg": lambda a: a.cumsum(-2),
    "cumprod": lambda a: a.cumprod(0), "softmax": lambda a: a.softmax(1),
    "nansum": lambda a: a.nansum(), "nanmean": lambda a: a.nanmean(0),
    "sum_to_size": lambda a: a.sum_to_size(1, 4), "sum_to_size_2": lambda a: a.sum_to_size(3, 1),
    "aminmax": lambda a: a.aminmax(), "aminmax_dim": lambda a: a.aminmax(dim=1),
    "median": lambda a: a.median(), "median_dim": lambda a: a.median(1),
    "sort": lambda a: a.sort(), "sort_dim0_desc": lambda a: a.sort(0, descending=True),
    "topk": lambda a: a.topk(2), "topk_smallest": lambda a: a.topk(2, 0, largest=False),
    "kthvalue": lambda a: a.kthvalue(2, 1), "cummax": lambda a: a.cummax(1),
    "cummin": lambda a: a.cummin(0), "dist": lambda a: a.dist(a * 0.5),
    "logcumsumexp": lambda a: a.logcumsumexp(1), "mode": lambda a: a.mode(1),
}

CASES = [(f"r_{n}", _g(f)) for n, f in REDUCE.items()]
CASES += [
    ("ties_max", _g(lambda a: a.max(), TIES)),
    ("ties_max_dim", _g(lambda a: a.max(1), TIES)),
    ("ties_min_dim", _g(lambda a: a.min(1), TIES)),
    ("ties_amax", _g(lambda a: a.amax(1), TIES)),
    ("ties_amin_all", _g(lambda a: a.amin(), TIES)),
    ("ties_median", _g(lambda a: a.median(), TIES)),
    ("ties_median_dim", _g(lambda a: a.median(1), TIES)),
    ("ties_sort", _g(lambda a: a.sort(1), TIES)),
    ("ties_sort_stable", lambda torch: torch.tensor(TIES).sort(dim=1, stable=True)),
    ("ties_sort_desc_stable", lambda torch: torch.tensor(TIES).sort(
        dim=1, descending=True, stable=True)),
    # torch leaves the order of ties in topk to its CPU kernel: only distinct values here
    ("topk_distinct", _g(lambda a: a.topk(2, 1), X)),
    ("ties_argmax", lambda torch: [torch.tensor(TIES).argmax(), torch.tensor(TIES).argmax(1),
                                   torch.tensor(TIES).argmin(1, keepdim=True)]),
    ("ties_cummax", _g(lambda a: a.cummax(1), TIES)),
    ("ties_prod_zero", _g(lambda a: a.prod(1), [[0.0, 2.0, 3.0], [0.0, 0.0, 2.0]])),
    ("norm_zero_vector", _g(lambda a: a.norm(), [0.0, 0.0, 0.0])),
    ("norm_zero_row", _g(lambda a: a.norm(dim=1), [[0.0, 0.0], [3.0, 4.0]])),
    ("std_single", _g(lambda a: a.std(), [1.5])),
    ("var_single_dim", _g(lambda a: a.var(0), [[1.5, 2.0]])),
    ("t3_sum_tuple", _g(lambda a: a.sum((0, 2)), T3)),
    ("t3_mean_neg", _g(lambda a: a.mean(-1, keepdim=True), T3)),
    ("t3_max_dim1", _g(lambda a: a.max(1), T3)),
    ("t3_softmax0", _g(lambda a: a.softmax(0), T3)),
    ("t3_logsumexp_neg", _g(lambda a: a.logsumexp(-2), T3)),
    ("scalar_sum", _g(lambda a: a.sum(), 2.5)),
    ("scalar_sum_dim0", _g(lambda a: a.sum(0), 2.5)),
    ("scalar_max_dim", _g(lambda a: a.max(0), 2.5)),
    ("scalar_mean_neg", _g(lambda a: a.mean(-1), 2.5)),
    ("sum_dtype", lambda torch: grads(torch, lambda a: a.sum(dtype=torch.float64), X)),
    ("mean_dtype", lambda torch: grads(torch, lambda a: a.mean(1, dtype=torch.float64), X)),
    ("sum_dtype_fn", lambda torch: grads(torch, lambda a: torch.sum(a, 0, dtype=torch.float64),
                                         X)),
    ("prod_dtype", lambda torch: torch.tensor(I).prod(1, dtype=torch.float32)),
    ("cumsum_dtype", lambda torch: torch.tensor(I).cumsum(1, dtype=torch.float64)),
    ("int_sum", lambda torch: [torch.tensor(I).sum(), torch.tensor(I).sum(1),
                               torch.tensor(I, dtype=torch.int8).sum(),
                               torch.tensor([True, True]).sum(),
                               torch.tensor(I, dtype=torch.int32).sum(0)]),
    ("int_prod", lambda torch: [torch.tensor(I).prod(), torch.tensor(I, dtype=torch.int16).prod(1),
                                torch.tensor([True, False]).prod()]),
    ("int_max", lambda torch: [torch.tensor(I).max(), torch.tensor(I).max(1),
                               torch.tensor(I).amin(0)]),
    ("int_cumsum", lambda torch: [torch.tensor(I).cumsum(1),
                                  torch.tensor(I, dtype=torch.int8).cumsum(0),
                                  torch.tensor([True, True, False]).cumsum(0)]),
    ("int_mean_error", lambda torch: error(lambda: torch.tensor(I).mean())),
    ("int_mean_dtype", lambda torch: torch.tensor(I).mean(dtype=torch.float32)),
    ("int_var_error", lambda torch: error(lambda: torch.tensor(I).var())),
    ("int_std_error", lambda torch: error(lambda: torch.tensor(I).std(0))),
    ("int_norm_error", lambda torch: error(lambda: torch.tensor(I).norm())),
    ("int_logsumexp", lambda torch: torch.tensor(I).logsumexp(1)),
    ("int_softmax_error", lambda torch: error(lambda: torch.tensor(I).softmax(0))),
    ("log_softmax_int_error", lambda torch: error(lambda: torch.tensor(I).log_softmax(1))),
    ("bool_all_any", lambda torch: _all_any(torch, torch.tensor([[True, False], [True, True]]))),
    ("float_all_any", lambda torch: _all_any(torch, torch.tensor([[0.0, 1.5], [2.0, -1.0]]))),
    ("int_all_any", lambda torch: _all_any(torch, torch.tensor([[0, 3], [2, 1]]))),
    ("uint8_all", lambda torch: torch.tensor([1, 2], dtype=torch.uint8).all()),
    ("count_nonzero", lambda torch: [torch.count_nonzero(torch.tensor(X)),
                                     torch.tensor(I).count_nonzero(0)]),
    ("argsort", lambda torch: [torch.tensor(X).argsort(), torch.tensor(X).argsort(0, True),
                               torch.argsort(torch.tensor(TIES), dim=1, stable=True)]),
    ("return_types_max", lambda torch: _rt(torch, torch.tensor(X).max(1), "values", "indices")),
    ("return_types_repr", lambda torch: repr(torch.tensor([[1.0, 5.0], [3.0, 2.0]]).max(1))),
    ("return_types_min_repr", lambda torch: repr(torch.tensor([[1, 5], [3, 2]]).min(0, True))),
    ("return_types_sort", lambda torch: _rt(torch, torch.tensor(X).sort(1), "values", "indices")),
    ("return_types_topk", lambda torch: _rt(torch, torch.tensor(X).topk(1), "values", "indices")),
    ("return_types_aminmax", lambda torch: _rt(torch, torch.tensor(X).aminmax(), "min", "max")),
    ("return_types_median", lambda torch: _rt(torch, torch.tensor(X).median(0), "values",
                                              "indices")),
    ("return_types_cummax", lambda torch: _rt(torch, torch.tensor(X).cummax(0), "values",
                                              "indices")),
    ("return_types_unpack", lambda torch: list(torch.tensor(X).max(0))),
    ("return_types_index", lambda torch: torch.tensor(X).min(1)[1]),
    ("var_mean_fn", lambda torch: grads(torch, lambda a: torch.var_mean(a, 1), X)),
    ("std_mean_fn", lambda torch: grads(torch, lambda a: torch.std_mean(a, (0, 1)), X)),
    ("var_mean_correction", lambda torch: torch.var_mean(torch.tensor(X), correction=0)),
    ("softmax_fn_dtype", lambda torch: grads(
        torch, lambda a: torch.softmax(a, 0, dtype=torch.float64), X)),
    ("log_softmax_fn", lambda torch: grads(torch, lambda a: torch.log_softmax(a, 1), X)),
    ("logsumexp_inf", lambda torch: torch.tensor([[float("-inf"), float("-inf")], [1.0, 2.0]])
     .logsumexp(1)),
    ("median_even", _g(lambda a: a.median(), [4.0, 1.0, 3.0, 2.0])),
    ("nanmedian", lambda torch: torch.tensor([1.0, float("nan"), 3.0]).nanmedian()),
    ("median_nan", lambda torch: torch.tensor([1.0, float("nan"), 3.0]).median()),
    ("max_nan", lambda torch: [torch.tensor([1.0, float("nan"), 3.0]).max(),
                               torch.tensor([[1.0, float("nan")], [0.0, 2.0]]).max(1)]),
    ("sort_nan", lambda torch: torch.tensor([2.0, float("nan"), -1.0]).sort()),
    ("empty_sum", lambda torch: [torch.zeros(0).sum(), torch.zeros(0, 3).sum(0),
                                 torch.zeros(0).prod(), torch.zeros(0, 2).mean(0)]),
    ("empty_max_error", lambda torch: error(lambda: torch.zeros(0).max())),
    ("empty_max_dim_error", lambda torch: error(lambda: torch.zeros(0, 3).max(0))),
    ("empty_amax_error", lambda torch: error(lambda: torch.zeros(0).amax())),
    ("dim_error_sum", lambda torch: error(lambda: torch.zeros(2, 3).sum(2))),
    ("dim_error_neg", lambda torch: error(lambda: torch.zeros(2, 3).mean(-3))),
    ("dim_error_max", lambda torch: error(lambda: torch.zeros(2, 3).max(5))),
    ("dim_error_scalar", lambda torch: error(lambda: torch.tensor(1.0).sum(1))),
    ("dim_error_cumsum", lambda torch: error(lambda: torch.zeros(2).cumsum(1))),
    ("dim_error_softmax", lambda torch: error(lambda: torch.zeros(2).softmax(-2))),
    ("dim_repeat_error", lambda torch: error(lambda: torch.zeros(2, 3).sum((1, 1)))),
    ("dim_repeat_neg_error", lambda torch: error(lambda: torch.zeros(2, 3).sum((1, -1)))),
    ("topk_k_error", lambda torch: error(lambda: torch.zeros(2, 3).topk(4))),
    ("kthvalue_error", lambda torch: error(lambda: torch.zeros(3).kthvalue(4))),
    ("msort", _g(lambda a: a.msort(), X)),
    ("searchsorted", lambda torch: [torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor(
        [3, 6, 9])), torch.searchsorted(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([3.0, 0.0]),
                                        right=True),
        torch.searchsorted(torch.tensor([[1, 3], [2, 4]]), torch.tensor([[2], [5]])),
        torch.searchsorted(torch.tensor([1, 3]), torch.tensor([2]), out_int32=True)]),
    ("bucketize", lambda torch: [torch.bucketize(torch.tensor([3, 6, 9]), torch.tensor(
        [1, 3, 5, 7])), torch.bucketize(torch.tensor([[3.0], [0.0]]), torch.tensor(
        [1.0, 3.0]), right=True)]),
    ("argmax_all_keepdim", lambda torch: torch.tensor(X).argmax(keepdim=True)),
    ("max_other_binary", lambda torch: grads(torch, lambda a, b: torch.max(a, b), X,
                                             [1.0, 0.0, 2.0, -1.0])),
    ("sum_requires_grad_int_out", lambda torch: grads(torch, lambda a: a.argmax(1).sum() + a.sum(),
                                                      X)),
    ("mean_method_vs_fn", lambda torch: [torch.mean(torch.tensor(X), 1),
                                         torch.mean(torch.tensor(X), dim=(0,), keepdim=True)]),
    ("std_unbiased_kw_fn", lambda torch: torch.std(torch.tensor(X), dim=1, unbiased=False)),
    ("var_dim_none_keepdim", lambda torch: torch.tensor(X).var(dim=None, keepdim=True)),
    ("sum_dim_none", lambda torch: grads(torch, lambda a: a.sum(dim=None), X)),
    ("sum_empty_tuple", lambda torch: grads(torch, lambda a: a.sum(()), X)),
    ("mean_empty_tuple", lambda torch: grads(torch, lambda a: a.mean(()), X)),
]


def _all_any(torch, t):
    return [t.all(), t.any(), t.all(0), t.any(1), t.all(1, keepdim=True), torch.all(t),
            torch.any(t, dim=0)]


def _rt(torch, r, first, second):
    """A return_types structseq: its type, length, fields by name and by position."""
    return {"type": type(r).__name__, "module": type(r).__module__, "len": len(r),
            "first": getattr(r, first), "second": getattr(r, second), "same": r[0] is
            getattr(r, first), "tuple": isinstance(r, tuple)}

