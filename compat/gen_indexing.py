"""Record real torch's indexing behaviour for tests/_ops/test_indexing.py.

Run with the reference env (real torch, never imported by torchish):
    .venv-torch/bin/python compat/gen_indexing.py
Writes compat/refs/indexing.json: each case's code (run by the test under torchish) and what torch
gave: values, shape, dtype, grad_fn name and next_functions, leaf gradients after
`(out * w).sum().backward()` with w = 1..n, or the error type and message.
"""

import json
import math
import os
import warnings

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs", "indexing.json")

# Every case runs after PRE; it sets `out` (a tensor, a tuple/list of them, or Python values).
PRE = """
a = torch.tensor([[0., 1., 2.], [3., 4., 5.]], requires_grad=True)
c = torch.arange(24.).reshape(2, 3, 4).clone().requires_grad_()
s = torch.tensor(5., requires_grad=True)
v = torch.tensor(9., requires_grad=True)
src = torch.arange(10., 16.).reshape(2, 3).clone().requires_grad_()
i = torch.tensor([[0, 1, 0], [1, 0, 1]])
m = torch.tensor([[True, False, True], [False, True, False]])
"""

GETITEM = [
    "a[0]", "a[-1]", "a[0, 1]", "a[(0, 1)]", "a[1][2]", "a[:, 1]", "a[..., 0]", "a[0, ...]",
    "a[..., 0, ...]", "a[None]", "a[..., None]", "a[None, None]", "a[None, 0]", "a[0:1]",
    "a[:]", "a[0:5]", "a[-5:1]", "a[2:5]", "a[1:0]", "a[::2]", "a[:, ::2]", "a[:, 1:]",
    "a[1:, 1:]", "a[:, -2:]", "a[...]", "a[..., ...]", "a[:, :]", "a[:, 0:3]", "a[...,]",
    "a[(slice(None),)]", "a[0:2, 1]", "a[torch.tensor(1)]", "a[:, torch.tensor(-1)]",
    "a[[0, 1]]", "a[[1, 0, 1]]", "a[[-1, -2]]", "a[[0]]", "a[[]]", "a[:, []]",
    "a[[[0, 1], [1, 2]]]", "a[[0, slice(None)]]", "a[[0, 1], [1, 2]]",
    "a[torch.tensor([[0], [1]]), torch.tensor([0, 2])]", "a[:, [0, 2]]", "a[:, [[0, 2]]]",
    "a[0, [0, 2]]", "a[[0, 1], None, [0, 1]]", "a[:, None, [0, 1]]", "a[[0, 1], :, None]",
    "a[[0], 1:]", "a[[0, 1], ..., [0, 2]]", "a[torch.tensor([[0, 1]]), ...]",
    "a[..., torch.tensor([[0, 1]])]", "a[torch.tensor([0, 1]).int()]",
    "a[torch.tensor([1, 0, 1])]", "a[a > 2]", "a[a > 100]", "a[m]", "a[m[0]]",
    "a[[True, False]]", "a[torch.tensor([True, False])]", "a[0, torch.tensor([True, False, True])]",
    "a[:, torch.tensor([True, False, True])]", "a[torch.tensor([1, 0], dtype=torch.uint8)]",
    "a[True]", "a[False]", "a[torch.tensor(True)]", "a[None][0, [0]]", "a.T[[0, 2]]",
    "a.T[1]", "a.t()[1:, 0]", "c[0, :, 1]", "c[:, 1, [0, 3]]", "c[[0, 1], :, [1, 2]]",
    "c[[1], [2], [3]]", "c[..., 1:3][0]", "c[:, 1:, ::3]", "c[0][1][2]", "c[c > 20]",
    "c[torch.tensor([[True, False, True], [False, True, False]])]", "c[:, m[0]]",
    "c[1, None, ..., None, 2]", "s[...]", "s[None]", "s[torch.tensor(True)]", "s[False]",
    "torch.arange(10)[3:8:2]", "torch.arange(10)[torch.tensor([[1, 2], [3, 4]])]",
    "torch.tensor([True, False, True])[[0, 2]]",
]
GETITEM_ERRORS = [
    "a[2]", "a[-3]", "a[0, 5]", "a[None, 5]", "a[:, -4]", "a[0, 0, 0]", "a[..., ...]",
    "a[[5]]", "a[[-3]]", "a[:, [5]]", "a[[0], None, [4]]", "a[torch.tensor([5])]",
    "a[torch.tensor(7)]", "a[torch.tensor([0.5])]", "a[1.5]", "a['x']", "a[::-1]",
    "a[::0]", "a[[0, 1], [0, 1, 2]]", "a[torch.tensor([True, False, True])]",
    "a[torch.tensor([True, False])[None]]", "a[torch.ones(2, 2, dtype=torch.bool)]",
    "s[0]", "s[:]", "s[[0]]", "a[:, :, :]", "c[:, torch.tensor([True, False])]",
    "c[0, torch.tensor([[True, False, True, True]])]", "a[..., 0, ...]",
]

