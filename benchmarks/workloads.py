"""The benchmark workloads, written once in torch API: `make(torch)` returns (state, step).

Each takes the torch-like module as a parameter so the same code runs under real torch and under
torchish. Shapes and hyper-parameters follow ../shared/perf-baseline.md.
"""

import math


def seed(torch):
    """The autograd tutorial's graph: x @ w + b, BCE-with-logits, backward (no update)."""
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.linspace(-1, 1, 15).reshape(5, 3).requires_grad_()
    b = torch.linspace(-0.5, 0.5, 3).requires_grad_()

    def step():
        z = torch.matmul(x, w) + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        loss.backward()
        w.grad = None
        b.grad = None
        return loss
    return step


def polyfit(torch):
    """Cubic fit of sin on 2000 points, manual SGD under no_grad (the tensors-and-autograd
    tutorial)."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, requires_grad=True) for v in (0.1, -0.2, 0.05, 0.01))
    lr = 1e-6

    def step():
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
        return loss
    return step


WORKLOADS = {"seed": seed, "polyfit": polyfit}
