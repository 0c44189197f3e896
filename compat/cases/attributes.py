"""Tensor attributes: shape, size(), dim, numel, dtype, is_leaf, requires_grad; torch.Size; the
dtypes factories pick."""


def case_shape_size_dim_numel(torch):
    x = torch.zeros(2, 3, 4)
    return {
        "shape": x.shape,
        "size": x.size(),
        "size_1": x.size(1),
        "size_neg": x.size(-1),
        "dim": x.dim(),
        "ndim": x.ndim,
        "numel": x.numel(),
        "len": len(x),
    }


def case_zero_dim_and_empty(torch):
    s = torch.tensor(5.0)
    e = torch.zeros(0, 3)
    return {
        "scalar": s,
        "shape": s.shape,
        "dim": s.dim(),
        "numel": s.numel(),
        "empty": e,
        "empty_numel": e.numel(),
        "empty_sum": e.sum(0),
    }


def case_size_is_a_tuple(torch):
    s = torch.ones(2, 3).shape
    return {
        "equals_tuple": s == (2, 3),
        "index": s[0],
        "negative_index": s[-1],
        "slice": s[1:],
        "numel": s.numel(),
        "repr": repr(s),
        "str": str(s),
        "len": len(s),
        "unpack": tuple(s),
    }


def case_factory_dtypes(torch):
    return {
        "int_list": torch.tensor([1, 2]).dtype,
        "float_list": torch.tensor([1.0, 2]).dtype,
        "bool_list": torch.tensor([True, False]).dtype,
        "zeros": torch.zeros(2).dtype,
        "arange_int": torch.arange(3).dtype,
        "arange_float_step": torch.arange(0, 1, 0.25).dtype,
        "linspace": torch.linspace(0, 1, 5).dtype,
        "full_int": torch.full((2,), 3).dtype,
        "full_float": torch.full((2,), 3.0).dtype,
        "full_bool": torch.full((2,), True).dtype,
        "ones_float64": torch.ones(2, dtype=torch.float64).dtype,
        "eye": torch.eye(2).dtype,
    }


def case_factory_values(torch):
    return {
        "arange": torch.arange(5),
        "arange_step": torch.arange(1, 2, 0.25),
        "linspace": torch.linspace(-1, 1, 5),
        "full": torch.full((2, 2), 7),
        "eye": torch.eye(2, 3),
        "zeros_like": torch.zeros_like(torch.ones(2, dtype=torch.int32)),
        "ones_like": torch.ones_like(torch.ones(2, 3, requires_grad=True)),
    }


def case_leaf_and_requires_grad(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0])
    return {"a": a, "b": b, "a_times_2": a * 2, "b_times_2": b * 2, "a_plus_b": a + b}


def case_requires_grad_in_place_setter(torch):
    x = torch.ones(3)
    y = x.requires_grad_()
    z = torch.ones(2)
    z.requires_grad = True
    return {"returns_self": y is x, "x": x, "z": z, "off": torch.ones(2).requires_grad_(False)}


def case_item_and_tolist(torch):
    f = torch.tensor([1.5])
    i = torch.tensor(3)
    b = torch.tensor(True)
    return {
        "float_item": f.item(),
        "int_item": i.item(),
        "bool_item": b.item(),
        "tolist": torch.tensor([[1, 2], [3, 4]]).tolist(),
        "scalar_tolist": torch.tensor(2.5).tolist(),
        "float_of": float(torch.tensor(0.25)),
        "int_of": int(torch.tensor(7)),
    }
