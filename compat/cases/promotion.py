"""dtype promotion: torch's rules (categories; 0-d tensors and Python scalars are weaker than
dimensioned tensors), which JAX does not follow (STYLE.md section 2)."""


def case_tensor_tensor(torch):
    def t(dtype):
        return torch.ones(2, dtype=dtype)

    return {
        "int32+int64": (t(torch.int32) + t(torch.int64)).dtype,
        "float32+float64": (t(torch.float32) + t(torch.float64)).dtype,
        "int64+float32": (t(torch.int64) + t(torch.float32)).dtype,
        "bool+int32": (t(torch.bool) + t(torch.int32)).dtype,
        "uint8+int8": (t(torch.uint8) + t(torch.int8)).dtype,
        "float16+bfloat16": (t(torch.float16) + t(torch.bfloat16)).dtype,
        "int8*float16": (t(torch.int8) * t(torch.float16)).dtype,
    }


def case_tensor_zero_dim(torch):
    return {
        "int32[2]+int64_0d": torch.ones(2, dtype=torch.int32) + torch.tensor(1),
        "float16[2]+float32_0d": torch.ones(2, dtype=torch.float16) + torch.tensor(1.0),
        "float32[2]+float64_0d": torch.ones(2) + torch.tensor(1.0, dtype=torch.float64),
        "int32[2]+float64_0d": torch.ones(2, dtype=torch.int32)
        + torch.tensor(0.5, dtype=torch.float64),
        "0d+0d": torch.tensor(1, dtype=torch.int32) + torch.tensor(1),
    }


def case_tensor_python_scalar(torch):
    i64 = torch.tensor([1, 2])
    return {
        "int64*2.5": i64 * 2.5,
        "int32*2.5": torch.tensor([1, 2], dtype=torch.int32) * 2.5,
        "int64+1": i64 + 1,
        "int8+1": torch.tensor([1, 2], dtype=torch.int8) + 1,
        "float16*2.5": torch.tensor([1.0, 2.0], dtype=torch.float16) * 2.5,
        "float64+1": torch.tensor([1.0], dtype=torch.float64) + 1,
        "bool+1": torch.tensor([True, False]) + 1,
        "bool*1.5": torch.tensor([True, False]) * 1.5,
        "int64+True": i64 + True,
        "reflected_2.5-int64": 2.5 - i64,
    }


def case_int_division(torch):
    a, b = torch.tensor([7, -7]), torch.tensor([2, 2])
    return {
        "true_div": a / b,
        "div_scalar": a / 2,
        "floor_div": a // b,
        "div_floor": torch.div(a, b, rounding_mode="floor"),
        "div_trunc": torch.div(a, b, rounding_mode="trunc"),
        "remainder": a % b,
        "int32_true_div": torch.tensor([1], dtype=torch.int32)
        / torch.tensor([2], dtype=torch.int32),
    }


def case_default_dtype_changes_int_division(torch):
    torch.set_default_dtype(torch.float64)
    try:
        return {
            "int_div": (torch.tensor([1]) / torch.tensor([2])).dtype,
            "int*float": (torch.tensor([1]) * 2.5).dtype,
            "literal": torch.tensor([1.0]).dtype,
            "float32_stays": (torch.ones(1, dtype=torch.float32) * 2.5).dtype,
            "get_default": torch.get_default_dtype(),
        }
    finally:
        torch.set_default_dtype(torch.float32)


def case_pow_promotion(torch):
    i = torch.tensor([1, 2, 3])
    return {
        "int**2": i**2,
        "int**0.5": i**0.5,
        "2**int": 2**i,
        "2.0**int": 2.0**i,
        "int**int": i**i,
    }


def case_comparisons_and_reductions(torch):
    i32 = torch.tensor([1, 2, 3], dtype=torch.int32)
    return {
        "gt_float_scalar": i32 > 1.5,
        "eq": i32 == torch.tensor([1, 0, 3]),
        "sum_int32": i32.sum(),
        "sum_bool": torch.tensor([True, True, False]).sum(),
        "prod_int32": i32.prod(),
        "mean_float16": torch.tensor([1.0, 2.0], dtype=torch.float16).mean(),
    }


def case_mean_of_int_raises(torch):
    return torch.tensor([1, 2]).mean()


def case_type_conversions(torch):
    x = torch.tensor([1.7, -1.7])
    return {
        "to_int": x.to(torch.int64),
        "int()": x.int(),
        "long()": x.long(),
        "double()": x.double(),
        "half()": x.half(),
        "bool()": torch.tensor([0.0, 2.0]).bool(),
        "float_of_int": torch.tensor([3]).float(),
    }
