"""Every case of compat/autograd_cases.py run by torchish and compared with torch's record
(compat/refs/autograd.json): values, shapes, dtypes, requires_grad, grad_fn names, hook orders and
error messages.

grad_fn names of gradients recorded with create_graph are compared only where our naming rule
reproduces torch's (engine.py explains it); the rest are listed in NAMES_DIFFER.
"""

import json
import math
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "compat"))

import autograd_cases  # noqa: E402

import torchish  # noqa: E402

REFS = json.loads((ROOT / "compat" / "refs" / "autograd.json").read_text())["cases"]

# (case, path) whose grad_fn torch names after ops of a backward formula we record as one node
NAMES_DIFFER = {("functional_values", "jac_create_graph")}  # torch: ViewBackward0


def compare(case, path, got, want):
    where = f"{case}:{path}"
    if isinstance(want, dict) and "values" in want and "grad_fn" in want:
        assert isinstance(got, dict) and "values" in got, where
        for k in ("shape", "dtype", "requires_grad"):
            assert got[k] == want[k], f"{where}.{k}: {got[k]} != {want[k]}"
        if (case, path) not in NAMES_DIFFER:
            assert got["grad_fn"] == want["grad_fn"], f"{where}.grad_fn"
        compare(case, path + ".values", got["values"], want["values"])
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), where
        for k in want:
            compare(case, f"{path}.{k}" if path else k, got[k], want[k])
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got} != {want}"
        for i, (g, w) in enumerate(zip(got, want)):
            compare(case, f"{path}[{i}]", g, w)
    elif isinstance(want, float) and isinstance(got, (int, float)):
        assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-5) or (
            math.isnan(got) and math.isnan(want)), f"{where}: {got} != {want}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("name", sorted(autograd_cases.CASES))
def test_case(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = autograd_cases.run(name, torchish)
    compare(name, "", got, REFS[name])
