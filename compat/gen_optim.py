"""Record real torch's optimizers and lr schedulers for tests/optim.

Run with the reference env (real torch, never imported by torchish):
    .venv-torch/bin/python compat/gen_optim.py
Writes compat/refs/optim.json (per optimizer config: the loss and every parameter after each of 20
steps, the repr, the final state_dict) and compat/refs/optim_lr_scheduler.json (per scheduler
config: get_last_lr() over the epochs, and the state_dict keys). The runners below take the torch
module as an argument; tests/optim runs the same code under torchish.
"""

import math
import sys
from pathlib import Path

import numpy as np

STEPS = 20

# (optimizer, kwargs as source): each runs STEPS steps of the same small problem
OPTIM = [
    ("SGD", "dict(lr=0.1)"),
    ("SGD", "dict(lr=0.1, momentum=0.9)"),
    ("SGD", "dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)"),
    ("SGD", "dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)"),
    ("SGD", "dict(lr=0.1, maximize=True)"),
    ("Adam", "dict(lr=0.1)"),
    ("Adam", "dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)"),
    ("Adam", "dict(lr=0.1, amsgrad=True, maximize=True)"),
    ("Adam", "dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)"),
    ("AdamW", "dict(lr=0.1)"),
    ("AdamW", "dict(lr=0.1, amsgrad=True, weight_decay=0.1, eps=1e-6)"),
    ("RMSprop", "dict(lr=0.01)"),
    ("RMSprop", "dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)"),
    ("RMSprop", "dict(lr=0.01, alpha=0.9, eps=1e-6, maximize=True)"),
    ("Adagrad", "dict(lr=0.1)"),
    ("Adagrad", "dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1)"),
    ("Adadelta", "dict()"),
    ("Adadelta", "dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)"),
    ("Adamax", "dict(lr=0.05)"),
    ("Adamax", "dict(lr=0.05, betas=(0.8, 0.9), weight_decay=0.1)"),
    ("NAdam", "dict(lr=0.02)"),
    ("NAdam", "dict(lr=0.05, weight_decay=0.1)"),
    ("NAdam", "dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.01)"),
    ("RAdam", "dict(lr=0.05)"),
    ("RAdam", "dict(lr=0.05, weight_decay=0.1)"),
    ("RAdam", "dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)"),
    # L-BFGS converges into a flat minimum within a few steps, where rounding decides the path
    ("LBFGS", "dict(lr=0.2, max_iter=2)", 8),
    ("LBFGS", "dict(lr=1, max_iter=4, history_size=3, line_search_fn='strong_wolfe')", 4),
]

