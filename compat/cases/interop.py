"""Tensor protocol and interop: NumPy sharing both ways, Python dunders, devices, dtype objects,
grad modes, and printing through the Tensor itself (issue 2 items 2, 3, 5, 7)."""

import numpy as np
from _record import expect_error, warnings_of


def case_from_numpy_shares_memory(torch):
    a = np.array([1.0, 2.0, 3.0])
    t = torch.from_numpy(a)
    t.add_(1)
    after_add = a.tolist()
    a[0] = 100.0
    return {"t": t, "a_after_add": after_add, "dtype": t.dtype, "t_after_np_write": t.tolist()}


def case_numpy_shares_memory(torch):
    t = torch.ones(3)
    n = t.numpy()
    t.mul_(5)
    n_after = n.tolist()
    n[1] = -1.0
    return {"n_after_mul": n_after, "t": t, "dtype": str(n.dtype)}


def case_as_tensor_and_tensor_copy(torch):
    a = np.arange(4, dtype=np.int32)
    shared = torch.as_tensor(a)
    copied = torch.tensor(a)
    a[0] = 9
    return {"shared": shared, "copied": copied, "np_array_of_tensor": np.asarray(copied).tolist()}


def case_tensor_constructor(torch):
    return {"data": torch.Tensor([1, 2]), "sizes": torch.Tensor(2, 3).shape,
            "isinstance": isinstance(torch.ones(1), torch.Tensor),
            "is_tensor": torch.is_tensor(torch.ones(1))}


def case_python_dunders(torch):
    t = torch.tensor([3.0, 4.0])
    s = torch.tensor(2.5)
    i = torch.tensor(1)
    return {"len": len(t), "iter": [x.item() for x in t], "float": float(s), "int": int(s),
            "bool": bool(torch.tensor([1])), "index": [10, 20, 30][i], "format": f"{s:.3f}",
            "format_plain": f"{t}", "neg": -t, "abs": abs(-t), "pos": +t,
            "contains": 3.0 in t}


def case_dunder_errors(torch):
    return {"len0": expect_error(lambda: len(torch.tensor(1.0))),
            "iter0": expect_error(lambda: iter(torch.tensor(1.0))),
            "bool_many": expect_error(lambda: bool(torch.ones(2))),
            "index_float": expect_error(lambda: [1, 2][torch.tensor(1.0)]),
            "item_many": expect_error(lambda: torch.ones(2).item()),
            "numpy_grad": expect_error(lambda: torch.ones(2, requires_grad=True).numpy())}


def case_devices(torch):
    t = torch.ones(2, device="cpu")
    return {"device": str(t.device), "repr": repr(t.device), "cuda": torch.cuda.is_available(),
            "to_cpu_same": t.to("cpu") is t, "cpu_same": t.cpu() is t,
            "device_obj": repr(torch.device("cuda", 1)), "eq": torch.device("cpu") == t.device,
            "is_cuda": t.is_cuda}


def case_dtype_objects(torch):
    return {"reprs": [repr(d) for d in (torch.float, torch.double, torch.long, torch.int,
                                          torch.half, torch.bool, torch.uint8, torch.cfloat)],
            "is_float": [torch.float16.is_floating_point, torch.int8.is_floating_point],
            "itemsize": [torch.float64.itemsize, torch.int16.itemsize],
            "finfo": repr(torch.finfo(torch.float32)), "iinfo": repr(torch.iinfo(torch.int32)),
            "eps16": torch.finfo(torch.float16).eps, "default": torch.get_default_dtype()}


def case_set_default_dtype(torch):
    torch.set_default_dtype(torch.float64)
    try:
        out = {"ones": torch.ones(2), "scalar_mul": torch.tensor([1, 2]) * 0.5,
               "tensor_infer": torch.tensor([1.5]), "arange": torch.arange(0.0, 1.0, 0.5)}
    finally:
        torch.set_default_dtype(torch.float32)
    return out


def case_grad_modes(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        a = x * 2
        with torch.enable_grad():
            b = x * 2
    torch.set_grad_enabled(False)
    c = x * 2
    torch.set_grad_enabled(True)
    with torch.inference_mode():
        d = x * 2

    @torch.no_grad()
    def f(y):
        return y * 2
    return {"no_grad": a.requires_grad, "enable_inside": b.requires_grad,
            "set_false": c.requires_grad, "inference": d.requires_grad,
            "decorated": f(x).requires_grad, "enabled_after": torch.is_grad_enabled()}


def case_printing_through_tensor(torch):
    x = torch.tensor([[1.0, -2.5], [3.25, 4.0]], requires_grad=True)
    y = (x * 2).sum(1)
    return {"leaf": repr(x), "non_leaf": repr(y), "int": repr(torch.arange(3)),
            "double": repr(torch.tensor([1.0], dtype=torch.float64)),
            "bool": repr(torch.tensor([True, False])), "big": repr(torch.arange(2000.0)),
            "empty": repr(torch.zeros(0, 3)), "scalar": repr(torch.tensor(3.5)),
            "sci": repr(torch.tensor([1e-8, 1.0, 1e8])), "str": str(torch.tensor([0.1]))}


def case_printoptions(torch):
    torch.set_printoptions(precision=2)
    a = repr(torch.tensor([1.23456, 2.0]))
    torch.set_printoptions(profile="default")
    return {"precision2": a, "default": repr(torch.tensor([1.23456, 2.0]))}


def case_data_and_detach(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    d = x.data
    d.mul_(10)
    y = x.detach()
    return {"x": x, "d_requires_grad": d.requires_grad, "y_is_leaf": y.is_leaf,
            "y_requires_grad": y.requires_grad, "x_version": x._version,
            "warn": warnings_of(lambda: (x * 2).grad)}


def case_out_argument(torch):
    o = torch.empty(2, 2)
    r = torch.zeros(2, 2, out=o)
    grown = torch.ones(3)
    resized = torch.add(torch.ones(2), 1, out=grown)
    wide = torch.empty(2, dtype=torch.float64)
    torch.add(torch.ones(2), 1.5, out=wide)
    v = torch.empty(2)
    before = v._version
    torch.mul(torch.ones(2), 3, out=v)
    a = torch.ones(2, requires_grad=True)
    return {"same": r is o, "o": o, "resized": resized, "resized_is_out": resized is grown,
            "warn": warnings_of(lambda: torch.add(torch.ones(2), 1, out=torch.ones(5))),
            "wide": wide, "version_bump": v._version - before,
            "matmul": torch.matmul(torch.ones(2, 2), torch.ones(2), out=torch.empty(2)),
            "sum": torch.sum(torch.ones(3, 2), 0, out=torch.empty(2)),
            "narrowing": expect_error(lambda: torch.add(torch.ones(2), 1.5,
                                                        out=torch.empty(2, dtype=torch.long))),
            "grad": expect_error(lambda: torch.mul(a, 2, out=torch.empty(2))),
            "accelerator": [torch.accelerator.is_available(), torch.accelerator.device_count()]}
