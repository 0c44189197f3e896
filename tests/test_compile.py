"""torchish.compile: a step function traced into one XLA program gives the lazy engine's results
(losses and parameters, step by step), runs ONE program per step after warm-up, re-traces only when
its guard changes, and falls back to the lazy engine where it cannot trace."""

import numpy as np
import pytest

import training_loops

import torchish as torch
import torchish.nn as nn
import torchish.nn.functional as F
from torchish.utils.data import DataLoader, TensorDataset


def _stats():
    return torch.compile_cache_stats()  # (hits, misses, executions)


# ---- the loops: each make() builds fresh, identically seeded state ---------------------------

def _mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 5)), (8, 3, 4, 4)


def _cnn():
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(4 * 3 * 3, 5)), (8, 3, 8, 8)


class _TinyGPT(nn.Module):
    """Embedding, causal self-attention with a mask buffer, LayerNorm, GELU MLP, lm head."""

    def __init__(self, vocab=11, block=6, d=8):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.ln = nn.LayerNorm(d)
        self.attn, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.head = nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.tril(torch.ones(block, block)))

    def forward(self, idx):
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(T))
        q, k, v = self.attn(self.ln(x)).split(x.shape[-1], dim=2)
        att = (q @ k.transpose(-2, -1)) / 8 ** 0.5
        att = att.masked_fill(self.mask[:T, :T] == 0, float("-inf")).softmax(-1)
        x = x + self.proj(att @ v)
        return self.head(x + self.mlp(self.ln(x)))


def make_loop(arch="mlp", opt_name="SGD", set_to_none=True, item=False, **opt_kw):
    torch.manual_seed(0)
    if arch == "gpt":
        model = _TinyGPT()
        x, y = torch.randint(0, 11, (4, 6)), torch.randint(0, 11, (4, 6))
    else:
        model, shape = {"mlp": _mlp, "cnn": _cnn}[arch]()
        x, y = torch.randn(*shape), torch.randint(0, 5, (shape[0],))
    opt = getattr(torch.optim, opt_name)(model.parameters(), lr=0.01, **opt_kw)

    def step():
        opt.zero_grad(set_to_none=set_to_none)
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        if item:
            loss.item()
        loss.backward()
        opt.step()
        return loss
    return model, opt, step


def _run(step, n):
    return [step().item() for _ in range(n)]


CASES = [("mlp", "SGD", True, {}), ("mlp", "SGD", False, {"momentum": 0.9}),
         ("cnn", "Adam", True, {}), ("cnn", "SGD", False, {}),
         ("gpt", "AdamW", True, {}), ("gpt", "AdamW", False, {"weight_decay": 0.1}),
         ("mlp", "Adam", True, {"amsgrad": True})]


@pytest.mark.parametrize("arch,opt_name,set_to_none,kw", CASES)
def test_compiled_loop_equals_the_lazy_engine(arch, opt_name, set_to_none, kw):
    # the same math in differently cut XLA programs (the lazy engine folds each update into the
    # next step and packs small outputs): equal up to float32 rounding, not bit for bit. Under
    # Adam, an element whose gradient is rounding noise (the attention's key bias: softmax
    # ignores it) moves by up to lr in a direction the noise picks, so it is left out
    model_a, opt_a, lazy = make_loop(arch, opt_name, set_to_none, **kw)
    model_b, opt_b, step = make_loop(arch, opt_name, set_to_none, **kw)
    compiled = torch.compile(step)
    np.testing.assert_allclose(_run(lazy, 6), _run(compiled, 6), rtol=1e-6)
    for (name, a), b in zip(model_a.named_parameters(), model_b.parameters()):
        _close(a.grad, b.grad, name)
        signal = np.abs(a.grad.numpy()) > 1e-6 if opt_name.startswith("Adam") else True
        np.testing.assert_allclose(np.where(signal, a.detach().numpy(), 0),
                                   np.where(signal, b.detach().numpy(), 0), rtol=1e-5,
                                   atol=1e-7, err_msg=name)
    for p_a, p_b in zip(model_a.parameters(), model_b.parameters()):
        for k, v in opt_a.state[p_a].items():
            _close(v, opt_b.state[p_b][k], k)


