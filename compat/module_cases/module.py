"""nn.Module's contract: registration, traversal, state_dict, modes, hooks, conversions, repr."""

from _record import warnings_of
from module_cases._util import det, fill


def _net(torch):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)
            self.register_buffer("scale", torch.ones(2))
            self.register_buffer("cache", torch.zeros(2), persistent=False)
            self.act = nn.ReLU()

        def forward(self, x):
            return self.act(self.fc(x)) * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.head = nn.Linear(2, 1, bias=False)
            self.w = nn.Parameter(torch.ones(1))
            self.empty = None

        def forward(self, x):
            return self.head(self.block(x)) + self.w

    return Net()


def case_traversal(torch):
    m = _net(torch)
    return {
        "parameters": [n for n, _ in m.named_parameters()],
        "parameters_prefix": [n for n, _ in m.named_parameters(prefix="net")],
        "parameters_norecurse": [n for n, _ in m.named_parameters(recurse=False)],
        "buffers": [n for n, _ in m.named_buffers()],
        "children": [n for n, _ in m.named_children()],
        "modules": [n for n, _ in m.named_modules()],
        "modules_prefix": [n for n, _ in m.named_modules(prefix="root")],
        "module_types": [type(x).__name__ for x in m.modules()],
        "n_params": len(list(m.parameters())),
        "repr": repr(m),
        "dir_has": [k in dir(m) for k in ("block", "head", "w", "forward", "training")],
    }


def case_shared_parameters(torch):
    nn = torch.nn
    a = nn.Linear(2, 2)
    m = nn.Sequential(a, nn.Tanh(), a)
    return {
        "dedup": [n for n, _ in m.named_parameters()],
        "all": [n for n, _ in m.named_parameters(remove_duplicate=False)],
        "modules": [n for n, _ in m.named_modules()],
        "modules_all": [n for n, _ in m.named_modules(remove_duplicate=False)],
        "state_dict": list(m.state_dict().keys()),
        "repr": repr(m),
    }


def case_state_dict(torch):
    m = fill(torch, _net(torch))
    sd = m.state_dict()
    keep = m.state_dict(keep_vars=True)
    prefixed = m.state_dict(prefix="model.")
    return {
        "type": type(sd).__name__,
        "keys": list(sd.keys()),
        "prefixed": list(prefixed.keys()),
        "values": dict(sd),
        "detached": [v.requires_grad for v in sd.values()],
        "keep_vars": [v.requires_grad for v in keep.values()],
        "keep_is_param": [type(v).__name__ for v in keep.values()],
        "metadata": sorted(sd._metadata.keys()),
    }


def case_load_state_dict(torch):
    m = _net(torch)
    src = fill(torch, _net(torch))
    res = m.load_state_dict(src.state_dict())
    out = {"result": repr(res), "copied": m.block.fc.weight, "same_object": res.missing_keys}
    sd = src.state_dict()
    del sd["w"]
    sd["extra"] = torch.zeros(1)
    res2 = m.load_state_dict(sd, strict=False)
    out["non_strict"] = repr(res2)
    out["non_strict_fields"] = [res2.missing_keys, res2.unexpected_keys]
    return out


def case_load_state_dict_errors(torch):
    from _record import expect_error
    nn = torch.nn
    m = nn.Linear(2, 3)
    return {
        "missing_unexpected_size": expect_error(lambda: m.load_state_dict(
            {"weight": torch.ones(3, 3), "x": torch.ones(1)})),
        "missing": expect_error(lambda: m.load_state_dict({"weight": torch.ones(3, 2)})),
        "nested": expect_error(lambda: nn.Sequential(nn.Linear(1, 1)).load_state_dict(
            {"0.weight": torch.ones(1, 1), "1.bias": torch.ones(1)})),
        "not_tensor": expect_error(lambda: m.load_state_dict(
            {"weight": [1.0], "bias": torch.ones(3)})),
        "not_mapping": expect_error(lambda: m.load_state_dict([1, 2])),
        "all_matched": repr(m.load_state_dict({"weight": torch.ones(3, 2),
                                               "bias": torch.ones(3)})),
    }