VIEW_CASES = {
    "view_write_seen_by_base": """
b = torch.zeros(2, 3)
r = b[0]
r[1] = 5.
r2 = b[:, 2]
r2.add_(1)
out = (b, r, r2, b._version, r._version, r._base is b, r2._base is b)
""",
    "view_base_write_seen_by_view": """
b = torch.zeros(2, 3)
r = b[1, 1:]
b[1] = torch.tensor([1., 2., 3.])
out = (r, b._version, r._version)
""",
    "view_strides": """
out = (a[::2].stride(), a[:, 1].stride(), a[:, ::2].stride(), a[0, ::2].stride(),
       a[:, 1:].is_contiguous(), a[1].is_contiguous(), a.diagonal().stride(),
       a[None].stride(), a[...].stride(), c[:, 1, ::2].stride(), a.narrow(1, 1, 2).stride(),
       a[[0]]._base is None, a[0]._base is a, a[...]._base is a, a[:]._base is a)
""",
    "view_of_nonleaf_grad": """
b = a * 2
r = b[1]
r.mul_(3)
out = (b, r)
""",
    "view_chain_write": """
b = torch.arange(24.).reshape(2, 3, 4)
r = b[1][:, 1:3][0]
r.fill_(-1.)
t = b.transpose(0, 2)[1]
t[0, 1] = 100.
out = (b, r, t)
""",
    "advanced_not_view": """
b = torch.zeros(3)
r = b[[0, 1]]
r[0] = 5.
out = (b, r, r._base is None)
""",
}

