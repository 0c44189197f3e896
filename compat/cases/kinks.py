"""Gradients at kinks, where torch's convention differs from JAX's defaults (STYLE.md section 2)."""


def _grad(torch, fn, values):
    x = torch.tensor(values, requires_grad=True)
    fn(x).sum().backward()
    return x.grad


def case_clamp_at_bounds(torch):
    values = [-1.0, 0.0, 0.5, 1.0, 2.0]
    return {
        "clamp(0,1)": _grad(torch, lambda x: x.clamp(0, 1), values),
        "clamp(min=0)": _grad(torch, lambda x: x.clamp(min=0), values),
        "clamp(max=1)": _grad(torch, lambda x: torch.clamp(x, max=1), values),
        "hardtanh(0,1)": _grad(torch, lambda x: torch.nn.functional.hardtanh(x, 0.0, 1.0), values),
    }


def case_abs_sign_relu_at_zero(torch):
    F = torch.nn.functional
    values = [-1.0, 0.0, 1.0]
    return {
        "abs": _grad(torch, torch.abs, values),
        "relu": _grad(torch, torch.relu, values),
        "F.relu": _grad(torch, F.relu, values),
        "leaky_relu": _grad(torch, lambda x: F.leaky_relu(x, 0.1), values),
        "sign": _grad(torch, torch.sign, values),
    }


def case_norm_of_zero_vector(torch):
    return {
        "norm": _grad(torch, lambda x: x.norm(), [0.0, 0.0, 0.0]),
        "linalg_vector_norm": _grad(torch, torch.linalg.vector_norm, [0.0, 0.0]),
        "norm_nonzero": _grad(torch, lambda x: x.norm(), [3.0, 4.0]),
    }


def case_max_min_ties(torch):
    values = [1.0, 3.0, 3.0]
    return {
        "max": _grad(torch, lambda x: x.max(), values),
        "min": _grad(torch, lambda x: x.min(), [2.0, 2.0, 5.0]),
        "amax": _grad(torch, lambda x: x.amax(), values),
        "max_dim": _grad(torch, lambda x: x.max(0).values, values),
        "maximum_tie": _grad(
            torch, lambda x: torch.maximum(x, torch.tensor([1.0, 3.0, 0.0])), values
        ),
    }


def case_sqrt_and_log_at_zero(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    y = torch.tensor([0.0, 1.0], requires_grad=True)
    s, lg = x.sqrt(), y.log()
    (s.sum() + lg.sum()).backward()
    return {"sqrt": s, "sqrt_grad": x.grad, "log": lg, "log_grad": y.grad}


def case_where_and_masked_gradient(torch):
    x = torch.tensor([-2.0, 0.0, 2.0], requires_grad=True)
    y = torch.where(x > 0, x * 3, torch.zeros(3))
    y.sum().backward()
    return {"y": y, "x": x}


def case_pow_at_zero(torch):
    return {
        "x**2": _grad(torch, lambda x: x**2, [0.0, 1.0]),
        "x**0.5": _grad(torch, lambda x: x**0.5, [0.0, 4.0]),
        "x**0": _grad(torch, lambda x: x**0, [0.0, 2.0]),
    }
