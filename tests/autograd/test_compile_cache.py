"""A fixed graph compiles once: training loops have no cache misses after a short warm-up, and a
backward without non-leaf hooks is a single program execution."""

import numpy as np
import pytest

import torchish as torch


def _mlp():
    rng = np.random.default_rng(0)
    X = torch.tensor(rng.normal(size=(16, 8)), dtype=torch.float32)
    Y = torch.tensor(rng.normal(size=(16, 1)), dtype=torch.float32)
    w1 = torch.tensor(rng.normal(size=(8, 32)) * 0.3, dtype=torch.float32, requires_grad=True)
    b1 = torch.zeros(32, requires_grad=True)
    w2 = torch.tensor(rng.normal(size=(32, 1)) * 0.3, dtype=torch.float32, requires_grad=True)
    return X, Y, [w1, b1, w2]


def _step(X, Y, params, observe, hook=False, zero_to_none=True):
    w1, b1, w2 = params
    h = (X @ w1 + b1).tanh()
    if hook:
        h.register_hook(lambda g: g * 0.5)
    loss = ((h @ w2 - Y) ** 2).mean()
    if observe:
        loss.item()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.05 * p.grad
            if zero_to_none:
                p.grad = None
            else:
                p.grad.zero_()
    return loss


@pytest.mark.parametrize("observe", [False, True], ids=["lazy", "item_before_backward"])
@pytest.mark.parametrize("hook", [False, True], ids=["plain", "hooked"])
@pytest.mark.parametrize("zero_to_none", [True, False], ids=["grad_none", "grad_zero_"])
def test_training_loop_has_no_misses_after_warmup(observe, hook, zero_to_none):
    X, Y, params = _mlp()
    losses = []
    for _ in range(3):
        losses.append(_step(X, Y, params, observe, hook, zero_to_none).item())
    torch.reset_compile_cache_stats()
    for _ in range(100):
        loss = _step(X, Y, params, observe, hook, zero_to_none)
    hits, misses, _ = torch.compile_cache_stats()
    assert misses == 0, (hits, misses)
    assert loss.item() < losses[0]


def test_backward_is_one_program():
    X, Y, params = _mlp()
    for _ in range(2):
        _step(X, Y, params, observe=True)
    w1, b1, w2 = params
    loss = (((X @ w1 + b1).tanh() @ w2 - Y) ** 2).mean()
    loss.item()
    torch.reset_compile_cache_stats()
    loss.backward()
    assert torch.compile_cache_stats()[2] == 1
    torch.reset_compile_cache_stats()
    assert loss.item() > 0 and w1.grad._v.data is not None  # computed by that program
    w1.grad.sum().item()
    assert torch.compile_cache_stats()[2] == 1  # only the sum runs


def test_forward_values_come_back_with_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    loss = (h * 3).sum()
    torch.reset_compile_cache_stats()
    loss.backward()
    assert torch.compile_cache_stats()[2] == 1
    assert loss.item() == pytest.approx(3 * (np.e + np.e ** 2))  # read from what came back:
    assert h.tolist() == pytest.approx([np.e, np.e ** 2])  # no second program
    assert torch.compile_cache_stats()[2] == 1