SETITEM = {
    "set_int_scalar": "b = a * 1\nb[0] = 5.\nout = (b, b._version)",
    "set_int_tensor": "b = a * 1\nb[0, 1] = torch.tensor(3.)\nout = b",
    "set_slice_tensor": "b = a * 1\nb[:, 1] = src[0, :2]\nout = b",
    "set_row_grad_value": "b = a * 1\nw = src[1] * 1\nb[0] = w\nout = b",
    "set_broadcast_value": "b = a * 1\nb[:, 1:] = src[0, :2]\nout = b",
    "set_leading_ones": "b = a * 1\nb[0] = src[:1]\nout = b",
    "set_leading_ones_3d": "b = a * 1\nb[0] = src[None, :1]\nout = b",
    "set_index_scalar": "b = a * 1\nb[[0]] = 1.\nout = b",
    "set_index_tensor": "b = a * 1\nb[[1, 0]] = src * 1\nout = b",
    "set_index_broadcast": "b = a * 1\nb[[0, 1], [0, 2]] = v * 1\nout = b",
    "set_index_row_value": "b = a * 1\nb[:, [0, 1]] = torch.tensor([1., 2.])\nout = b",
    "set_mask_scalar": "b = a * 1\nb[b > 2] = 0.\nout = (b, b._version)",
    "set_mask_tensor": "b = a * 1\nb[m] = src[0] * 1\nout = b",
    "set_mixed": "b = a * 1\nb[0, [0, 2]] = v * 1\nout = b",
    "set_ellipsis_scalar": "b = a * 1\nb[...] = 1\nout = b",
    "set_ellipsis_0d": "b = a * 1\nb[...] = v * 1\nout = b",
    "set_ellipsis_tensor": "b = a * 1\nb[...] = src[0] * 1\nout = b",
    "set_full_slice": "b = a * 1\nb[:] = 1.\nout = b",
    "set_full_slices": "b = a * 1\nb[:, :] = src * 1\nout = b",
    "set_chained": "b = a * 1\nb[0][1] = 7.\nout = b",
    "set_on_view": "b = a * 1\nr = b[1]\nr[[0, 2]] = v * 1\nout = (b, r)",
    "set_on_view_basic": "b = a * 1\nr = b[:, 1:]\nr[0] = v * 1\nout = (b, r)",
    "set_step": "b = a * 1\nb[:, ::2] = -1.\nout = b",
    "set_empty_slice": "b = torch.zeros(2, 3)\nb[5:] = 1\nout = b",
    "set_int_into_long": "b = torch.zeros(3, dtype=torch.int64)\nb[0] = 2.7\nout = b",
    "set_tensor_into_long": (
        "b = torch.zeros(3, dtype=torch.int64)\n"
        "b[1] = torch.tensor(2.7)\n"
        "out = b"),
    "set_bool_value": "b = torch.zeros(3)\nb[1] = True\nout = b",
    "set_leaf_nograd": "b = torch.zeros(3)\nb[1] = v\nout = b",
    "set_no_grad_on_leaf": (
        "with torch.no_grad():\n"
        "    a[0, 0] = 100.\n"
        "    a[[1]] = 7.\n"
        "out = (a, a._version, a.is_leaf)"),
    "set_numpy_int_index": (
        "b = torch.zeros(4)\n"
        "b[torch.tensor(2)] = 3.\n"
        "b[torch.tensor([0, 3])] = torch.tensor([1., 4.])\n"
        "out = b"),
    "set_3d": "b = c * 1\nb[1, :, [0, 3]] = src.T * 1\nout = b",
    "set_bool_index": "b = a * 1\nb[True] = 4.\nout = b",
}
SETITEM_ERRORS = {
    "set_leaf_view": "a[0] = 1.",
    "set_leaf_index": "a[[0]] = 1.",
    "set_leaf_mask": "a[a > 1] = 0.",
    "set_leaf_ellipsis": "a[...] = 0.",
    "set_oob": "b = torch.zeros(3)\nb[5] = 1",
    "set_oob_index": "b = torch.zeros(3)\nb[[5]] = 1",
    "set_index_shape": "b = torch.zeros(4)\nb[[0, 1]] = torch.ones(3)",
    "set_slice_shape": "b = torch.zeros(4)\nb[0:2] = torch.ones(3)",
    "set_too_many_dims": "b = torch.zeros(2, 3)\nb[0] = torch.ones(2, 3)",
    "set_index_dtype": "b = torch.zeros(2, 3)\nb[[0]] = torch.ones(3, dtype=torch.int64)",
    "set_mask_shape": "b = torch.zeros(2, 3)\nb[b > 0] = torch.ones(2)",
    "set_list": "b = torch.zeros(2, 3)\nb[0] = [1, 2, 3]",
    "set_none": "b = torch.zeros(2, 3)\nb[0] = None",
    "set_long_str": "b = torch.zeros(2, dtype=torch.int64)\nb[0] = 'x'",
}

