"""Random draws at the Tensor level: values enter compiled programs as inputs (a loop drawing
fresh tensors each step stops compiling after warm-up), generators are independent, state
round-trips, and the argument forms torch accepts."""

import numpy as np
import pytest

import torchish as torch
import torchish.nn.functional as F


def _misses_per_step(step, steps=8):
    out = []
    for _ in range(steps):
        before = torch.compile_cache_stats()
        step()
        out.append(torch.compile_cache_stats()[1] - before[1])
    return out


def test_fresh_randn_each_step_never_recompiles():
    g = torch.Generator().manual_seed(0)
    w = torch.zeros(4, 3, requires_grad=True)
    losses = []

    def step():
        x = torch.randn(8, 4, generator=g)
        noise = torch.rand(8, 3, generator=g)
        loss = ((x @ w + noise) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w.add_(w.grad, alpha=-0.1)
        w.grad = None
        losses.append(loss.item())

    misses = _misses_per_step(step)
    assert all(m == 0 for m in misses[3:]), misses
    assert len(set(losses)) == len(losses)  # a new draw every step, not a baked-in constant


def test_inplace_fills_and_dropout_never_recompile():
    torch.manual_seed(1)
    t = torch.empty(16, 5)
    x = torch.ones(16, 5)

    def step():
        t.normal_(0.0, 2.0)
        t.uniform_(-1.0, 1.0)
        F.dropout(x * t, p=0.25).sum().item()

    misses = _misses_per_step(step)
    assert all(m == 0 for m in misses[3:]), misses


def test_same_seed_same_numbers_and_independent_generators():
    a = torch.Generator().manual_seed(7)
    b = torch.Generator().manual_seed(7)
    x = torch.randn(40, generator=a)
    torch.manual_seed(3)
    torch.randn(100)  # the default generator does not touch a or b
    y = torch.randn(40, generator=b)
    assert np.array_equal(x.numpy(), y.numpy())
    assert a.initial_seed() == 7 and torch.initial_seed() == 3


def test_state_round_trip_and_copies():
    g = torch.Generator().manual_seed(11)
    torch.randn(3, generator=g)  # leaves a cached normal in the state
    s = g.get_state()
    first = torch.randn(5, generator=g).numpy()
    s_copy = s.clone()
    g.set_state(s)
    assert np.array_equal(torch.randn(5, generator=g).numpy(), first)
    assert np.array_equal(s.numpy(), s_copy.numpy())  # set_state and draws leave s alone
    assert s.dtype is torch.uint8 and tuple(s.shape) == (5056,)


def test_fork_rng_restores_the_default_state():
    torch.manual_seed(5)
    with torch.random.fork_rng():
        inside = torch.rand(4).numpy()
    assert np.array_equal(torch.rand(4).numpy(), inside)


@pytest.mark.parametrize("call", [
    lambda g: torch.randint(10, (6,), generator=g),
    lambda g: torch.randint(0, 10, (6,), generator=g),
    lambda g: torch.randint(low=0, high=10, size=(6,), generator=g),
    lambda g: torch.randint(high=10, size=[6], generator=g),
], ids=["high", "low_high", "keywords", "high_keyword"])
def test_randint_forms_agree(call):
    ref = torch.randint(0, 10, (6,), generator=torch.Generator().manual_seed(2))
    got = call(torch.Generator().manual_seed(2))
    assert got.dtype is torch.int64 and np.array_equal(got.numpy(), ref.numpy())


def test_size_forms_agree():
    outs = [f(torch.Generator().manual_seed(4)).numpy() for f in (
        lambda g: torch.rand(2, 3, generator=g),
        lambda g: torch.rand((2, 3), generator=g),
        lambda g: torch.rand([2, 3], generator=g),
        lambda g: torch.rand(size=(2, 3), generator=g),
        lambda g: torch.rand(torch.Size([2, 3]), generator=g))]
    assert all(np.array_equal(o, outs[0]) for o in outs)


def test_argument_errors():
    with pytest.raises(TypeError, match="normal"):
        torch.normal(0.0, 1.0)
    with pytest.raises(TypeError):
        torch.rand()
    with pytest.raises(NotImplementedError, match="check_uniform_bounds"):
        torch.rand(3, dtype=torch.int32)
    with pytest.raises(RuntimeError, match="manual_seed expected a long"):
        torch.Generator().manual_seed(1.5)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.set_rng_state(torch.zeros(5056))


def test_recorded_draw_has_zero_gradient():
    m = torch.zeros(3, requires_grad=True)
    out = torch.normal(m, 1.0)
    assert out.grad_fn.name() == "NormalBackward1"
    out.sum().backward()
    assert np.array_equal(m.grad.numpy(), np.zeros(3, np.float32))