def _close(a, b, what):
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7, err_msg=what)


@pytest.mark.parametrize("arch,opt_name", [("mlp", "SGD"), ("cnn", "SGD"), ("gpt", "AdamW")])
def test_one_program_execution_per_step_after_warm_up(arch, opt_name):
    step = torch.compile(make_loop(arch, opt_name)[2])
    per_step = []
    for _ in range(8):
        before = _stats()
        step()
        after = _stats()
        per_step.append((after[1] - before[1], after[2] - before[2]))
    assert per_step[2:] == [(0, 1)] * 6, per_step


def test_a_step_that_drops_its_grads_compiles_to_one_program():
    """A backward inside the function spends the returned loss's graph even when the function
    sets the grads it made back to None (nothing outside can need that graph)."""
    (lazy, lp), (comp, cp) = (training_loops.manual_sgd(lr=1e-4, span=3.0) for _ in range(2))
    comp = torch.compile(comp, fullgraph=True)
    for i in range(6):
        a = lazy()
        before = _stats()
        b = comp()
        if i >= 2:
            assert _stats()[1:] == (before[1], before[2] + 1), (before, _stats())
        assert float(a.detach()) == pytest.approx(float(b.detach()), rel=1e-6)
    np.testing.assert_allclose([float(p) for p in lp], [float(p) for p in cp], rtol=1e-6)
    assert all(p.grad is None for p in cp)


def test_observing_the_loss_inside_falls_back_with_the_same_results():
    _, _, lazy = make_loop("mlp", "SGD", item=True)
    model, _, step = make_loop("mlp", "SGD", item=True)
    compiled = torch.compile(step)
    assert _run(lazy, 5) == _run(compiled, 5)
    assert not any(compiled._entries.values()) and compiled._lazy


def test_fullgraph_raises_where_it_would_fall_back():
    compiled = torch.compile(make_loop("mlp", "SGD", item=True)[2], fullgraph=True)
    compiled()
    with pytest.raises(RuntimeError, match="fullgraph"):
        compiled()


