"""lr schedulers against torch 2.13 (compat/refs/optim_lr_scheduler.json): the lr of every group
after each of 24 epochs (bit-equal: the same chainable float formulas), get_last_lr() and the
state_dict keys."""

import warnings

import pytest

import torchish as torch
import torchish.optim  # noqa: F401
from torchish.optim import lr_scheduler as S

from _optim_refs import gen, load

REFS = load("optim_lr_scheduler.json")
G = gen()


@pytest.mark.parametrize("key", list(REFS))
def test_schedule_matches_torch(key):
    ref = REFS[key]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = G.run_sched(torch, ref["name"], ref["kwargs"])
    assert got["lrs"] == ref["lrs"]
    assert got["last_lr"] == ref["last_lr"]
    assert got["state_keys"] == ref["state_keys"]


def _opt(**kw):
    return torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, **kw)


def test_scheduler_before_optimizer_step_warns_like_torch():
    opt = _opt()
    s = S.StepLR(opt, 2)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before"):
        s.step()


def test_get_lr_outside_step_warns():
    s = S.ExponentialLR(_opt(), 0.5)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        s.get_lr()


def test_onecycle_momentum_and_errors():
    opt = _opt(momentum=0.9)
    S.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    assert opt.param_groups[0]["momentum"] == 0.95
    with pytest.raises(ValueError, match="You must define either total_steps OR"):
        S.OneCycleLR(_opt(), max_lr=1.0)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        S.OneCycleLR(torch.optim.Adagrad([torch.zeros(1, requires_grad=True)]), 1.0, 5)
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        S.StepLR([], 3)


def test_state_dict_round_trip_continues_the_schedule():
    a = S.CosineAnnealingLR(_opt(), T_max=5)
    for _ in range(3):
        a.optimizer.step()
        a.step()
    b = S.CosineAnnealingLR(_opt(), T_max=5)
    b.load_state_dict(a.state_dict())
    b.optimizer.param_groups[0]["lr"] = a.optimizer.param_groups[0]["lr"]
    for _ in range(4):
        a.optimizer.step()
        a.step()
        b.optimizer.step()
        b.step()
    assert a.get_last_lr() == b.get_last_lr()


def test_closed_form_with_epoch_argument():
    s = S.StepLR(_opt(), step_size=2, gamma=0.5)
    s.optimizer.step()
    with pytest.warns(UserWarning, match="The epoch parameter"):
        s.step(5)
    assert s.get_last_lr() == [0.1 * 0.5 ** 2]
