"""A graph freed by backward lets go of the operands no later use can need (autograd/_release.py):
the previous parameters become donatable even while the last loss is kept, and every later use
of the old graph still gets torch's gradients."""

import numpy as np
import pytest

import torchish as torch
from torchish import nn

BIG = (160, 160)  # 100 KiB of float32: large enough to be donated


def _donations(step, steps, keep):
    from torchish.autograd import _tape_backward as T
    seen = []
    orig = T._donatable

    def spy(*a):
        r = orig(*a)
        seen.append(0 if r is None else sum(r))
        return r
    T._donatable = spy
    kept = []
    try:
        for _ in range(steps):
            loss = step()
            if keep:
                kept.append(loss)
    finally:
        T._donatable = orig
    return seen


def test_keeping_the_losses_does_not_stop_donation():
    def loop():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(160, 160), nn.Tanh(), nn.Linear(160, 4))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(16, 160), torch.randint(0, 4, (16,))

        def step():  # returns the loss: a caller may keep it while the next step runs
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), nn.functional.one_hot(y, 4).float())
            loss.backward()
            opt.step()
            return loss
        return step
    dropped = _donations(loop(), 6, keep=False)
    kept = _donations(loop(), 6, keep=True)
    assert kept[3:] == dropped[3:], (kept, dropped)
    assert min(kept[3:]) >= 2, kept  # the big weight and its old gradient


def test_a_second_backward_through_released_linear_nodes():
    w = torch.randn(*BIG, requires_grad=True)
    s = (w.t() + 1).sum()
    s.backward()
    s.backward()  # torch: nothing saved, so a second pass is allowed
    np.testing.assert_array_equal(w.grad.numpy(), np.full(BIG, 2, np.float32))


def test_a_freed_node_still_raises_after_release():
    w = torch.randn(*BIG, requires_grad=True)
    s = (w.t() * w.t()).sum()
    s.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        s.backward()


def test_a_value_another_node_still_needs_is_kept():
    w = torch.randn(*BIG, requires_grad=True)
    a = w.t()
    m = a * a  # saves a: its own backward needs a's value later
    s = a.sum()
    del a
    s.backward()
    w.grad = None
    m.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * w.detach().numpy(), rtol=1e-6)


def test_retain_graph_keeps_everything():
    w = torch.randn(*BIG, requires_grad=True)
    s = (w.t() * 3.0).exp().sum()
    s.backward(retain_graph=True)
    g1 = w.grad.numpy().copy()
    s.backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * g1, rtol=1e-6)