def case_non_persistent_buffer(torch):
    m = _net(torch)
    m.block.register_buffer("cache", torch.ones(2), persistent=True)
    k1 = list(m.state_dict().keys())
    m.block.register_buffer("scale", torch.ones(2), persistent=False)
    k2 = list(m.state_dict().keys())
    return {"persistent": k1, "non_persistent": k2,
            "buffers": [n for n, _ in m.named_buffers()]}


def case_setattr_semantics(torch):
    from _record import expect_error
    nn = torch.nn
    m = nn.Linear(2, 2)
    out = {}
    out["assign_tensor_to_param"] = expect_error(lambda: setattr(m, "weight", torch.ones(2, 2)))
    m.weight = nn.Parameter(torch.zeros(2, 2))
    out["param_replaced"] = m.weight
    m.bias = None
    out["bias_none"] = [n for n, _ in m.named_parameters()]
    out["state_dict_after_none"] = list(m.state_dict().keys())
    m.extra = nn.Parameter(torch.ones(1))
    m.sub = nn.ReLU()
    m.plain = 3
    out["after_adds"] = [[n for n, _ in m.named_parameters()], [n for n, _ in m.named_children()]]
    del m.extra
    del m.sub
    out["after_del"] = [[n for n, _ in m.named_parameters()], [n for n, _ in m.named_children()]]
    out["missing_attr"] = expect_error(lambda: m.nothing)
    out["module_to_tensor"] = expect_error(lambda: setattr(nn.Sequential(nn.ReLU()), "0", 1))
    out["register_bad"] = [
        expect_error(lambda: m.register_parameter("a.b", None)),
        expect_error(lambda: m.register_parameter("", None)),
        expect_error(lambda: m.register_parameter("plain", None)),
        expect_error(lambda: m.register_parameter("q", torch.ones(1))),
        expect_error(lambda: m.register_buffer("w", [1])),
        expect_error(lambda: m.add_module("x", 3)),
        expect_error(lambda: m.add_module("a.b", nn.ReLU())),
        expect_error(lambda: m.register_parameter("nl", nn.Parameter(torch.ones(1)) * 2)),
    ]
    m.register_buffer("buf", torch.ones(1))
    m.buf = torch.zeros(1)  # assigning a tensor to a buffer name keeps it a buffer
    out["buffer_reassigned"] = [[n for n, _ in m.named_buffers()], m.buf]
    m.buf = None
    out["buffer_none_state"] = list(m.state_dict().keys())
    out["buffer_class"] = [n for n, _ in _with_buffer(torch).named_buffers()]
    return out


def _with_buffer(torch):
    m = torch.nn.Module()
    m.a = torch.nn.Buffer(torch.ones(2))
    m.b = torch.nn.Buffer(torch.ones(2), persistent=False)
    m.c = torch.ones(1)  # a plain attribute
    return m


def case_get_submodule(torch):
    from _record import expect_error
    m = _net(torch)
    return {
        "sub": repr(m.get_submodule("block.fc")),
        "self": m.get_submodule("") is m,
        "param": m.get_parameter("block.fc.bias").shape,
        "buffer": m.get_buffer("block.scale"),
        "missing": expect_error(lambda: m.get_submodule("block.nope")),
        "not_module": expect_error(lambda: m.get_submodule("w.x")),
        "not_param": expect_error(lambda: m.get_parameter("block.scale")),
        "not_buffer": expect_error(lambda: m.get_buffer("block.fc.weight")),
    }


def case_train_eval(torch):
    from _record import expect_error
    m = _net(torch)
    m.eval()
    a = [x.training for x in m.modules()]
    m.block.train()
    b = [x.training for x in m.modules()]
    return {"eval": a, "partial": b, "returns_self": m.train() is m,
            "bad_mode": expect_error(lambda: m.train("yes"))}


def case_requires_grad_and_zero_grad(torch):
    m = fill(torch, _net(torch))
    m(det(torch, 4, 3)).sum().backward()
    had = [p.grad is not None for p in m.parameters()]
    m.zero_grad(set_to_none=False)
    zeroed = [p.grad for p in m.parameters()]
    m.zero_grad()
    none = [p.grad is None for p in m.parameters()]
    m.requires_grad_(False)
    flags = [p.requires_grad for p in m.parameters()]
    out = m(det(torch, 4, 3))
    return {"had": had, "zeroed": zeroed, "none": none, "flags": flags,
            "out_requires_grad": out.requires_grad}