FUNCS = [
    "a.gather(1, i[:, :2])", "torch.gather(a, 0, i)", "a.gather(1, torch.tensor([[2], [0]]))",
    "c.gather(2, torch.tensor([[[0, 3]], [[1, 1]]]))", "torch.gather(a, -1, i)",
    "a.scatter(0, i, src)", "a.scatter(1, i[:, :2], src.detach())", "a.scatter(0, i, 5.)",
    "torch.scatter(a, 1, torch.tensor([[2], [0]]), v)",
    "a.scatter(0, i, src, reduce='add')", "a.scatter(0, i, 5., reduce='multiply')",
    "a.scatter_add(0, i, src)", "torch.scatter_add(a, 1, i[:, :2], src.detach())",
    "a.index_select(1, torch.tensor([2, 0]))", "torch.index_select(a, 0, torch.tensor([1, 1, 0]))",
    "a.index_select(0, torch.tensor(1))",
    "a.index_select(-1, torch.tensor([0], dtype=torch.int32))",
    "a.masked_fill(m, 1.)", "a.masked_fill(m, v)", "a.masked_fill(m, torch.tensor(2.))",
    "a.masked_fill(m[0], -1.)", "torch.masked_fill(a, m, 0)", "a.masked_fill(m[:, :1], 3.)",
    "a.masked_select(m)", "torch.masked_select(a, m[0])", "a.masked_select(a > 1)",
    "a.narrow(1, 1, 2)", "torch.narrow(a, 0, 1, 1)", "a.narrow(1, -2, 2)",
    "a.narrow(0, torch.tensor(1), 1)", "a.select(1, 0)", "torch.select(a, 0, -1)",
    "a.flip(0)", "a.flip(0, 1)", "torch.flip(c, [0, 2])", "a.flip(-1)", "a.flip((1,))",
    "a.roll(1)", "a.roll(1, 1)", "a.roll((1, 1), (0, 1))", "torch.roll(a, -1, 0)",
    "a.roll(4, 1)", "a.tril()", "a.triu(1)", "torch.tril(c, -1)", "torch.triu(a, -1)",
    "a.repeat(2, 1)", "a.repeat(2, 1, 1)", "a.repeat((1, 2))", "torch.tensor([1, 2]).repeat(3)",
    "a.nonzero()", "torch.nonzero(a, as_tuple=True)", "torch.nonzero(s)",
    "torch.nonzero(s, as_tuple=True)", "m.nonzero()", "torch.argwhere(a)", "torch.where(m)",
    "a.take(torch.tensor([0, 5]))", "torch.take(a, torch.tensor([[-1, 2], [3, 0]]))",
    "a.index_add(0, torch.tensor([1, 0]), src)",
    "a.index_add(1, torch.tensor([2, 2, 0]), src, alpha=2)",
    "a.index_copy(0, torch.tensor([1, 0]), src)", "a.index_fill(1, torch.tensor([0]), 2.)",
    "a.index_fill(1, torch.tensor([0, 2]), v)", "a.diagonal()", "a.diagonal(1)",
    "c.diagonal(0, 1, 2)", "c.diagonal(-1, 2, 0)", "torch.diagonal(a, -1)", "torch.diag(a)",
    "torch.diag(a[0])", "a.diag(1)", "torch.diag(src[1], -1)",
    "a.index_put((torch.tensor([0]),), v)",
    "a.index_put((torch.tensor([0, 0]),), v, accumulate=True)",
    "a.index_put((torch.tensor([1, 0]), torch.tensor([2, 2])), src[0, :2])",
    "a.masked_scatter(m, src)", "torch.take_along_dim(a, i, 1)",
    "a.gather(0, torch.tensor([[1, 0, 1]]), sparse_grad=False)",
]
FUNC_ERRORS = [
    "a.gather(1, i.int())", "a.gather(1, i[0])", "a.gather(1, torch.tensor([[5], [0]]))",
    "a.gather(1, torch.tensor([[-1], [0]]))", "a.gather(0, torch.zeros(3, 1, dtype=torch.int64))",
    "a.gather(2, i)", "a.scatter(0, i.float(), src)", "a.scatter(0, i, src[:1, :1])",
    "a.scatter(0, torch.tensor([[2, 0, 0]]), src)", "a.scatter(0, i, src.double())",
    "a.scatter(0, i, 1., reduce='max')", "a.scatter_add(0, i.int(), src)",
    "a.index_select(1, torch.tensor([3]))", "a.index_select(1, torch.tensor([[0]]))",
    "a.index_select(1, torch.tensor([0.]))", "a.masked_fill(m.int(), 1.)",
    "a.masked_fill(m, torch.ones(2))", "a.masked_fill(torch.ones(4, dtype=torch.bool), 1.)",
    "a.masked_select(m.int())", "a.narrow(1, 2, 2)", "a.narrow(1, 4, 0)", "a.narrow(2, 0, 1)",
    "a.select(0, 2)", "a.select(2, 0)", "a.flip(0, 0)", "a.flip(2)", "a.roll(1, (0, 1))",
    "torch.tensor([1., 2.]).tril()", "a.repeat(2)", "a.take(torch.tensor([6]))",
    "a.take(torch.tensor([0.]))", "a.index_add(0, torch.tensor([1, 0]), src[:, :1])",
    "a.index_add(0, torch.tensor([2, 0]), src)", "a.index_fill(1, torch.tensor([5]), 2.)",
    "a.index_copy(0, torch.tensor([0]), src)", "a.diagonal(0, 0, 0)", "torch.diag(c)",
    "a.scatter(0, i, src, reduce='add').sum().backward()",
    "torch.gather(a, 1, torch.tensor([[0, 1, 2, 0]]))", "a.gather(1, i.float())",
    "a.gather(1, torch.zeros(3, 1, dtype=torch.int64))", "a.scatter_add(0, i.float(), src)",
    "a.index_select(1, torch.tensor([-1]))", "a.masked_fill(m.long(), 1.)",
    "a.index_copy(0, torch.tensor([2, 0]), src)", "a.take(torch.tensor([0], dtype=torch.int32))",
    "a.masked_scatter(m, src[0, :2])",
    "a.scatter(0, i, v)",
    "a.index_fill(1, torch.tensor([-4]), 2.)",
    "a.masked_fill(m, torch.tensor([2.]))", "torch.nonzero(a, as_tuple=False, out=None)",
]
INPLACE = {
    "scatter_": "b = a * 1\nb.scatter_(0, i, src)\nout = (b, b._version)",
    "scatter_value_": "b = a * 1\nb.scatter_(1, i, -1.)\nout = b",
    "scatter_reduce_": "b = a * 1\nb.scatter_(0, i, src, reduce='add')\nout = b.detach()",
    "scatter_add_": "b = a * 1\nb.scatter_add_(1, i, src)\nout = b",
    "masked_fill_": "b = a * 1\nr = b.masked_fill_(m, 0.)\nout = (b, r is b, b._version)",
    "masked_fill_tensor_": "b = a * 1\nb.masked_fill_(m[1], v)\nout = b",
    "masked_fill_view_": "b = a * 1\nb[0].masked_fill_(m[0], 0.)\nout = b",
    "tril_": "b = a * 1\nb.tril_()\nout = b", "triu_": "b = a * 1\nb.triu_(1)\nout = b",
    "index_add_": "b = a * 1\nb.index_add_(0, torch.tensor([0, 0]), src)\nout = b",
    "index_copy_": "b = a * 1\nb.index_copy_(1, torch.tensor([2, 0, 1]), src)\nout = b",
    "index_fill_": "b = a * 1\nb.index_fill_(0, torch.tensor([1]), v)\nout = b",
    "index_put_": (
        "b = a * 1\n"
        "b.index_put_((torch.tensor([0, 1]), torch.tensor([1, 1])), src[0, :2])\n"
        "out = b"),
    "index_put_acc_": (
        "b = a * 1\n"
        "b.index_put_((torch.tensor([0, 0]),), src[1], accumulate=True)\n"
        "out = b"),
    "masked_scatter_": "b = a * 1\nb.masked_scatter_(m, src)\nout = b",
    "leaf_masked_fill_": "a.masked_fill_(m, 0.)",
    "leaf_scatter_": "a.scatter_(0, i, 1.)",
    "masked_fill_broadcast_": "b = torch.zeros(3)\nb.masked_fill_(m, 1.)",
    "grad_twice_index": "y = a[[0, 1]].sum()\ny.backward()\ny.backward()",
    "grad_twice_select": "y = a[0].sum()\ny.backward()\ny.backward()\nout = a.grad",
    "grad_accumulate_dup": "a[[0, 0, 1]].sum().backward()\nout = a.grad",
    "select_after_inplace": "b = a * 1\nr = b[0]\nb.mul_(2)\nout = (r, b)",
    "leaf_reshaped_view": "x = torch.arange(6.).reshape(2, 3).requires_grad_()\nx[0] = 1.",
    "getitem_loop": (
        "b = torch.zeros(4, 3)\n"
        "for k in range(4):\n"
        "    b[k] = b[k - 1] + k\n"
        "out = (b, b._version)"),
    "slice_write_loop": (
        "b = a * 1\n"
        "for k in range(3):\n"
        "    b[:, k:k + 1] = b[:, k:k + 1] * (k + 1)\n"
        "out = b"),
    "index_int32": (
        "b = torch.zeros(5)\n"
        "b[torch.tensor([4, 1], dtype=torch.int32)] = 2.\n"
        "out = (b, a[torch.tensor([1], dtype=torch.int32)])"),
    "index_int16": "out = a[torch.tensor([1], dtype=torch.int16)]",
    "dtype_bool_index": (
        "x = torch.tensor([1, 2, 3])\n"
        "out = (x[x > 1], x[[True, False, True]], x[0], x[torch.tensor([2])])"),
    "empty_mask_set": "b = a * 1\nb[b > 100] = 3.\nout = b",
    "set_0d_copy": "x = torch.tensor(1.)\ny = x * 1\ny[...] = s * 1\nout = y",
    "masked_fill_int": (
        "x = torch.tensor([1, 2, 3])\n"
        "out = (x.masked_fill(x > 1, 2.5), x.masked_fill(x < 2, -1))"),
    "uint8_dtypes": (
        "x = torch.arange(4, dtype=torch.uint8)\n"
        "out = (x[[1, 3]], x.flip(0), x.roll(1), x.gather(0, torch.tensor([3, 0])))"),
    "diag_grad": "out = (a.diagonal(1) * 1, c.diagonal(0, 0, 2) * 1)",
    "saved_gather": "b = a * 1\ny = b.gather(1, i)\nb.add_(1)\ny.sum().backward()",
    "saved_masked_select": "b = a * 1\ny = b.masked_select(m)\nb.mul_(2)\ny.sum().backward()",
    "saved_take": "b = a * 1\ny = b.take(i)\nb.masked_fill_(m, 1.)\ny.sum().backward()",
    "saved_take_setitem": "b = a * 1\ny = b.take(i)\nb[0] = 1.\ny.sum().backward()",
    "unsaved_index": "b = a * 1\ny = b[[0, 1]]\nb.mul_(2)\ny.sum().backward()\nout = a.grad",
    "unsaved_scatter": (
        "b = a * 1\n"
        "y = b.scatter(0, i, src).index_select(1, torch.tensor([0]))\n"
        "b.mul_(2)\n"
        "y.sum().backward()\n"
        "out = (a.grad, src.grad)"),
    "unsaved_setitem_then_inplace": (
        "b = a * 1\n"
        "b[[1]] = v * 1\n"
        "b[0] = 2.\n"
        "b.masked_fill_(m, 0.)\n"
        "out = b"),
}


