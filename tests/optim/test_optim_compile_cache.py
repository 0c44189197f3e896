"""Optimizer steps fold into the next step's program: a fixed training loop has zero cache misses
after at most 3 warm-up steps and at most 1 XLA execution per step (2 with a `loss.item()` before
`backward()`), a new learning rate every step never recompiles, and a group's update is one row."""

import numpy as np
import pytest

import torchish as torch
import torchish.optim as optim

KINDS = [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adadelta", dict()),
    ("Adamax", dict()),
    ("NAdam", dict()),
    ("RAdam", dict()),
]


def _setup(name, kw):
    rs = np.random.RandomState(0)
    w = torch.tensor(rs.randn(4, 3).astype(np.float32), requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    x = torch.tensor(rs.randn(8, 4).astype(np.float32))
    y = torch.tensor(rs.randn(8, 3).astype(np.float32))
    opt = getattr(optim, name)([{"params": [w]}, {"params": [b], "lr": 0.05}], **kw)
    return opt, lambda: ((torch.tanh(x @ w) + b - y) ** 2).mean()


def _loop(opt, loss_fn, steps, item, sched=None):
    per_step = []
    for _ in range(steps):
        before = torch.compile_cache_stats()
        opt.zero_grad()
        loss = loss_fn()
        if item:
            loss.item()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        after = torch.compile_cache_stats()
        per_step.append((after[1] - before[1], after[2] - before[2]))
    return per_step


@pytest.mark.parametrize("item", [False, True], ids=["plain", "item_before_backward"])
@pytest.mark.parametrize("name,kw", KINDS, ids=[k[0] for k in KINDS])
def test_fixed_loop_stops_compiling(name, kw, item):
    opt, loss_fn = _setup(name, kw)
    sched = optim.lr_scheduler.ExponentialLR(opt, gamma=0.97)  # a new lr every step
    stats = _loop(opt, loss_fn, 8, item, sched)
    assert all(m == 0 for m, _ in stats[3:]), stats
    assert all(e <= (2 if item else 1) for _, e in stats[3:]), stats


def test_one_row_per_group():
    opt, loss_fn = _setup("Adam", dict(lr=0.01))
    w, b = opt.param_groups[0]["params"][0], opt.param_groups[1]["params"][0]
    loss_fn().backward()
    opt.step()
    rows = set()
    for p in (w, b):
        node = p._v.node
        assert node.op.name == "_optim_publish"
        rows.update(id(v.node) for v in node.inputs)
        assert {v.node.op.name for v in node.inputs} == {"_optim_adam"}
    assert len(rows) == 2  # one update row per group, shared by all its tensors
    st = opt.state[w]
    assert st["exp_avg"]._v.node is w._v.node.inputs[0].node


def test_state_stays_shallow_over_many_steps():
    """Pending optimizer state never chains across steps (each program returns it: as an array,
    or as a slice of the buffer its small outputs come back in)."""
    from torchish._packed import Unpacked
    opt, loss_fn = _setup("Adam", dict(lr=0.01))
    _loop(opt, loss_fn, 6, False)
    v = opt.state[opt.param_groups[0]["params"][0]]["exp_avg"]._v
    for x in v.node.inputs:
        nd = getattr(x, "node", None)
        assert nd is None or (type(nd) is Unpacked and nd.inputs[0].node is None)


def test_module_training_loop_with_loader_and_item():
    """nn model + DataLoader + loss.item() before backward + clipping + AdamW + a scheduler:
    no compile after 3 warm-up steps, 2 programs per step (the item and the backward)."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = optim.AdamW(model.parameters(), lr=1e-2)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=40)
    data = torch.utils.data.TensorDataset(torch.randn(64, 8), torch.randint(0, 4, (64,)))
    loader = torch.utils.data.DataLoader(data, batch_size=16, shuffle=True, drop_last=True)
    loss_fn = nn.CrossEntropyLoss()
    stats = []
    for _ in range(3):
        for x, y in loader:
            before = torch.compile_cache_stats()
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.item()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            after = torch.compile_cache_stats()
            stats.append((after[1] - before[1], after[2] - before[2]))
    assert stats[3:] == [(0, 2)] * (len(stats) - 3), stats
