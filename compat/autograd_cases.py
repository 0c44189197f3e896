"""torch.autograd cases, run the same way by real torch (compat/gen_autograd.py records the
references into compat/refs/autograd.json) and by torchish (tests/autograd/test_vs_torch.py).

Imports neither library: `run(name, torch)` builds the case with the module it is given and returns
plain data: tensors become {values, shape, dtype, requires_grad, grad_fn name}; an error inside
`err` becomes "Type: message". Hook call orders are recorded as lists.
"""

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def snap(torch, x):
    if isinstance(x, torch.Tensor):
        gf = x.grad_fn
        return {"values": x.detach().tolist(), "shape": list(x.shape), "dtype": str(x.dtype),
                "requires_grad": x.requires_grad, "grad_fn": type(gf).__name__ if gf else None}
    if isinstance(x, dict):
        return {k: snap(torch, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [snap(torch, v) for v in x]
    if isinstance(x, (bool, int, float, str)) or x is None:
        return x
    return repr(type(x).__name__)


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the record is the point
        return f"{type(e).__name__}: {e}"
    return "no error"


def run(name, torch):
    return snap(torch, CASES[name](torch))


def _x(torch, *vals, rg=True):
    return torch.tensor(list(vals), requires_grad=rg)


# ---- hooks and retain_grad ---------------------------------------------------------------------

@case
def hook_order(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    order = []
    a = x * 2
    a.register_hook(lambda g: order.append(["h1", g.tolist()]) or g * 10)
    a.retain_grad()
    a.register_hook(lambda g: order.append(["h2", g.tolist()]))
    a.grad_fn.register_prehook(lambda go: order.append(["pre", [t.tolist() for t in go]]))
    a.grad_fn.register_hook(lambda gi, go: order.append(
        ["post", [t.tolist() if t is not None else None for t in gi], [t.tolist() for t in go]]))
    x.register_hook(lambda g: order.append(["leaf", g.tolist()]))
    (a * a).sum().backward()
    return {"order": order, "a.grad": a.grad, "x.grad": x.grad}


@case
def retain_grad_sees_hooked_value(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    a = x * 2
    a.retain_grad()
    a.register_hook(lambda g: g * 10)
    (a * a).sum().backward()
    return {"a.grad": a.grad, "x.grad": x.grad}


@case
def hook_flows_back_through_branches(torch):
    x = _x(torch, 0.5, -1.0, 2.0)
    a = x * 2
    b = a.exp()
    c = a * 3
    b.register_hook(lambda g: g * 0.5)
    a.register_hook(lambda g: g + 1)
    loss = b.sum() + (c * c).sum()
    loss.backward()
    return {"x.grad": x.grad, "loss": loss}


@case
def hooks_at_two_depths(torch):
    x = _x(torch, 1.0, 2.0)
    y = _x(torch, 3.0, -1.0)
    order = []
    a = x * y
    b = a.sin()
    c = b * a
    a.register_hook(lambda g: order.append(["a", g.tolist()]) or g * 2)
    b.register_hook(lambda g: order.append(["b", g.tolist()]) or g - 1)
    b.retain_grad()
    c.sum().backward()
    return {"order": order, "x": x.grad, "y": y.grad, "b.grad": b.grad}


@case
def hook_nan_to_zero(torch):
    x = _x(torch, 0.0, 4.0)
    s = x.sqrt()
    s.register_hook(lambda g: g * 0 + 1)
    y = s * 0
    y.sum().backward()
    return x.grad


@case
def hook_handle_remove(torch):
    x = _x(torch, 1.0, 2.0)
    a = x * 3
    h = a.register_hook(lambda g: g * 100)
    h.remove()
    a.sum().backward()
    hl = x.register_hook(lambda g: g * 7)
    (x * 1).sum().backward()
    hl.remove()
    (x * 1).sum().backward()
    return x.grad


@case
def leaf_hook_in_grad(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    x.register_hook(lambda g: g * 100)
    (g,) = torch.autograd.grad((x * 2).sum(), x)
    return {"g": g, "x.grad": x.grad}


@case
def hook_errors(torch):
    x = _x(torch, 1.0, 2.0, 3.0)

    def bad(hook):
        a = x * 2
        a.register_hook(hook)
        a.sum().backward()
    return {
        "shape": err(lambda: bad(lambda g: g[:2])),
        "dtype": err(lambda: bad(lambda g: g.double())),
        "not_tensor": err(lambda: bad(lambda g: 3)),
        "no_grad_hook": err(lambda: torch.ones(3).register_hook(lambda g: g)),
        "no_grad_retain": err(lambda: torch.ones(3).retain_grad()),
    }


@case
def retain_grad_accumulates(torch):
    x = _x(torch, 1.0, 2.0)
    a = x.exp()
    b = a * x
    a.retain_grad()
    b.retain_grad()
    loss = b.sum()
    loss.backward(retain_graph=True)
    first = a.grad.clone()
    loss.backward()
    return {"first": first, "a.grad": a.grad, "b.grad": b.grad, "x.grad": x.grad,
            "leaf_retain": x.retains_grad, "a_retains": a.retains_grad}


@case
def node_hooks_two_inputs(torch):
    x = _x(torch, 1.0, 2.0)
    y = _x(torch, 3.0, 4.0)
    seen = []
    z = x * y
    z.grad_fn.register_prehook(lambda go: (go[0] * 2,))
    z.grad_fn.register_hook(lambda gi, go: seen.append([[t.tolist() for t in gi],
                                                        [t.tolist() for t in go]])
                            or (gi[0], gi[1] * 0))
    (z * z).sum().backward()
    return {"seen": seen, "x": x.grad, "y": y.grad}


@case
def post_accumulate_grad_hook(torch):
    x = _x(torch, 1.0, 2.0)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    return seen


@case
def hook_on_one_output_of_multi_output_node(torch):
    x = torch.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    v, i = x.max(1)
    v.register_hook(lambda g: g * 3)
    (v * 2).sum().backward()
    return {"x.grad": x.grad, "i": i}


@case
def hook_with_create_graph(torch):
    x = _x(torch, 1.0, 2.0)
    a = x**2
    a.register_hook(lambda g: g * 3)
    (g,) = torch.autograd.grad(a.sum() * x.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return {"g": g.detach(), "h": h}


# ---- create_graph ------------------------------------------------------------------------------

@case
def higher_order(torch):
    x = _x(torch, 0.5, 1.5)
    y = (x**4).sum()
    (g1,) = torch.autograd.grad(y, x, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = torch.autograd.grad(g2.sum(), x)
    return {"g1": g1, "g2": g2, "g3": g3}


@case
def create_graph_names(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    out = {}
    for name, f in [("cube", lambda a: a**3), ("exp", lambda a: a.exp()),
                    ("log", lambda a: a.log()), ("tanh", lambda a: a.tanh()),
                    ("square_by_mul", lambda a: a * a), ("linear", lambda a: a * 2)]:
        (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
        out[name] = g
    return out


@case
def backward_create_graph(torch):
    x = _x(torch, 2.0, -1.0)
    y = (x**3).sum()
    y.backward(create_graph=True)
    first = x.grad
    y.backward(create_graph=True)
    second = x.grad
    x.grad = None
    second.sum().backward()
    lin = _x(torch, 1.0, 2.0)
    (2 * lin).sum().backward(create_graph=True)
    return {"first": first, "second": second, "x": x.grad, "lin": lin.grad}


@case
def grad_outputs_requiring_grad(torch):
    x = _x(torch, 1.0, 2.0)
    v = _x(torch, 0.5, -2.0)
    (g,) = torch.autograd.grad(x.exp(), x, grad_outputs=v, create_graph=True)
    gv, gx = torch.autograd.grad(g.sum(), [v, x])
    return {"g": g, "gv": gv, "gx": gx}


@case
def hessian_vector_by_double_grad(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    w = torch.tensor([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0]])
    y = ((w @ x).tanh() ** 2).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    v = torch.tensor([1.0, 0.0, -1.0])
    (hv,) = torch.autograd.grad(g, x, grad_outputs=v)
    return {"g": g.detach(), "hv": hv}


# ---- backward()/grad() arguments ---------------------------------------------------------------

@case
def grad_errors(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    w = _x(torch, 1.0, 1.0, 1.0)
    ag = torch.autograd.grad
    return {
        "materialize_without_allow": err(lambda: ag((x * 2).sum(), x, allow_unused=False,
                                                   materialize_grads=True)),
        "unused": err(lambda: ag((x * 2).sum(), [x, w])),
        "allow_unused": ag((x * 2).sum(), [x, w], allow_unused=True),
        "materialize": ag((x * 2).sum(), [x, w], materialize_grads=True),
        "shape": err(lambda: ag(x * 2, [x], grad_outputs=torch.ones(2))),
        "implicit": err(lambda: ag(x * 2, [x])),
        "input_no_grad": err(lambda: ag((x * 2).sum(), [torch.ones(3)])),
        "output_no_grad": err(lambda: ag(torch.ones(3).sum(), [x])),
        "backward_empty_inputs": err(lambda: (x * 2).sum().backward(inputs=[])),
        "backward_count": err(lambda: torch.autograd.backward([(x * 2).sum()],
                                                              [torch.ones(2)])),
        "batched": ag(x * 2, x, is_grads_batched=True,
                      grad_outputs=torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 1.0]])),
    }


@case
def backward_inputs(torch):
    x = _x(torch, 1.0, 2.0)
    w = _x(torch, 3.0, 4.0)
    u = _x(torch, 0.0, 0.0)
    a = x * w
    loss = (a * a).sum()
    loss.backward(inputs=[a, w], retain_graph=True)
    loss.backward(inputs=[u])
    return {"x.grad": x.grad, "w.grad": w.grad, "a.grad": a.grad, "u.grad": u.grad}


@case
def retain_graph_rules(torch):
    x = _x(torch, 1.0, 2.0, 3.0)
    res = {}
    for name, f in [("exp", lambda: x.exp()), ("mul", lambda: x * x), ("mul_scalar", lambda: x * 2),
                    ("add", lambda: x + 1), ("sum", lambda: x.view(3)), ("tanh", lambda: x.tanh()),
                    ("pow", lambda: x**2), ("div", lambda: x / 2)]:
        y = f().sum()
        y.backward()
        res[name] = err(y.backward)
    x.grad = None
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    res["twice"] = x.grad
    return res


@case
def detach_and_no_grad_block(torch):
    x = _x(torch, 1.0, 2.0)
    y = x * 3
    z = y.detach() * x
    with torch.no_grad():
        c = x * 5
    loss = (z + c * x + y).sum()
    loss.backward()
    return {"x.grad": x.grad, "c": c, "z": z}


# ---- torch.autograd.Function -------------------------------------------------------------------

def _functions(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    class MulConst(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            ctx.k = k
            ctx.y = y
            ctx.flags = list(ctx.needs_input_grad)
            return x * k * y, x + y

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * ctx.k * ctx.y + g2, None, None

    class Clamp(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.clamp(min=0)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.set_materialize_grads(False)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x > 0).float() * 5

    class Split(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x * 2, idx

        @staticmethod
        def backward(ctx, g, gi):
            return g * 2 if g is not None else None

    return Exp, MulConst, Clamp, Split


@case
def function_basic(torch):
    Exp, MulConst, Clamp, Split = _functions(torch)
    x = _x(torch, 0.5, -1.0, 2.0)
    y = Exp.apply(x)
    y.sum().backward()
    res = {"y": y, "x.grad": x.grad, "name": type(y.grad_fn).__name__,
           "next": [type(f).__name__ if f else None for f, _ in y.grad_fn.next_functions]}
    x.grad = None
    w = torch.tensor([1.0, 2.0, 3.0])
    a, b = MulConst.apply(x, 3.0, w)
    (a.sum() + b.sum()).backward()
    res.update({"a": a, "b": b, "x.grad2": x.grad})
    x.grad = None
    c = Clamp.apply(x)
    c.sum().backward()
    res.update({"c": c, "x.grad3": x.grad})
    x.grad = None
    d, i = Split.apply(x)
    d.sum().backward()
    res.update({"d": d, "i": i, "x.grad4": x.grad})
    with torch.no_grad():
        res["no_grad"] = Exp.apply(x)
    return res


@case
def function_double_backward(torch):
    Exp = _functions(torch)[0]
    x = _x(torch, 0.5, 1.0)
    (g,) = torch.autograd.grad(Exp.apply(x * 2).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return {"g": g.detach(), "h": h}


@case
def function_errors(torch):
    x = _x(torch, 1.0, 2.0, 3.0)

    class Few(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g

    class BadShape(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum(0)

        @staticmethod
        def backward(ctx, g):
            return g.expand(2)

    class NonTensorGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, k):
            return a * k

        @staticmethod
        def backward(ctx, g):
            return g, g

    class Broadcast(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, g):
            return g.expand(4, 3)

    x2 = _x(torch, 1.0, 2.0, 3.0)
    Broadcast.apply(x2).sum().backward()
    Exp = _functions(torch)[0]
    y = Exp.apply(x)
    s = y.sum()
    s.backward()
    return {
        "few": err(lambda: Few.apply(x, x).sum().backward()),
        "shape": err(lambda: BadShape.apply(x).sum().backward()),
        "non_tensor": err(lambda: NonTensorGrad.apply(x, 2.0).sum().backward()),
        "broadcast_summed": x2.grad,
        "twice": err(s.backward),
    }


# ---- torch.autograd.functional -----------------------------------------------------------------

@case
def functional_values(torch):
    F = torch.autograd.functional
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([0.5, -1.0, 2.0])
    xr = _x(torch, 1.0, 2.0, 3.0)
    j = F.jacobian(lambda a: a**2, xr, create_graph=True)
    j.sum().backward()
    return {
        "jac": F.jacobian(lambda a: a.exp() * a, x),
        "jac_tuple": F.jacobian(lambda a, b: (a * b, a + b), (x, y)),
        "jac_identity": F.jacobian(lambda a: a, x),
        "jac_const": F.jacobian(lambda a: torch.ones(2), x),
        "jac_unused": F.jacobian(lambda a, b: a * 2, (x, y)),
        "hess": F.hessian(lambda a: (a**3).sum() + a.prod(), x),
        "hess_tuple": F.hessian(lambda a, b: (a * b.exp()).sum(), (x, y)),
        "hess_0d": F.hessian(lambda a: a**3, torch.tensor(2.0)),
        "vjp": F.vjp(lambda a: a.sin() * 2, x, y),
        "vjp_scalar": F.vjp(lambda a: a.sum() * 2, x),
        "jvp": F.jvp(lambda a: a.sin() * a, x, y),
        "jvp_tuple": F.jvp(lambda a, b: (a * b).sum(), (x, y), (x, x)),
        "hvp": F.hvp(lambda a: (a**3).sum(), x, y),
        "vhp": F.vhp(lambda a: (a.exp() * a).sum(), x, y),
        "jac_create_graph": j,
        "xr.grad": xr.grad,
    }


@case
def functional_errors(torch):
    F = torch.autograd.functional
    x = torch.tensor([1.0, 2.0, 3.0])
    return {
        "inputs_type": err(lambda: F.jacobian(lambda a: a * 2, 3)),
        "outputs_type": err(lambda: F.jacobian(lambda a: (a * 2, 5), x)),
        "strict_out": err(lambda: F.jacobian(lambda a: torch.ones(2), x, strict=True)),
        "strict_in": err(lambda: F.jacobian(lambda a, b: a * 2, (x, x), strict=True)),
        "hess_not_scalar": err(lambda: F.hessian(lambda a: a * 2, x)),
        "vjp_v_none": err(lambda: F.vjp(lambda a: a * 2, x)),
        "jvp_v_none": err(lambda: F.jvp(lambda a: a * 2, x)),
        "jvp_v_size": err(lambda: F.jvp(lambda a: a * 2, x, torch.ones(2))),
        "hvp_not_scalar": err(lambda: F.hvp(lambda a: a**3, x, torch.ones(3))),
    }


# ---- saved tensors modified in place -----------------------------------------------------------

@case
def version_counter(torch):
    x = _x(torch, 1.0, 2.0, 3.0)

    def exp_result():
        y = x.exp()
        y.add_(1)
        y.sum().backward()

    def tanh_result_by_index():
        y = (x * 1).tanh()
        y[0] = 5
        y.sum().backward()

    def sigmoid_then_exp():
        z = (x * 1).exp()
        w = z.sigmoid()
        z.mul_(2)
        w.sum().backward()

    def mul_input_double():
        z = x.double() * 1
        y = z * z
        z.add_(1)
        y.sum().backward()

    def mul_input_twice():
        z = x * 1
        y = z * z
        z.add_(1)
        z.add_(1)
        y.sum().backward()

    def constant_operand():
        w = torch.ones(3)
        y = x * w
        w.add_(1)
        y.sum().backward()

    def leaf_under_no_grad():
        w = _x(torch, 1.0, 1.0, 1.0)
        y = x * w
        with torch.no_grad():
            w.add_(1)
        y.sum().backward()

    def exp_input_is_fine():
        z = x * 1
        y = z.exp()
        z.add_(1)
        y.sum().backward()

    def add_saves_nothing():
        z = x * 1
        y = z + 2
        z.add_(1)
        y.sum().backward()

    return {f.__name__: err(f) for f in [exp_result, tanh_result_by_index, sigmoid_then_exp,
                                         mul_input_double, mul_input_twice, constant_operand,
                                         leaf_under_no_grad, exp_input_is_fine,
                                         add_saves_nothing]}


@case
def function_non_tensor_outputs(torch):
    seen = []

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 3, None

        @staticmethod
        def backward(ctx, g, a, b):
            seen.append([a, b])
            return g * 2

    x = _x(torch, 1.0, 2.0)
    y, k, n = F.apply(x)
    (y * k).sum().backward()
    return {"y": y, "k": k, "n": n, "x.grad": x.grad, "seen": seen[:1]}


@case
def grad_of_hooked_non_leaf_and_several_roots(torch):
    x = _x(torch, 1.0, 2.0)
    a = x * x
    a.register_hook(lambda g: g * 2)
    b = a.exp()
    c = a * 3
    ga, gx = torch.autograd.grad([b.sum(), c], [a, x], retain_graph=True,
                                 grad_outputs=[None, torch.tensor([1.0, -1.0])])
    x.grad = None
    torch.autograd.backward([b.sum(), c], [torch.tensor(2.0), torch.tensor([1.0, 0.5])])
    return {"ga": ga, "gx": gx, "x.grad": x.grad}


@case
def grad_runs_only_the_nodes_it_needs(torch):
    x = _x(torch, 1.0, 2.0)
    a = x.exp()
    b = a * 2
    y = (b * a).sum()
    (gb,) = torch.autograd.grad(y, b)
    (gx,) = torch.autograd.grad(b.sum(), x)  # exp and the first mul were not run, so not freed
    return {"gb": gb, "gx": gx, "again": err(lambda: torch.autograd.grad(y, b))}


@case
def accumulate_grad_node_hooks(torch):
    x = _x(torch, 1.0, 2.0)
    y = x * 3
    acc = y.grad_fn.next_functions[0][0]
    order = []
    acc.register_prehook(lambda go: order.append(["pre", [g.tolist() for g in go]])
                         or (go[0] * 2,))
    acc.register_hook(lambda gi, go: order.append(["post", list(gi), [g.tolist() for g in go]]))
    x.register_hook(lambda g: order.append(["tensor", g.tolist()]) or g + 1)
    x.register_post_accumulate_grad_hook(lambda t: order.append(["postacc", t.grad.tolist()]))
    y.sum().backward()
    first = list(order)
    order.clear()
    (g,) = torch.autograd.grad((x * 3).sum(), x)
    return {"first": first, "x.grad": x.grad, "grad": g, "grad_order": order}
