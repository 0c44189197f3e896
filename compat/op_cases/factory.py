"""Creation ops: arange/linspace/logspace values (bitwise for float32: case names ending in "!"),
tensor() dtype inference and its errors, zeros/ones/full/empty/eye dtype rules, the *_like
forms, requires_grad on creation, and the legacy torch.Tensor constructor."""

import numpy as np

from . import error

ARANGE = {
    "int": (5,), "int_start": (2, 9), "int_step": (0, 10, 3), "int_neg_step": (10, 0, -3),
    "float_end": (10.5,), "tenth": (0, 1, 0.1), "third": (0.0, 1.0, 1 / 3),
    "neg": (-1, 1, 0.3), "down": (1, 0, -0.1), "big": (0, 100, 0.37), "float_start": (0.5, 4),
    "tiny_step": (0, 0.001, 0.0001), "exact_end": (0, 2, 0.5), "long_run": (-3.5, 250, 1.25),
}
LINSPACE = {
    "5": (0, 1, 5), "7": (0, 1, 7), "neg": (-1, 3, 10), "vector_len": (0, 1, 33),
    "long": (-2.5, 7.25, 101), "one": (0, 10, 1), "zero": (0, 10, 0), "const": (2.5, 2.5, 3),
    "down": (1, -1, 9), "two": (3, 4, 2), "odd_big": (0.1, 0.9, 17),
}

