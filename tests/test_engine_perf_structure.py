"""Structural performance properties of the lazy engine (counted, never timed): fixed training loops
stop compiling after a short warm-up, a training step runs at most two XLA programs, a long loop
keeps a flat heap, and a smaller last batch compiles once, not once per epoch."""

import gc

import numpy as np
import pytest

import training_loops

import torchish as torch
import torchish.nn as nn
import torchish.nn.functional as F
from torchish import _lazy
from torchish.utils.data import DataLoader, TensorDataset


def _stats():
    return torch.compile_cache_stats()  # (hits, misses, executions)


def _per_step(step, n):
    """(misses, executions) of each of `n` calls of `step`."""
    out = []
    for _ in range(n):
        before = _stats()
        step()
        after = _stats()
        out.append((after[1] - before[1], after[2] - before[2]))
    return out


# ---- the loops ------------------------------------------------------------------------------

def seed_loop():
    """The autograd tutorial's graph, backward only."""
    x, y = torch.ones(5), torch.zeros(3)
    w = torch.linspace(-1, 1, 15).reshape(5, 3).requires_grad_()
    b = torch.linspace(-0.5, 0.5, 3).requires_grad_()

    def step():
        z = torch.matmul(x, w) + b
        loss = F.binary_cross_entropy_with_logits(z, y)
        loss.backward()
        w.grad = None
        b.grad = None
        return loss
    return step


def polyfit_loop():
    """Manual SGD under no_grad (the tensors-and-autograd tutorial)."""
    return training_loops.manual_sgd()[0]


