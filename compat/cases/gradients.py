"""Gradients of common expressions, accumulation, autograd.grad, retain_graph and create_graph."""

from _record import expect_error


def case_square_sum(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x**2).sum().backward()
    return x


def case_product_rule_and_chain(torch):
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    y = torch.tensor([2.0, -1.0], requires_grad=True)
    z = (x * y + torch.sin(x) * torch.exp(y) - torch.log(x) / y).sum()
    z.backward()
    return {"z": z, "x": x, "y": y}


def case_matmul_grads(torch):
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], requires_grad=True)
    loss = (a @ w).pow(2).mean()
    loss.backward()
    return {"loss": loss, "a": a, "w": w}


def case_broadcast_grad_reduces(torch):
    x = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    y = torch.tensor([1.0, 10.0, 100.0, 1000.0], requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    (x * y * s).sum().backward()
    return {"x": x, "y": y, "s": s}


def case_mean_and_division(torch):
    x = torch.tensor([1.0, 2.0, 4.0, 8.0], requires_grad=True)
    (x.mean() + (1 / x).sum() + x.sqrt().sum()).backward()
    return x


def case_accumulation_and_zero(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    twice = x.grad.clone()
    x.grad.zero_()
    (3 * x).sum().backward()
    return {"first": first, "twice": twice, "after_zero_and_3x": x}


def case_autograd_grad(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = torch.tensor([0.5, 0.5, 0.5], requires_grad=True)
    z = (x**2 * y).sum()
    gx, gy = torch.autograd.grad(z, (x, y))
    return {"gx": gx, "gy": gy, "x.grad_untouched": x.grad}


def case_create_graph_second_derivative(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x**3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return {"g": g, "h": h}


def case_backward_create_graph(torch):
    x = torch.tensor([2.0], requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.sum().backward()
    return {"first_grad": g, "x_after_second": x}


def case_non_scalar_backward_with_gradient(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.backward(torch.tensor([1.0, 0.1, 0.01]))
    return x


def case_retain_grad_on_non_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h**2).sum().backward()
    return {"h": h, "x": x, "retains": h.retains_grad}


def case_detach_and_no_grad_block(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        c = x * 10
    y = (x * x.detach() + c).sum()
    y.backward()
    return {"x": x, "c": c, "y": y, "grad_enabled_after": torch.is_grad_enabled()}


def case_cross_entropy_grads(torch):
    F = torch.nn.functional
    logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], requires_grad=True)
    loss = F.cross_entropy(logits, torch.tensor([0, 2]))
    loss.backward()
    return {"loss": loss, "logits": logits}


def case_bce_with_logits_tutorial(torch):
    F = torch.nn.functional
    x = torch.ones(5)
    w = torch.tensor([[0.1, -0.2, 0.3]] * 5, requires_grad=True)
    b = torch.tensor([0.5, -0.5, 0.0], requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = F.binary_cross_entropy_with_logits(z, torch.zeros(3))
    loss.backward()
    return {"z": z, "loss": loss, "w": w, "b": b}


def case_grad_through_index_write(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[1] = 0.0
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return {"y": y, "x": x}


def case_no_grad_write_keeps_graph(torch):
    # torch: an in-place write under no_grad changes the value the next op sees, while the
    # gradient still flows through the tensor's recorded grad_fn
    x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
    y = (x * 2).clone()
    with torch.no_grad():
        y.clamp_min_(1e-8)
    r = x / y
    r.sum().backward()
    return {"r": r, "x_grad": x.grad, "y_grad_fn": type(y.grad_fn).__name__}


def case_in_place_on_non_leaf_saved_state(torch):
    # torch: in-place ops whose formula needs the original input save a copy of it; those that
    # need the result see later in-place writes (the version check)
    out = {}
    for name in ("abs_", "clamp_", "pow_", "exp_", "sigmoid_"):
        x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = x * 1
        args = {"clamp_": (0, 1), "pow_": (2,)}.get(name, ())
        getattr(y, name)(*args)
        y.sum().backward()
        out[name] = x.grad

    def exp_then_add():
        x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = x * 1
        y.exp_()
        y.add_(1)
        y.sum().backward()
    out["exp_then_add"] = expect_error(exp_then_add)
    return out
