"""Training loops several test files run (imported, not collected: the name has no test_)."""

import math

import torchish as torch


def manual_sgd(points=200, lr=1e-6, span=math.pi):
    """The tensors-and-autograd tutorial's loop: a cubic fit of sin by manual SGD under no_grad,
    the grads set back to None. Returns (step, params); step() returns the loss."""
    x = torch.linspace(-span, span, points)
    y = torch.sin(x)
    ps = [torch.tensor(v, requires_grad=True) for v in (0.1, -0.2, 0.05, 0.01)]

    def step():
        a, b, c, d = ps
        loss = (a + b * x + c * x ** 2 + d * x ** 3 - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= lr * p.grad
                p.grad = None
        return loss
    return step, ps


def classify_step(model, opt, x, y):
    """The usual step: zero_grad, cross-entropy of model(x) against y, backward, opt.step();
    step() returns the loss."""
    F = torch.nn.functional

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step