def module_loop(opt_name="SGD", item=False, zero_to_none=True):
    """nn.Module + optimizer + cross-entropy; optionally `loss.item()` before `backward()`."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = getattr(torch.optim, opt_name)(model.parameters(), lr=0.01)
    x, y = torch.randn(8, 12), torch.randint(0, 4, (8,))

    def step():
        opt.zero_grad(set_to_none=zero_to_none)
        loss = F.cross_entropy(model(x), y)
        if item:
            loss.item()
        loss.backward()
        opt.step()
        return loss
    return step


LOOPS = {
    "seed": (seed_loop, 1),
    "polyfit": (polyfit_loop, 1),
    "sgd": (lambda: module_loop("SGD"), 1),
    "adamw": (lambda: module_loop("AdamW"), 1),
    "sgd_zero_grad_inplace": (lambda: module_loop("SGD", zero_to_none=False), 1),
    "sgd_item_before_backward": (lambda: module_loop("SGD", item=True), 2),
    "adamw_item_before_backward": (lambda: module_loop("AdamW", item=True), 2),
}


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_fixed_loop_stops_compiling_after_three_steps(name):
    make, _ = LOOPS[name]
    stats = _per_step(make(), 12)
    assert all(m == 0 for m, _ in stats[3:]), stats


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_executions_per_training_step(name):
    """forward + backward + the folded optimizer update is one program; observing the loss
    before backward adds the forward program."""
    make, limit = LOOPS[name]
    stats = _per_step(make(), 8)
    assert all(e <= limit for _, e in stats[3:]), stats


@pytest.mark.parametrize("name", sorted(n for n in LOOPS if "item_before" not in n))
def test_backward_runs_from_the_tape_without_walking_the_graph(name):
    """A loop that observes nothing before backward finds its whole program already recorded on
    the tape (autograd/_tape_backward.py); the graph walk is the fallback, not the rule."""
    from torchish.autograd import _tape_backward as T
    took = []
    orig = T.backward

    def spy(t, retain_graph):
        r = orig(t, retain_graph)
        took.append(r)
        return r
    T.backward = spy
    try:
        step = LOOPS[name][0]()
        for _ in range(5):
            step()
    finally:
        T.backward = orig
    assert took[1:] == [True] * 4, took


def test_loss_item_after_backward_runs_no_program():
    step = module_loop("SGD")
    for _ in range(4):
        loss = step()
    before = _stats()
    loss = step()
    mid = _stats()
    loss.item()
    assert _stats()[2] == mid[2] and mid[2] - before[2] == 1


# ---- memory -----------------------------------------------------------------------------------

def _live_engine_objects():
    gc.collect()
    counts = {}
    for o in gc.get_objects():
        if isinstance(o, (_lazy.Value, _lazy.Node, torch.Tensor)):
            k = type(o).__name__ if not isinstance(o, _lazy.Node) else "Node"
            counts[k] = counts.get(k, 0) + 1
    return counts


@pytest.mark.parametrize("name", ["polyfit", "adamw", "sgd_item_before_backward"])
def test_long_loop_keeps_a_flat_heap(name):
    """No growing graphs, caches or pending chains: live Values/Nodes/Tensors and the program
    cache are the same after 2,000 more steps."""
    step = LOOPS[name][0]()
    for _ in range(20):
        loss = step()
    del loss
    before = _live_engine_objects()
    programs = len(_lazy._programs)
    for _ in range(2000):
        loss = step()
    del loss
    after = _live_engine_objects()
    assert len(_lazy._programs) == programs
    for k in set(before) | set(after):
        assert after.get(k, 0) <= before.get(k, 0) + 2, (k, before, after)


# ---- a smaller last batch ---------------------------------------------------------------------

def test_smaller_last_batch_compiles_once_not_every_epoch():
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(20, 6), torch.randint(0, 3, (20,)))
    loader = DataLoader(data, batch_size=8, shuffle=True)  # batches of 8, 8, 4
    model = nn.Sequential(nn.Linear(6, 10), nn.Tanh(), nn.Linear(10, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    misses = []
    for _ in range(5):
        before = _stats()
        for x, y in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        misses.append(_stats()[1] - before[1])
    assert sum(misses[2:]) == 0, misses
    assert loss.item() == loss.item() and np.isfinite(loss.item())


# ---- donated buffers ------------------------------------------------------------------------

def _big_loop(opt_name="SGD", **kw):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 4))  # 256 KiB weight
    opt = getattr(torch.optim, opt_name)(model.parameters(), lr=0.01, **kw)
    x, y = torch.randn(16, 256), torch.randint(0, 4, (16,))
    return model, training_loops.classify_step(model, opt, x, y)


@pytest.mark.parametrize("opt_name,kw", [("SGD", {}), ("SGD", {"momentum": 0.9}), ("AdamW", {})])
def test_donation_never_takes_a_buffer_anyone_can_read(opt_name, kw):
    """Old parameters, gradients and optimizer state are donated to the next program only when
    nothing can read them; every alias a user keeps stays readable and unchanged."""
    model, step = _big_loop(opt_name, **kw)
    w = model[0].weight
    kept = []
    for i in range(8):
        loss = step()
        if i == 2:
            snap_detach = w.detach()  # torch: shares w's storage, sees the later updates
            snap_data = w.data
            snap_clone = w.detach().clone()  # pending: holds this step's value in its lineage
            want = w.detach().numpy().copy()
            grad_alias = w.grad
            grad_want = grad_alias.numpy().copy()
            sd = {k: v for k, v in model.state_dict().items()}
        kept.append(loss)
    now = w.detach().numpy()
    assert not (now == want).all()
    for t in (snap_detach, snap_data):
        assert not t.requires_grad
        np.testing.assert_array_equal(t.numpy(), now)
    np.testing.assert_array_equal(snap_clone.numpy(), want)
    np.testing.assert_array_equal(grad_alias.numpy(), grad_want)
    np.testing.assert_array_equal(sd["0.weight"].numpy(), now)  # state_dict shares storage too
    assert [float(v) for v in kept] == [float(v) for v in kept]  # every loss still readable
    assert np.isfinite(w.detach().numpy()).all()


def test_donation_happens_for_big_gradients():
    from torchish import _lazy as L
    from torchish.autograd import _tape_backward as T
    seen = []
    origs = L._donatable, T._donatable

    def spy(orig):
        def f(*a):
            r = orig(*a)
            seen.append(0 if r is None else sum(r))
            return r
        return f
    L._donatable, T._donatable = spy(origs[0]), spy(origs[1])
    try:
        _, step = _big_loop("SGD")
        for _ in range(6):
            step()
    finally:
        L._donatable, T._donatable = origs
    assert max(seen[3:]) >= 1, seen  # at least the big weight's old gradient