def case_forward_and_backward(torch):
    m = fill(torch, _net(torch))
    x = det(torch, 4, 3, seed=3, requires_grad=True)
    y = m(x)
    (y * y).sum().backward()
    return {"y": y, "x": x, "params": dict(m.named_parameters())}


def case_to_double_and_back(torch):
    m = fill(torch, _net(torch))
    w = m.block.fc.weight
    m(det(torch, 2, 3)).sum().backward()
    m.double()
    d = {"same_object": m.block.fc.weight is w,
         "dtypes": [str(t.dtype) for t in m.state_dict().values()],
         "grad_dtype": str(w.grad.dtype), "is_param": type(m.block.fc.weight).__name__}
    y = m(det(torch, 2, 3, dtype=torch.float64))
    d["y"] = y
    m.to(torch.float32)
    d["back"] = [str(t.dtype) for t in m.state_dict().values()]
    m.half().float()
    d["half_roundtrip"] = m.block.fc.weight
    from _record import expect_error
    d["to_int"] = expect_error(lambda: m.to(torch.int64))
    d["cpu_self"] = m.cpu() is m
    return d


def case_apply_and_init(torch):
    m = _net(torch)
    seen = []

    def init(mod):
        seen.append(type(mod).__name__)
        if isinstance(mod, torch.nn.Linear):
            torch.nn.init.constant_(mod.weight, 0.5)
            if mod.bias is not None:
                torch.nn.init.zeros_(mod.bias)
    r = m.apply(init)
    return {"order": seen, "returns_self": r is m, "weights": [m.block.fc.weight, m.head.weight]}


def case_forward_hooks(torch):
    m = fill(torch, torch.nn.Linear(2, 2))
    log = []

    def pre(mod, args):
        log.append(("pre", len(args)))
        return (args[0] * 2,)

    def pre_kw(mod, args, kwargs):
        log.append(("pre_kw", sorted(kwargs)))

    def post(mod, args, out):
        log.append(("post", tuple(out.shape)))
        return out + 1

    def post_first(mod, args, out):
        log.append(("post_first", None))

    h1 = m.register_forward_pre_hook(pre)
    h2 = m.register_forward_pre_hook(pre_kw, with_kwargs=True)
    h3 = m.register_forward_hook(post)
    h4 = m.register_forward_hook(post_first, prepend=True)
    x = det(torch, 3, 2)
    y1 = m(x)
    for h in (h1, h2, h3, h4):
        h.remove()
    y2 = m(x)
    return {"log": [list(e) for e in log], "hooked": y1, "plain": y2}


def case_full_backward_hook(torch):
    m = fill(torch, torch.nn.Linear(3, 2))
    log = {}

    def hook(mod, grad_input, grad_output):
        log["grad_input"] = list(grad_input)
        log["grad_output"] = list(grad_output)
        return (grad_input[0] * 10,)

    h = m.register_full_backward_hook(hook)
    x = det(torch, 4, 3, requires_grad=True)
    y = m(x)
    name = type(y.grad_fn).__name__
    (y * det(torch, 4, 2, seed=5)).sum().backward()
    h.remove()
    return {"grad_fn": name, "log": log, "x_grad": x.grad, "w_grad": m.weight.grad}


def case_extra_repr_custom(torch):
    nn = torch.nn

    class Multi(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))

        def extra_repr(self):
            return "first line\nsecond line"

    class One(nn.Module):
        def extra_repr(self):
            return "alpha=1"

    return {"multi": repr(Multi()), "one": repr(One()), "empty": repr(nn.Module()),
            "one_with_child": repr(_child(nn, One()))}


def _child(nn, m):
    m.c = nn.Identity()
    return m


def case_parameter_basics(torch):
    from _record import expect_error
    nn = torch.nn
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    q = nn.Parameter(torch.tensor([1.0]), requires_grad=False)
    e = nn.Parameter()
    r = p * 2
    return {
        "repr": repr(p), "str": str(q), "is_tensor": isinstance(p, torch.Tensor),
        "leaf": p.is_leaf, "requires_grad": p.requires_grad, "q": q.requires_grad,
        "empty": e.shape, "op_type": type(r).__name__, "data_type": type(p.data).__name__,
        "detach_type": type(p.detach()).__name__, "int_param": expect_error(
            lambda: nn.Parameter(torch.tensor([1, 2]))),
        "int_param_no_grad": nn.Parameter(torch.tensor([1, 2]), requires_grad=False),
        "buffer": [isinstance(nn.Buffer(torch.ones(1)), torch.Tensor),
                   nn.Buffer(torch.ones(1), persistent=False).persistent],
        "multiline": repr(nn.Parameter(torch.arange(6.0).reshape(2, 3))),
    }


