"""Small outputs of a backward program come back packed in one buffer (torchish/_packed.py)."""

import numpy as np

import torchish as torch
from torchish import _dtypes
from torchish._packed import PACK_MAX, Unpacked, layout

f32, i64 = _dtypes.float32, _dtypes.int64


def test_layout_groups_small_outputs_by_dtype():
    avals = [((3,), f32), ((), f32), ((PACK_MAX + 1,), f32), ((2, 2), i64), ((5,), f32),
             ((), i64)]
    plain, groups = layout(avals)
    assert plain == (2,)  # too big to pack
    assert groups == (((0, 1, 4), (((3,), 0, 3), ((), 3, 1), ((5,), 4, 5)), f32),
                      ((3, 5), (((2, 2), 0, 4), ((), 4, 1)), i64))


def test_a_lone_small_output_is_not_packed():
    assert layout([((3,), f32), ((PACK_MAX + 1,), f32)]) == ((0, 1), ())


def _executions():
    return torch.compile_cache_stats()[2]


def test_observing_packed_outputs_runs_no_program():
    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    b = torch.tensor(0.5, requires_grad=True)
    loss = ((w * 2 + b) ** 2).sum()
    loss.backward()
    assert type(w.grad._v.node) is Unpacked
    z = 2 * np.array([1, -2, 3], np.float32) + np.float32(0.5)
    before = _executions()
    assert loss.item() == (z ** 2).sum()
    np.testing.assert_allclose(w.grad.tolist(), 2 * z * 2)
    assert b.grad.tolist() == (2 * z).sum()
    assert repr(b.grad) == "tensor(11.)"  # 2 * (2.5 - 3.5 + 6.5)
    assert _executions() == before


def test_packed_grads_accumulate_and_update():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):  # no zeroing: each backward adds into the packed grad of the last
        (w * w).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), 3 * 2 * np.array([1.0, 2.0]))
    with torch.no_grad():
        w -= 0.1 * w.grad
    np.testing.assert_allclose(w.detach().numpy(), [1 - 0.6, 2 - 1.2], rtol=1e-6)


def test_an_observed_loss_keeps_one_program_per_step():
    """Reading the loss after each step (a running loss) must not cut the step's tape."""
    a, b = (torch.tensor(v, requires_grad=True) for v in (0.3, -0.1))
    x = torch.linspace(-1, 1, 50)
    per_step = []
    for _ in range(6):
        before = _executions()
        loss = ((a * x + b - x) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a -= 0.1 * a.grad
            b -= 0.1 * b.grad
            a.grad = b.grad = None
        loss.item()
        per_step.append(_executions() - before)
    assert per_step[1:] == [1] * 5, per_step
