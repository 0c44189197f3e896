"""More of torch.nn.functional against torch 2.13: every case of compat/functional_extra_cases.py
(attention, interpolation, pixel shuffle, cosine similarity, extra losses, gumbel_softmax,
embedding_bag, the functional surface) replayed under torchish and compared with
compat/refs/functional_extra.json; plus what a fixed reference cannot pin (compiles, bigger inputs
against a NumPy model of torch's formulas)."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import torchish  # noqa: E402
import torchish.nn.functional as F  # noqa: E402
from compat import functional_extra_cases as cases  # noqa: E402
from compat.functional_compare import compare  # noqa: E402

REFS = json.loads((ROOT / "compat" / "refs" / "functional_extra.json").read_text())["cases"]
# Record paths where torchish knowingly differs, and why; any other difference still fails.
KNOWN = {
    "mha_no_weights_uses_sdpa": (
        ("out.chain", "out.out.grad_fn"),
        "torch's flash kernel returns a (B, L, H, E)-strided output, so MHA's "
        "permute().contiguous() is a no-op view; torchish outputs are contiguous "
        "(UnsafeView/Clone)"),
}


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_against_torch(name):
    if name not in REFS:
        pytest.skip("no torch reference recorded (run compat/gen_functional_extra.py)")
    bad = []
    compare(name, cases.run(name, torchish), REFS[name], bad)
    paths, why = KNOWN.get(name, ((), ""))
    unknown = [b for b in bad if not b.startswith(tuple(f"{name}.{p}" for p in paths))]
    assert not unknown, "\n".join(unknown)
    if bad:
        pytest.xfail(why)


def test_every_reference_has_a_case():
    assert set(REFS) <= set(cases.CASES)


# ---- beyond the references ---------------------------------------------------------------------

def _bilinear_model(x, out_h, out_w):
    """NumPy model of torch's bilinear (align_corners=False) on (H, W), float64."""
    def taps(n_in, n_out):
        s = n_in / n_out
        src = np.maximum((np.arange(n_out) + 0.5) * s - 0.5, 0)
        i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
        lam = src - i0
        return i0, np.minimum(i0 + 1, n_in - 1), lam
    h0, h1, lh = taps(x.shape[0], out_h)
    w0, w1, lw = taps(x.shape[1], out_w)
    rows = x[h0] * (1 - lh)[:, None] + x[h1] * lh[:, None]
    return rows[:, w0] * (1 - lw) + rows[:, w1] * lw


def test_bilinear_matches_a_model_of_torch_on_odd_sizes():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((13, 29))
    got = F.interpolate(torchish.tensor(x[None, None]), size=(31, 17), mode="bilinear")
    np.testing.assert_allclose(got.numpy()[0, 0], _bilinear_model(x, 31, 17), rtol=1e-12)


def test_interpolate_step_compiles_once():
    x = torchish.ones(2, 3, 8, 8, requires_grad=True)
    torchish.reset_compile_cache_stats()
    for _ in range(3):
        x.grad = None
        F.interpolate(x, scale_factor=2, mode="bilinear").sum().backward()
    hits, misses, _ = torchish.compile_cache_stats()
    assert misses <= 1 and hits >= 2


def test_sdpa_scale_is_data_not_a_recompile():
    q = torchish.ones(1, 2, 3, 4, requires_grad=True)
    for s in (0.1, 0.2, 0.3):
        if s == 0.2:
            torchish.reset_compile_cache_stats()
        q.grad = None
        F.scaled_dot_product_attention(q, q, q, scale=s).sum().backward()
    assert torchish.compile_cache_stats()[1] == 0


def test_sdpa_math_and_flash_agree():
    rng = np.random.default_rng(1)
    q, k, v = (torchish.tensor(rng.standard_normal((2, 3, 5, 4)), dtype=torchish.float32,
                               requires_grad=True) for _ in range(3))
    mask = torchish.tensor(rng.standard_normal((5, 5)), dtype=torchish.float32)
    flash = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    math_path = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.requires_grad_())
    assert type(flash.grad_fn).__name__ == "ScaledDotProductFlashAttentionForCpuBackward0"
    np.testing.assert_allclose(flash.detach().numpy(), math_path.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
