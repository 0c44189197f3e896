"""Error types and messages torch raises, to mirror verbatim (STYLE.md section 2 and 3.4)."""

from _record import expect_error, warnings_of


def case_leaf_in_place(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        a.add_(1)  # allowed under no_grad
    return {
        "add_": expect_error(lambda: a.add_(1)),
        "setitem": expect_error(lambda: a.__setitem__(0, 5.0)),
        "after_no_grad": a,
    }


def case_int_requires_grad(torch):
    return {
        "tensor_factory": expect_error(lambda: torch.tensor([1, 2], requires_grad=True)),
        "requires_grad_": expect_error(lambda: torch.tensor([1, 2]).requires_grad_()),
        "ones_int": expect_error(lambda: torch.ones(2, dtype=torch.int64, requires_grad=True)),
    }


def case_backward_errors(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    return {
        "twice": expect_error(lambda: y.backward()),
        "non_scalar": expect_error(lambda: (x * 2).backward()),
        "no_grad_fn": expect_error(lambda: torch.ones(2).sum().backward()),
        "unused_input": expect_error(
            lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)])
        ),
    }


def case_shape_mismatch(torch):
    return {
        "add": expect_error(lambda: torch.ones(2, 3) + torch.ones(4)),
        "mm": expect_error(lambda: torch.ones(2, 3) @ torch.ones(2, 3)),
        "torch.mm": expect_error(lambda: torch.mm(torch.ones(2, 3), torch.ones(4, 5))),
        "dot": expect_error(lambda: torch.ones(3) @ torch.ones(2)),
        "reshape": expect_error(lambda: torch.ones(2, 3).reshape(4)),
        "view_non_contiguous": expect_error(lambda: torch.ones(2, 3).T.view(6)),
        "cat": expect_error(lambda: torch.cat([torch.ones(2, 2), torch.ones(3, 3)], dim=1)),
    }


def case_conversion_errors(torch):
    r = torch.tensor([1.0, 2.0], requires_grad=True)
    return {
        "numpy_requires_grad": expect_error(lambda: r.numpy()),
        "item_many": expect_error(lambda: torch.ones(2).item()),
        "bool_many": expect_error(lambda: bool(torch.ones(2))),
        "float_many": expect_error(lambda: float(torch.ones(2))),
    }


def case_index_errors(torch):
    x = torch.ones(2, 3)
    return {
        "index_out_of_range": expect_error(lambda: x[5]),
        "dim_out_of_range": expect_error(lambda: x.sum(3)),
        "too_many_indices": expect_error(lambda: x[0, 0, 0]),
        "ok_negative": x[-1],
    }


def case_requires_grad_flag_of_non_leaf(torch):
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2

    def unset():
        y.requires_grad = False

    return expect_error(unset)


def case_modified_by_inplace(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a.exp()
    b.add_(1)
    return {"error": expect_error(lambda: b.sum().backward()), "b_version": b._version}


def case_write_to_expanded(torch):
    e = torch.zeros(3).expand(2, 3)
    return expect_error(lambda: e.add_(1))


def case_non_leaf_grad_warns(torch):
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return {"warnings": warnings_of(lambda: y.grad), "leaf_no_warning": warnings_of(lambda: x.grad)}


def case_raising_case_is_recorded(torch):
    return torch.ones(2, 3) @ torch.ones(2, 3)
