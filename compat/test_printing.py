"""torchish._tensor_str.format_tensor must reproduce torch's repr() exactly.

References come from compat/gen_printing.py (run under real torch) and live in
compat/refs/printing.json; this test runs without torch.
"""

import base64
import json
import math
import os

import ml_dtypes
import numpy as np
import pytest

from torchish import _tensor_str as ts

REFS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs", "printing.json")
with open(REFS) as f:
    DATA = json.load(f)


def _values(case):
    raw = base64.b64decode(case["data"])
    return np.frombuffer(raw, dtype=case["storage"]).reshape(case["shape"])


@pytest.fixture(autouse=True)
def _default_options():
    ts.set_printoptions(profile="default")
    yield
    ts.set_printoptions(profile="default")


def _format(case, values):
    ts.set_printoptions(**case["opts"])
    return ts.format_tensor(
        values,
        case["dtype"],
        default_dtype_name=case["default_dtype"],
        device=case["device"],
        requires_grad=case["requires_grad"],
        grad_fn_name=case["grad_fn"],
        prefix=case["prefix"],
    )


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_repr_matches_torch(case):
    assert _format(case, _values(case)) == case["repr"]


BF16 = [c for c in DATA["cases"] if c["dtype"] == "bfloat16"]


@pytest.mark.parametrize("case", BF16, ids=[c["name"] for c in BF16])
def test_bfloat16_given_as_ml_dtypes(case):
    values = _values(case).astype(ml_dtypes.bfloat16)
    assert _format(case, values) == case["repr"]


@pytest.mark.parametrize("seq", DATA["options"], ids=lambda s: json.dumps(s["calls"]))
def test_set_get_printoptions(seq):
    for kw in seq["calls"]:
        ts.set_printoptions(**kw)
    got = ts.get_printoptions()
    want = seq["result"]
    assert got.keys() == want.keys()
    for k in want:
        # json keeps inf as Infinity -> float('inf'); compare values, not types
        assert got[k] == want[k] or (math.isinf(got[k]) and math.isinf(want[k])), k


def test_printoptions_context_restores():
    ts.set_printoptions(precision=6, linewidth=50)
    before = ts.get_printoptions()
    with ts.printoptions(precision=2, sci_mode=True):
        assert ts.get_printoptions()["precision"] == 2
        assert ts.format_tensor(np.array([1.5], np.float32), "float32") == (
            "tensor([1.50e+00])"
        )
    assert ts.get_printoptions() == before

    @ts.printoptions(threshold=3)
    def short():
        return ts.format_tensor(np.arange(10), "int64")

    assert short() == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    assert ts.get_printoptions() == before


def test_torch_version_stamped():
    assert DATA["torch_version"].startswith("2.13")
    assert len(DATA["cases"]) >= 80