SCHED = [
    ("StepLR", "dict(step_size=3, gamma=0.5)"),
    ("MultiStepLR", "dict(milestones=[2, 5, 9], gamma=0.3)"),
    ("ExponentialLR", "dict(gamma=0.9)"),
    ("CosineAnnealingLR", "dict(T_max=7, eta_min=0.01)"),
    ("LambdaLR", "dict(lr_lambda=lambda e: 1.0 / (e + 1))"),
    ("MultiplicativeLR", "dict(lr_lambda=lambda e: 0.95)"),
    ("OneCycleLR", "dict(max_lr=1.0, total_steps=25)"),
    ("OneCycleLR", "dict(max_lr=0.5, epochs=5, steps_per_epoch=5, anneal_strategy='linear', "
                   "three_phase=True)"),
    ("LinearLR", "dict(start_factor=0.25, total_iters=6)"),
    ("ConstantLR", "dict(factor=0.5, total_iters=4)"),
    ("CosineAnnealingWarmRestarts", "dict(T_0=4, T_mult=2, eta_min=0.001)"),
    ("PolynomialLR", "dict(total_iters=8, power=2.0)"),
    ("ReduceLROnPlateau", "dict(factor=0.5, patience=1, threshold=0.01)"),
    ("ReduceLROnPlateau", "dict(mode='max', factor=0.1, patience=0, cooldown=2, min_lr=0.002)"),
    ("SequentialLR", "dict(schedulers=['LinearLR(opt, start_factor=0.5, total_iters=3)', "
                     "'ExponentialLR(opt, gamma=0.8)'], milestones=[4])"),
    ("ChainedScheduler", "dict(schedulers=['ConstantLR(opt, factor=0.5, total_iters=3)', "
                         "'ExponentialLR(opt, gamma=0.9)'])"),
    ("CyclicLR", "dict(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5)"),
    ("CyclicLR", "dict(base_lr=[0.01, 0.02], max_lr=0.2, step_size_up=2, mode='triangular2')"),
    ("CyclicLR", "dict(base_lr=0.01, max_lr=0.1, step_size_up=4, mode='exp_range', gamma=0.9, "
                 "cycle_momentum=False)"),
]
# snippets run on fresh leaves w, b; each sets `out` (recorded as repr) or raises
BEHAVIOUR = [
    "torch.optim.SGD(w)",
    "torch.optim.SGD([])",
    "torch.optim.SGD([1.0])",
    "torch.optim.SGD({w})",
    "torch.optim.SGD([w * 2])",
    "torch.optim.SGD([w], lr=-1)",
    "torch.optim.SGD([w], momentum=-1)",
    "torch.optim.SGD([w], weight_decay=-1)",
    "torch.optim.SGD([w], nesterov=True)",
    "torch.optim.Adam([w], betas=(1.0, 0.9))",
    "torch.optim.Adam([w], betas=(0.9, 1))",
    "torch.optim.Adam([w], betas=(0.9, 0))",
    "torch.optim.Adam([w], eps=-1)",
    "torch.optim.AdamW([w], weight_decay=-1)",
    "torch.optim.RMSprop([w], alpha=-1)",
    "torch.optim.Adadelta([w], rho=2)",
    "torch.optim.Adagrad([w], lr_decay=-1)",
    "torch.optim.Adagrad([w], initial_accumulator_value=-1)",
    "torch.optim.Adamax([w], betas=(0.9, 2.0))",
    "torch.optim.NAdam([w], momentum_decay=-1)",
    "torch.optim.RAdam([w], weight_decay=-1)",
    "torch.optim.LBFGS([{'params': [w]}, {'params': [b]}])",
    "out = torch.optim.SGD([{'params': [w]}, {'params': [b], 'lr': 0.5}], lr=0.1, momentum=0.9)",
    "out = torch.optim.Adam([w])",
    "out = torch.optim.AdamW([w], lr=torch.tensor(0.01))",
    "out = torch.optim.LBFGS([w])",
    "out = torch.optim.Adagrad([w]).state_dict()",
    "o = torch.optim.SGD([w]); o.add_param_group({'params': w})",
    "o = torch.optim.SGD([w]); o.add_param_group([b])",
    "o = torch.optim.Adam([w]); o.add_param_group({'params': [b], 'lr': 0.5}); out = o.state_dict()",
    "out = torch.optim.SGD([('w', w), ('b', b)], lr=0.1).state_dict()",
    "torch.optim.SGD([('w', w), b])",
    "o = torch.optim.SGD([('w', w)]); o.add_param_group({'params': [b]})",
    "o = torch.optim.SGD([w]); o.load_state_dict({'state': {}, 'param_groups': []})",
    "torch.optim.SGD([w]).load_state_dict(torch.optim.SGD([w, b]).state_dict())",
    "w.grad = torch.ones(2); o = torch.optim.SGD([w]); o.zero_grad(set_to_none=False); out = w.grad",
    "w.grad = torch.ones(2); o = torch.optim.SGD([w]); o.zero_grad(); out = w.grad",
    "o = torch.optim.SGD([w]); o.zero_grad(set_to_none=False); out = w.grad",
    "o = torch.optim.Adam([w, b], lr=0.1); w.grad = torch.ones(2); o.step(); "
    "out = (w, b, o.state_dict())",
    "o = torch.optim.Adam([w], lr=0.1); w.grad = torch.tensor([1., -2.]); o.step(); "
    "out = o.state_dict()",
    "o = torch.optim.Adam([w], lr=0.1); w.grad = torch.tensor([1., -2.]); o.step()\n"
    "w2 = torch.tensor([1., 2.], requires_grad=True); o2 = torch.optim.Adam([w2], lr=0.5)\n"
    "o2.load_state_dict(o.state_dict()); w2.grad = torch.tensor([1., 1.]); o2.step()\n"
    "out = (w2, o2.state_dict())",
    "o = torch.optim.SGD([w], lr=0.1, momentum=0.9); w.grad = torch.ones(2); o.step(); o.step(); "
    "out = (w, o.state_dict())",
    "o = torch.optim.SGD([w], lr=torch.tensor(0.1)); w.grad = torch.ones(2); o.step(); out = w",
    "o = torch.optim.Adam([w]); w.grad = torch.ones(2); o.step(); out = list(o.state[w])",
    "o = torch.optim.SGD([w], lr=0.1); calls = []\n"
    "o.register_step_pre_hook(lambda opt, a, k: calls.append('pre'))\n"
    "h = o.register_step_post_hook(lambda opt, a, k: calls.append('post'))\n"
    "w.grad = torch.ones(2); o.step(); h.remove(); o.step(); out = (calls, w)",
    "o = torch.optim.SGD([w], lr=0.1)\n"
    "def c():\n    o.zero_grad(); l = (w ** 2).sum(); l.backward(); return l\n"
    "out = (o.step(c), w)",
    "out = torch.optim.SGD([w, w]).param_groups[0]['lr']",
    "d = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)\n"
    "o = torch.optim.Adam([d], lr=0.1); d.grad = torch.ones(2, dtype=torch.float64); o.step()\n"
    "out = (d, o.state_dict())",
]
EPOCHS = 24
PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.97, 0.8, 0.8, 0.81, 0.82, 0.83, 0.5, 0.5, 0.5, 0.49, 0.6,
                   0.6, 0.6, 0.7, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]