def test_dropout_draws_fall_back_and_keep_the_random_stream():
    def make():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 8), nn.Dropout(0.5), nn.Linear(8, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(5, 6), torch.randint(0, 2, (5,))
        return training_loops.classify_step(model, opt, x, y)
    ref = _run(make(), 5)
    compiled = torch.compile(make())
    assert ref == _run(compiled, 5)
    assert compiled._lazy and not compiled._programs


def test_lr_scheduler_outside_the_function_is_honoured():
    def make():
        model, opt, step = make_loop("mlp", "SGD")
        return opt, step, torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    opt_a, lazy, sched_a = make()
    opt_b, step, sched_b = make()
    compiled = torch.compile(step)
    a, b = [], []
    for _ in range(6):
        a.append(lazy().item())
        sched_a.step()
        b.append(compiled().item())
        sched_b.step()
    assert a == b
    assert opt_b.param_groups[0]["lr"] == opt_a.param_groups[0]["lr"]


def test_smaller_last_batch_retraces_once_not_every_epoch():
    def make():
        torch.manual_seed(0)
        data = TensorDataset(torch.randn(20, 6), torch.randint(0, 3, (20,)))
        loader = DataLoader(data, batch_size=8, shuffle=True)  # batches of 8, 8, 4
        model = nn.Sequential(nn.Linear(6, 10), nn.Tanh(), nn.Linear(10, 3))
        opt = torch.optim.Adam(model.parameters(), lr=0.1)

        def step(x, y):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss
        return loader, step
    loader, lazy = make()
    ref = [lazy(x, y).item() for _ in range(4) for x, y in loader]
    loader, step = make()
    compiled = torch.compile(step)
    misses, got = [], []
    for _ in range(4):
        before = _stats()
        got += [compiled(x, y).item() for x, y in loader]
        misses.append(_stats()[1] - before[1])
    assert got == ref
    assert misses[2:] == [0, 0], misses
    assert compiled._programs == 2


def test_changing_tensor_arguments_and_in_place_inputs():
    """Arguments are inputs each call; a closed-over tensor updated in place is state."""
    torch.manual_seed(0)
    w = torch.randn(3, requires_grad=True)
    scale = torch.ones(())

    @torch.compile
    def f(x):
        loss = ((x * w).sum() * scale) ** 2
        loss.backward()
        with torch.no_grad():
            w.sub_(0.1 * w.grad)
            w.grad = None
        return loss.detach(), w.detach() * 2
    got = []
    for i in range(5):
        scale.fill_(float(i))
        loss, w2 = f(torch.full((3,), float(i + 1)))
        got.append((loss.item(), w2.tolist()))
    assert f._programs == 1 and not f._lazy
    torch.manual_seed(0)
    w = torch.randn(3, requires_grad=True)
    for i, (loss, w2) in enumerate(got):
        x = torch.full((3,), float(i + 1))
        ref = ((x * w).sum() * i) ** 2
        ref.backward()
        with torch.no_grad():
            w.sub_(0.1 * w.grad)
            w.grad = None
        assert loss == ref.item() and w2 == (w * 2).tolist()


def test_aliased_tensor_arguments_do_not_reuse_a_program_traced_without_aliasing():
    """A program treats its tensor arguments and state as separate inputs: a call passing one
    tensor twice, or a state tensor as an argument, must not run a program traced without that
    aliasing, nor one traced with it run a call without it (torch sees the aliasing)."""
    @torch.compile
    def f(x, y):
        x.add_(1)
        return y * 2
    for _ in range(3):
        f(torch.zeros(2), torch.zeros(2))
    c = torch.zeros(2)
    assert f(c, c).tolist() == [2.0, 2.0]
    assert f._programs == 1

    w = torch.ones(2)

    @torch.compile
    def g(x):
        w.add_(1)
        return x * 1
    for _ in range(3):
        g(torch.zeros(2))
    assert g(w).tolist() == [5.0, 5.0]
    assert g(torch.zeros(2)).tolist() == [0.0, 0.0] and w.tolist() == [6.0, 6.0]

    v = torch.ones(2)

    @torch.compile
    def h(x):  # traced with the state tensor `v` as its argument
        v.add_(1)
        return x * 1
    for _ in range(3):
        h(v)
    assert h(torch.zeros(2)).tolist() == [0.0, 0.0] and v.tolist() == [5.0, 5.0]
    assert h(v).tolist() == [6.0, 6.0]


def test_compiled_module_inference_and_train_eval_guard():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 2))
    cm = torch.compile(model)
    assert isinstance(cm.parameters().__next__(), torch.Tensor)
    x = torch.randn(5, 4)
    with torch.no_grad():
        train = [cm(x) for _ in range(3)]  # BatchNorm updates its running stats each call
        model.eval()
        ev = cm(x)
        ref_ev = model(x)
    assert torch.equal(ev, ref_ev)
    assert not torch.equal(train[0], ev)
    assert int(model[1].num_batches_tracked) == 3
    assert cm._compiled._programs == 2 and not cm._compiled._lazy  # train, eval


def test_forward_whose_output_is_differentiated_outside_runs_lazily():
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    cm = torch.compile(model)
    x = torch.randn(4, 3)
    for _ in range(3):
        model.zero_grad()
        cm(x).sum().backward()
    g = model.weight.grad.clone()
    model.zero_grad()
    model(x).sum().backward()
    assert torch.equal(g, model.weight.grad)
    assert cm._compiled._lazy and not cm._compiled._programs


def test_decorator_forms_and_disable():
    def f(x):
        return x * 2
    assert torch.compile(f, disable=True) is f
    g = torch.compile(mode="max-autotune", dynamic=False)(f)
    h = torch.compile()(f)
    x = torch.arange(3.0)
    for c in (g, h, torch.compile(f, backend="eager")):
        for _ in range(3):
            assert c(x).tolist() == [0.0, 2.0, 4.0]
    assert g.__name__ == "f"


def test_out_of_range_targets_still_raise_uncompiled():
    with pytest.raises(IndexError, match="Target 7 is out of bounds"):
        F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 7]))