def _names(t):
    g = t.grad_fn
    if g is None:
        return None, None
    nxt = [type(f).__name__ if f is not None else None for f, _ in g.next_functions]
    return type(g).__name__, nxt


def encode(x):
    if isinstance(x, torch.Tensor):
        vals = x.detach()
        if vals.dtype == torch.bfloat16:
            vals = vals.float()
        fn, nxt = _names(x)
        return {"kind": "tensor", "shape": list(x.shape), "dtype": str(x.dtype)[6:],
                "values": vals.tolist(), "grad_fn": fn, "next": nxt,
                "requires_grad": x.requires_grad}
    if isinstance(x, (tuple, list)):
        return {"kind": "seq", "items": [encode(e) for e in x]}
    if x is None or isinstance(x, (bool, int, float, str)):
        return {"kind": "py", "value": x}
    raise TypeError(type(x))


def run(code):
    ns = {"torch": torch}
    exec(PRE, ns)
    try:
        exec(code, ns)
    except Exception as e:  # noqa: BLE001 - recording torch's error is the point
        return {"error": type(e).__name__, "msg": str(e)}
    res = {"out": encode(ns.get("out"))}
    out = ns.get("out")
    outs = out if isinstance(out, tuple) else (out,)
    diff = [t for t in outs if isinstance(t, torch.Tensor) and t.requires_grad]
    if diff:
        loss = 0
        for t in diff:
            n = t.numel()
            w = torch.arange(1, n + 1, dtype=t.dtype).reshape(t.shape)
            loss = loss + (t * w).sum()
        try:
            loss.backward()
            res["grads"] = {k: encode(ns[k].grad) for k in ("a", "c", "s", "v", "src")
                            if ns[k].grad is not None}
        except Exception as e:  # noqa: BLE001
            res["backward_error"] = {"error": type(e).__name__, "msg": str(e)}
    return res


def main():
    warnings.simplefilter("ignore")
    cases = {}
    for group in (GETITEM, GETITEM_ERRORS, FUNCS, FUNC_ERRORS):
        for expr in group:
            cases[expr] = "out = " + expr if "backward" not in expr else expr
    for group in (VIEW_CASES, SETITEM, SETITEM_ERRORS, INPLACE):
        for name, code in group.items():
            assert name not in cases
            cases[name] = code.strip()
    data = {"torch": torch.__version__, "pre": PRE,
            "cases": [dict(name=k, code=v, **run(v)) for k, v in cases.items()]}
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