def problem(torch, jitter=0.0):
    """Two leaf parameters and a closure-free loss: mean((tanh(x @ w + b) - y)^2)."""
    rs = np.random.RandomState(0)
    w0 = rs.randn(3, 4) * 0.5
    b0 = rs.randn(4) * 0.5
    w0, b0 = (a * (1 + jitter * np.random.RandomState(1).randn(*a.shape)) for a in (w0, b0))
    w = torch.tensor(w0.astype(np.float32), requires_grad=True)
    b = torch.tensor(b0.astype(np.float32), requires_grad=True)
    x = torch.tensor(rs.randn(6, 3).astype(np.float32))
    y = torch.tensor(rs.randn(6, 4).astype(np.float32) * 0.5)
    return [w, b], lambda: (torch.tanh(x @ w + b) - y).pow(2).mean()


def observe(torch, obj):
    """A JSON-able picture of a state_dict: tensors as {dtype, shape, values}."""
    if isinstance(obj, torch.Tensor):
        return {"tensor": str(obj.dtype), "shape": list(obj.shape),
                "values": obj.detach().double().reshape(-1).tolist()}
    if isinstance(obj, dict):
        return {"dict": [[observe(torch, k), observe(torch, v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return {type(obj).__name__: [observe(torch, v) for v in obj]}
    if isinstance(obj, float) and not math.isfinite(obj):
        return {"float": repr(obj)}
    return obj


def run_optim(torch, name, kwargs, steps=STEPS, jitter=0.0):
    params, loss_fn = problem(torch, jitter)
    opt = getattr(torch.optim, name)(params, **eval(kwargs))
    rec = {"repr": repr(opt), "losses": [], "params": []}
    for _ in range(steps):
        if name == "LBFGS":
            def closure():
                opt.zero_grad()
                loss = loss_fn()
                loss.backward()
                return loss
            loss = opt.step(closure)
        else:
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            opt.step()
        rec["losses"].append(loss.item())
        rec["params"].append([p.detach().reshape(-1).tolist() for p in params])
    rec["state_dict"] = observe(torch, opt.state_dict())
    return rec


def make_scheduler(torch, name, kwargs, opt):
    ns = {"opt": opt, **{k: getattr(torch.optim.lr_scheduler, k) for k in
                         ("LinearLR", "ExponentialLR", "StepLR", "ConstantLR")}}
    kw = eval(kwargs, ns)
    if "schedulers" in kw:
        kw["schedulers"] = [eval(s, ns) for s in kw["schedulers"]]
    if name == "ChainedScheduler":
        return torch.optim.lr_scheduler.ChainedScheduler(kw["schedulers"])
    return getattr(torch.optim.lr_scheduler, name)(opt, **kw)


COMPLEX = [("SGD", "dict(lr=0.1, momentum=0.9, weight_decay=0.1)"), ("Adam", "dict(lr=0.1)"),
           ("AdamW", "dict(lr=0.1, amsgrad=True)"), ("RMSprop", "dict(centered=True)"),
           ("Adagrad", "dict()"), ("Adadelta", "dict()"), ("Adamax", "dict()"),
           ("NAdam", "dict()"), ("RAdam", "dict()")]


def run_complex(torch, name, kwargs):
    """Three steps on a complex parameter (torch updates it as view_as_real): [re, im] pairs."""
    p = torch.tensor([[1 + 2j, -1j], [0.5 + 0j, 3 - 1j]], requires_grad=True)
    g = torch.tensor([[0.5 - 1j, 2 + 0j], [-1 + 1j, 0.25j]])
    opt = getattr(torch.optim, name)([p], **eval(kwargs))
    for _ in range(3):
        p.grad = g * (1 + p.detach())
        opt.step()

    def pairs(t):
        return [[z.real, z.imag] for z in t.detach().reshape(-1).tolist()] if t.is_complex() \
            else t.detach().reshape(-1).tolist()
    return {"param": pairs(p), "state": {k: pairs(v) for k, v in opt.state[p].items()}}


def run_behaviour(torch, code):
    """Run a BEHAVIOUR snippet: its `out` as repr, or its error; warnings in both cases."""
    import warnings
    ns = {"torch": torch, "w": torch.tensor([1., 2.], requires_grad=True),
          "b": torch.tensor([0.5], requires_grad=True)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, ns)
            rec = {"out": repr(ns.get("out"))}
        except Exception as e:  # noqa: BLE001 - the error is the observation
            rec = {"error": type(e).__name__, "message": str(e)}
    rec["warnings"] = [str(w.message) for w in caught]
    return rec


def run_sched(torch, name, kwargs):
    w = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([{"params": [w]}, {"params": [torch.zeros(1, requires_grad=True)],
                                            "lr": 0.5}], lr=0.1, momentum=0.9)
    s = make_scheduler(torch, name, kwargs, opt)
    lrs = [[g["lr"] for g in opt.param_groups] + [g["momentum"] for g in opt.param_groups]]
    for e in range(EPOCHS):
        opt.step()
        if name == "ReduceLROnPlateau":
            s.step(PLATEAU_METRICS[e])
        else:
            s.step()
        lrs.append([g["lr"] for g in opt.param_groups] + [g["momentum"] for g in opt.param_groups])
    sd = s.state_dict()
    return {"lrs": lrs, "last_lr": s.get_last_lr(), "state_keys": sorted(sd)}


def tutorial_polyfit(torch):
    """'Learning PyTorch with Examples', PyTorch: optim -- sin(x) by a cubic, RMSprop, 2000 steps."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    losses = []
    for t in range(2000):
        loss = loss_fn(model(xx), y)
        if t % 100 == 99:
            losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    layer = model[0]
    return {"losses": losses, "bias": layer.bias.item(),
            "weight": layer.weight.detach().reshape(-1).tolist()}


def tutorial_basics(torch):
    """'Learn the Basics' optimization loop on FashionMNIST-shaped synthetic data: seeded init and
    shuffle, SGD, CrossEntropyLoss, 2 epochs, plus the test loop's accuracy."""
    nn = torch.nn
    rs = np.random.RandomState(0)
    xs = torch.tensor(rs.rand(256, 1, 28, 28).astype(np.float32))
    ys = torch.tensor(rs.randint(0, 10, 256))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512),
                          nn.ReLU(), nn.Linear(512, 10))
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xs, ys), batch_size=64,
                                        shuffle=True)
    test = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xs[:128], ys[:128]),
                                       batch_size=64)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    losses, accs = [], []
    for _ in range(2):
        model.train()
        for X, y in train:
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        model.eval()
        correct = 0
        with torch.no_grad():
            for X, y in test:
                correct += (model(X).argmax(1) == y).type(torch.float).sum().item()
        accs.append(correct)
    return {"losses": losses, "correct": accs}


