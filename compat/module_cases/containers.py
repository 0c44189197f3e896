"""Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict."""

from collections import OrderedDict

from _record import expect_error
from module_cases._util import det, fill, run_module


def _names(m):
    return [n for n, _ in m.named_children()]


def case_sequential_forward(torch):
    nn = torch.nn
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    return run_module(torch, m, [det(torch, 5, 3)])


def case_sequential_ordered_dict(torch):
    nn = torch.nn
    m = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    return {"repr": repr(m), "keys": list(m.state_dict().keys()), "fc": repr(m.fc)}


def case_sequential_indexing(torch):
    nn = torch.nn
    layers = [nn.Linear(1, 1), nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Identity()]
    m = nn.Sequential(*layers)
    out = {
        "len": len(m), "first": repr(m[0]), "last": repr(m[-1]), "slice": repr(m[1:3]),
        "slice_type": type(m[::2]).__name__, "slice_names": _names(m[::2]),
        "out_of_range": expect_error(lambda: m[5]),
        "neg_out_of_range": expect_error(lambda: m[-6]),
        "iter": [type(x).__name__ for x in m],
    }
    m[1] = nn.GELU()
    out["setitem"] = repr(m)
    del m[2]
    out["delitem"] = [_names(m), repr(m)]
    del m[1:3]
    out["del_slice"] = _names(m)
    m.append(nn.ELU())
    m.insert(0, nn.Softsign())
    m.insert(-1, nn.Mish())
    out["append_insert"] = repr(m)
    # (messages naming torch's own classes are not compared, only the type)
    out["insert_bad"] = [expect_error(lambda: m.insert(10, nn.ReLU())),
                         type(expect_error(lambda: m.insert(0, 3))).__name__]
    m.extend([nn.ReLU6(), nn.SELU()])
    p = m.pop(1)
    out["pop"] = [type(p).__name__, _names(m), repr(m)]
    return out


def case_sequential_arithmetic(torch):
    nn = torch.nn
    a = nn.Sequential(nn.ReLU(), nn.Tanh())
    b = nn.Sequential(nn.Sigmoid())
    c = a + b
    d = a * 2
    e = nn.Sequential(nn.ReLU())
    e += b
    f = nn.Sequential(nn.Tanh())
    f *= 3
    return {"add": repr(c), "mul": repr(d), "rmul": repr(2 * b), "iadd": repr(e), "imul": repr(f),
            "shared": d[0] is d[2], "add_bad": expect_error(lambda: a + [nn.ReLU()]),
            "mul_bad": [type(expect_error(lambda: a * 0)).__name__,
                        type(expect_error(lambda: a * 1.5)).__name__],
            "dir_no_digits": [k for k in dir(a) if k.isdigit()]}


def case_modulelist(torch):
    nn = torch.nn
    m = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    out = {"repr_collapsed": repr(m), "len": len(m), "keys": list(m.state_dict().keys())}
    m.append(nn.ReLU())
    m.extend([nn.ReLU(), nn.Tanh()])
    m.insert(1, nn.Linear(3, 3))
    out["repr_runs"] = repr(m)
    out["getitem"] = [repr(m[1]), repr(m[-1]), type(m[1:3]).__name__, _names(m[1:3])]
    m[0] = nn.Identity()
    del m[1]
    out["after_set_del"] = [_names(m), repr(m)]
    out["pop"] = type(m.pop(-1)).__name__
    out["add"] = repr(nn.ModuleList([nn.ReLU()]) + nn.ModuleList([nn.ReLU(), nn.Tanh()]))
    out["empty"] = repr(nn.ModuleList())
    out["errors"] = [expect_error(lambda: m[10]), expect_error(lambda: m.extend(3)),
                     expect_error(lambda: m("x"))]
    nested = nn.ModuleList([nn.Sequential(nn.Linear(1, 1), nn.ReLU()) for _ in range(2)])
    out["nested"] = repr(nested)
    return out


def case_moduledict(torch):
    nn = torch.nn
    m = nn.ModuleDict({"b": nn.Linear(1, 2), "a": nn.ReLU()})
    out = {"repr": repr(m), "keys": list(m.keys()), "contains": ["a" in m, "z" in m]}
    m["c"] = nn.Tanh()
    m.update([("d", nn.Sigmoid())])
    out["after_update"] = [list(m), len(m)]
    out["pop"] = type(m.pop("a")).__name__
    del m["b"]
    out["values"] = [type(v).__name__ for v in m.values()]
    out["items"] = [k for k, _ in m.items()]
    out["errors"] = [expect_error(lambda: m.update(3)),
                     expect_error(lambda: m.update([("x",)])),
                     expect_error(lambda: m.update([3]))]
    m.clear()
    out["cleared"] = len(m)
    return out


def case_parameterlist(torch):
    nn = torch.nn
    pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(2, 3)])
    pl.append(torch.ones(1, dtype=torch.float64))
    pl.append("text")
    out = {"repr": repr(pl), "len": len(pl), "types": [type(p).__name__ for p in pl],
           "names": [n for n, _ in pl.named_parameters()], "slice": repr(pl[1:3]),
           "call": expect_error(lambda: pl(1)),
           "extend_bad": expect_error(lambda: pl.extend(torch.ones(2)))}
    pl[0] = torch.full((2,), 3.0)
    out["setitem"] = pl[0]
    return out


def case_parameterdict(torch):
    nn = torch.nn
    pd = nn.ParameterDict({"b": torch.ones(2), "a": nn.Parameter(torch.zeros(1))})
    out = {"repr": repr(pd), "keys": list(pd.keys()), "sorted_from_dict": list(pd)}
    pd["c"] = torch.ones(2, 2, dtype=torch.float64)
    pd.update(OrderedDict([("z", torch.ones(1)), ("y", torch.ones(1))]))
    out["order"] = list(pd.keys())
    out["repr2"] = repr(pd)
    out["get"] = [pd.get("a"), pd.get("nope", 7)]
    out["pop"] = pd.pop("c").shape
    out["popitem"] = pd.popitem()[0]
    out["setdefault"] = pd.setdefault("n", torch.ones(1)).requires_grad
    out["copy"] = list(pd.copy().keys())
    out["or"] = list((pd | nn.ParameterDict({"q": torch.ones(1)})).keys())
    out["errors"] = [expect_error(lambda: pd[1]), expect_error(lambda: pd(1)),
                     expect_error(lambda: pd.update(3))]
    out["params"] = [n for n, _ in pd.named_parameters()]
    pd.clear()
    out["cleared"] = len(pd)
    return out


def case_container_state_dict_roundtrip(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.ModuleList([nn.Linear(3, 3), nn.ReLU()]),
                        nn.ModuleDict({"out": nn.Linear(3, 1)}))
    fill(torch, net)
    other = nn.Sequential(nn.Linear(2, 3), nn.ModuleList([nn.Linear(3, 3), nn.ReLU()]),
                          nn.ModuleDict({"out": nn.Linear(3, 1)}))
    res = other.load_state_dict(net.state_dict())
    return {"keys": list(net.state_dict().keys()), "result": repr(res),
            "equal": [bool((a == b).all()) for a, b in zip(net.state_dict().values(),
                                                           other.state_dict().values())],
            "repr": repr(net)}