CASES = [(f"arange_{k}!", lambda torch, a=a: torch.arange(*a)) for k, a in ARANGE.items()]
CASES += [(f"linspace_{k}!", lambda torch, a=a: torch.linspace(*a)) for k, a in LINSPACE.items()]
CASES += [
    ("arange_float64!", lambda torch: torch.arange(0, 1, 0.1, dtype=torch.float64)),
    ("arange_dtype_int_from_float", lambda torch: torch.arange(0, 5.5, 1.5, dtype=torch.int64)),
    ("arange_dtype_float16", lambda torch: torch.arange(0, 2, 0.25, dtype=torch.float16)),
    ("arange_int32", lambda torch: torch.arange(4, dtype=torch.int32)),
    ("arange_tensor_args", lambda torch: torch.arange(torch.tensor(3))),
    ("arange_requires_grad", lambda torch: torch.arange(3.0, requires_grad=True)),
    ("arange_err_step0", lambda torch: error(lambda: torch.arange(0, 1, 0))),
    ("arange_err_sign", lambda torch: error(lambda: torch.arange(0, 1, -1))),
    ("arange_err_sign_float", lambda torch: error(lambda: torch.arange(1.0, 0.0, 0.5))),
    ("arange_empty", lambda torch: torch.arange(3, 3)),
    ("range_deprecated!", lambda torch: torch.range(0, 1, 0.25)),
    ("linspace_float64!", lambda torch: torch.linspace(0, 1, 7, dtype=torch.float64)),
    ("linspace_int", lambda torch: torch.linspace(0, 10, 4, dtype=torch.int64)),
    ("linspace_int_neg", lambda torch: torch.linspace(-7, 7, 6, dtype=torch.int32)),
    ("linspace_float16", lambda torch: torch.linspace(0, 1, 5, dtype=torch.float16)),
    ("linspace_err_steps", lambda torch: error(lambda: torch.linspace(0, 1, -1))),
    ("linspace_tensor_args", lambda torch: torch.linspace(torch.tensor(0.0), torch.tensor(1.0), 3)),
    ("logspace!", lambda torch: torch.logspace(0, 2, 5)),
    ("logspace_base2!", lambda torch: torch.logspace(-1, 3, 9, base=2)),
    ("logspace_float64", lambda torch: torch.logspace(0, 1, 4, dtype=torch.float64)),
    # tensor(): dtype inference
    ("tensor_int", lambda torch: torch.tensor([1, 2])),
    ("tensor_mixed_float", lambda torch: torch.tensor([1.0, 2])),
    ("tensor_bool", lambda torch: torch.tensor([True, False])),
    ("tensor_bool_int", lambda torch: torch.tensor([True, 1])),
    ("tensor_complex", lambda torch: torch.tensor([1, 2.5j])),
    ("tensor_empty", lambda torch: torch.tensor([])),
    ("tensor_empty_nested", lambda torch: torch.tensor([[], []])),
    ("tensor_scalar_int", lambda torch: torch.tensor(3)),
    ("tensor_scalar_float", lambda torch: torch.tensor(3.5)),
    ("tensor_scalar_bool", lambda torch: torch.tensor(True)),
    ("tensor_nested", lambda torch: torch.tensor([[1, 2], [3, 4]])),
    ("tensor_tuple", lambda torch: torch.tensor(((1.5, 2), (3, 4)))),
    ("tensor_numpy_f64", lambda torch: torch.tensor(np.array([1.5, 2.0]))),
    ("tensor_numpy_i32", lambda torch: torch.tensor(np.array([1, 2], dtype=np.int32))),
    ("tensor_numpy_scalar", lambda torch: torch.tensor(np.float64(1.5))),
    ("tensor_numpy_scalar_list", lambda torch: torch.tensor([np.float64(1.5), 2.0])),
    ("tensor_numpy_int_list", lambda torch: torch.tensor([np.int32(1), 2])),
    ("tensor_of_0d_tensors", lambda torch: torch.tensor([torch.tensor(1.5), torch.tensor(2.5)])),
    ("tensor_dtype_int8", lambda torch: torch.tensor([1, -2], dtype=torch.int8)),
    ("tensor_float_to_int", lambda torch: torch.tensor([1.7, -1.7, 2.5], dtype=torch.int64)),
    ("tensor_bfloat16", lambda torch: torch.tensor([1.1, 3.3, 1000.7], dtype=torch.bfloat16)),
    ("tensor_float16", lambda torch: torch.tensor([1.1, 65504.0, 1e-8], dtype=torch.float16)),
    ("tensor_float32_round!", lambda torch: torch.tensor([0.1, 1 / 3, 1e-40, 3.4e38])),
    ("tensor_nan_inf", lambda torch: torch.tensor([float("nan"), float("inf"), -float("inf")])),
    ("tensor_requires_grad", lambda torch: torch.tensor([1.0], requires_grad=True)),
    ("tensor_big_int", lambda torch: torch.tensor([2 ** 40, -(2 ** 62)])),
    ("tensor_ragged", lambda torch: error(lambda: torch.tensor([[1, 2], [3]]))),
    ("tensor_ragged_deep", lambda torch: error(lambda: torch.tensor([[[1], [2]], [[3]]]))),
    ("tensor_ragged_scalar", lambda torch: error(lambda: torch.tensor([[1, 2], 3]))),
    ("tensor_bad_type", lambda torch: error(lambda: torch.tensor(["a"]))),
    ("tensor_none", lambda torch: error(lambda: torch.tensor(None))),
    ("tensor_int_requires_grad", lambda torch: error(
        lambda: torch.tensor([1, 2], requires_grad=True))),
    # fills
    ("zeros", lambda torch: torch.zeros(2, 3)),
    ("zeros_tuple", lambda torch: torch.zeros((2, 3))),
    ("zeros_list", lambda torch: torch.zeros([2])),
    ("zeros_size", lambda torch: torch.zeros(torch.Size([1, 2]))),
    ("zeros_0d", lambda torch: torch.zeros(())),
    ("zeros_dtype", lambda torch: torch.zeros(2, dtype=torch.int32)),
    ("ones", lambda torch: torch.ones(2, 2, dtype=torch.bool)),
    ("ones_empty", lambda torch: torch.ones(0, 3)),
    ("empty_shape", lambda torch: [torch.empty(2, 3).shape, torch.empty(2).dtype]),
    ("full_int", lambda torch: torch.full((2,), 1)),
    ("full_bool", lambda torch: torch.full((2,), True)),
    ("full_float", lambda torch: torch.full((2, 2), 1.5)),
    ("full_complex", lambda torch: torch.full((2,), 1j)),
    ("full_dtype", lambda torch: torch.full((2,), 7, dtype=torch.float16)),
    ("full_list_size", lambda torch: torch.full([3], -1.25)),
    ("full_inf", lambda torch: torch.full((2,), float("inf"))),
    ("full_tensor_value", lambda torch: torch.full((2,), torch.tensor(2.5))),
    ("full_float_into_int", lambda torch: torch.full((2,), 2.7, dtype=torch.int64)),
    ("zeros_neg_error", lambda torch: error(lambda: torch.zeros(2, -1))),
    ("zeros_float_size_error", lambda torch: error(lambda: torch.zeros(2.5))),
    ("zeros_requires_grad", lambda torch: torch.zeros(2, requires_grad=True)),
    ("zeros_int_requires_grad", lambda torch: error(
        lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True))),
    ("zeros_like_int", lambda torch: torch.zeros_like(torch.tensor([1, 2]))),
    ("ones_like_dtype", lambda torch: torch.ones_like(torch.tensor([1, 2]), dtype=torch.float64)),
    ("full_like_int", lambda torch: torch.full_like(torch.tensor([1, 2]), 2.7)),
    ("full_like_float", lambda torch: torch.full_like(torch.zeros(2, 2), 2)),
    ("full_like_bool", lambda torch: torch.full_like(torch.zeros(2), True)),
    ("empty_like", lambda torch: [torch.empty_like(torch.zeros(2, 3, dtype=torch.int8)).shape,
                                  torch.empty_like(torch.zeros(2, dtype=torch.int8)).dtype]),
    ("zeros_like_requires_grad", lambda torch: torch.zeros_like(torch.ones(2), requires_grad=True)),
    ("zeros_like_of_grad_tensor", lambda torch: torch.zeros_like(
        torch.ones(2, requires_grad=True))),
    ("eye", lambda torch: torch.eye(3)),
    ("eye_rect", lambda torch: torch.eye(2, 3)),
    ("eye_int", lambda torch: torch.eye(2, dtype=torch.int64)),
    ("eye_err", lambda torch: error(lambda: torch.eye(-1))),
    ("tril_indices", lambda torch: [torch.tril_indices(3, 3), torch.tril_indices(3, 4, -1)]),
    ("triu_indices", lambda torch: [torch.triu_indices(3, 4, 1), torch.triu_indices(
        2, 2, dtype=torch.int32)]),
    ("scalar_tensor", lambda torch: [torch.scalar_tensor(2), torch.scalar_tensor(
        1, dtype=torch.int64)]),
    # the legacy constructor
    ("Tensor_list", lambda torch: torch.Tensor([1, 2])),
    ("Tensor_sizes", lambda torch: torch.Tensor(2, 3).shape),
    ("Tensor_nested", lambda torch: torch.Tensor([[1, 2], [3, 4]])),
    ("Tensor_empty", lambda torch: torch.Tensor()),
    ("Tensor_tuple", lambda torch: torch.Tensor((2, 3))),
    ("Tensor_size_obj", lambda torch: torch.Tensor(torch.Size([2, 3])).shape),
    ("Tensor_numpy", lambda torch: torch.Tensor(np.array([1, 2], dtype=np.int64))),
    ("Tensor_float_tensor", lambda torch: torch.Tensor(torch.tensor([1.5, 2.5]))),
    ("Tensor_int_tensor", lambda torch: error(lambda: torch.Tensor(torch.tensor([1, 2])))),
    ("Tensor_bool_list", lambda torch: torch.Tensor([True, False])),
    ("Tensor_isinstance", lambda torch: [isinstance(torch.zeros(1), torch.Tensor),
                                         type(torch.Tensor([1.0])).__name__]),
    ("as_tensor_same", lambda torch: _as_tensor(torch)),
    ("as_tensor_dtype", lambda torch: torch.as_tensor([1, 2], dtype=torch.float32)),
    ("from_numpy_int", lambda torch: torch.from_numpy(np.array([1, 2], dtype=np.int16))),
    ("from_numpy_error", lambda torch: error(lambda: torch.from_numpy([1, 2]))),
    ("complex_values", lambda torch: torch.tensor([1 + 2j, -0.5j]) * 2),
]


def _as_tensor(torch):
    t = torch.tensor([1.0, 2.0])
    return [torch.as_tensor(t) is t, torch.as_tensor(t, dtype=torch.float64)]