TUTORIALS = {"polyfit": tutorial_polyfit, "basics": tutorial_basics}


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _refs import REFS, check_torch, write_json
    torch = check_torch()
    torch.set_printoptions(precision=4)
    out = {}
    for n, k, *steps in OPTIM:
        steps = steps[0] if steps else STEPS
        rec = run_optim(torch, n, k, steps)
        # a config is a fair test only if float rounding does not grow along its trajectory:
        # a 1e-7 relative nudge of the start must stay below the tests' tolerance
        nudged = run_optim(torch, n, k, steps, jitter=1e-7)
        drift = max(abs(a - b) for s1, s2 in zip(rec["params"], nudged["params"])
                    for p1, p2 in zip(s1, s2) for a, b in zip(p1, p2))
        if drift > 2e-6:
            sys.exit(f"gen_optim: {n} {k} amplifies rounding (drift {drift:.1e}); retune it")
        out[f"{n}:{k}"] = {"name": n, "kwargs": k, "steps": steps, **rec}
    write_json(REFS / "optim.json", {"torch": torch.__version__, "cases": out})
    tut = {name: fn(torch) for name, fn in TUTORIALS.items()}
    write_json(REFS / "optim_tutorials.json", {"torch": torch.__version__, "cases": tut})
    cplx = {f"{n}:{k}": {"name": n, "kwargs": k, **run_complex(torch, n, k)} for n, k in COMPLEX}
    write_json(REFS / "optim_complex.json", {"torch": torch.__version__, "cases": cplx})
    beh = {code: run_behaviour(torch, code) for code in BEHAVIOUR}
    write_json(REFS / "optim_behaviour.json", {"torch": torch.__version__, "cases": beh})
    sch = {f"{n}:{k}": {"name": n, "kwargs": k, **run_sched(torch, n, k)} for n, k in SCHED}
    write_json(REFS / "optim_lr_scheduler.json", {"torch": torch.__version__, "cases": sch})


if __name__ == "__main__":
    main()