def case_forward_missing(torch):
    return torch.nn.Module()(torch.ones(1))


def case_backward_hooks_two_inputs(torch):
    nn = torch.nn

    class Mix(nn.Module):
        def forward(self, a, b, scale):
            return a * b * scale, a + b

    m = Mix()
    log = []

    def pre(mod, grad_output):
        log.append(["pre", list(grad_output)])
        return (grad_output[0] * 2, grad_output[1])

    def hook(mod, grad_input, grad_output):
        log.append(["hook", list(grad_input), list(grad_output)])

    m.register_full_backward_pre_hook(pre)
    m.register_full_backward_hook(hook)
    a = det(torch, 3, requires_grad=True)
    b = det(torch, 3, seed=1, requires_grad=True)
    p, s = m(a, b, 3.0)
    (p.sum() + (s * 2).sum()).backward()
    return {"log": log, "a": a, "b": b, "names": [type(p.grad_fn).__name__,
                                                   type(s.grad_fn).__name__]}


def case_backward_hook_input_without_grad(torch):
    lin = fill(torch, torch.nn.Linear(2, 2))
    log = []
    lin.register_full_backward_hook(lambda mod, gi, go: log.append([list(gi), list(go)]))
    warns = warnings_of(lambda: lin(det(torch, 3, 2)).sum().backward())
    return {"log": log, "w": lin.weight, "warnings": warns}


def case_global_forward_hooks(torch):
    nn = torch.nn
    log = []
    h1 = nn.modules.module.register_module_forward_pre_hook(
        lambda mod, args: log.append(["pre", type(mod).__name__]))
    h2 = nn.modules.module.register_module_forward_hook(
        lambda mod, args, out: log.append(["post", type(mod).__name__]))
    try:
        nn.Sequential(nn.Linear(2, 2), nn.ReLU())(torch.ones(1, 2))
    finally:
        h1.remove()
        h2.remove()
    nn.ReLU()(torch.ones(1))
    return log


def case_hook_handles_and_always_call(torch):
    nn = torch.nn
    m = nn.ReLU()
    log = []
    h = m.register_forward_hook(lambda mod, a, o: log.append("always"), always_call=True)

    def boom(mod, args):
        raise ValueError("pre failed")
    hp = m.register_forward_pre_hook(boom)
    from _record import expect_error
    err = expect_error(lambda: m(torch.ones(1)))
    hp.remove()
    with m.register_forward_hook(lambda mod, a, o: log.append("ctx")):
        m(torch.ones(1))
    m(torch.ones(1))
    h.remove()
    m(torch.ones(1))
    kw = []
    m2 = nn.Linear(1, 1)
    m2.register_forward_hook(lambda mod, a, k, o: kw.append(sorted(k)), with_kwargs=True)
    m2(torch.ones(1), )
    m3 = nn.ReLU()
    m3.register_backward_hook(lambda *a: None)
    return {"error": err, "log": log, "kw": kw,
            "mixed": expect_error(lambda: m3.register_full_backward_hook(lambda *a: None))}


def case_non_full_backward_hook(torch):
    lin = fill(torch, torch.nn.Linear(3, 2))
    log = []

    def hook(mod, grad_input, grad_output):
        log.append([[None if g is None else list(g.shape) for g in grad_input],
                    list(grad_output)])
    lin.register_backward_hook(hook)
    x = det(torch, 4, 3, requires_grad=True)
    warns = warnings_of(lambda: lin(x).sum().backward())
    return {"log": log, "x": x, "warnings": warns}


def case_state_dict_hooks(torch):
    nn = torch.nn
    m = nn.Linear(2, 1)
    log = []
    m.register_state_dict_pre_hook(lambda mod, prefix, keep: log.append(["pre", prefix]))
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: log.append(["post",
                                                                             sorted(sd)]))
    m.register_load_state_dict_post_hook(lambda mod, keys: log.append(["load", repr(keys)]))
    sd = m.state_dict()
    m.load_state_dict(sd)
    return log
