"""Elementwise ops against torch 2.13 (compat/op_cases/pointwise*.py, refs in compat/refs/ops/):
values, dtypes, grad_fn chains, gradients, in-place versions and errors."""

import pytest

import torchish
from compat import op_cases

KNOWN = {}
PARAMS = [(f, n) for f in ("pointwise", "pointwise_int") for n, _ in op_cases.cases(f)]


@pytest.mark.parametrize(("family", "name"), PARAMS, ids=[n for _, n in PARAMS])
def test_against_torch(family, name):
    op_cases.assert_matches(family, name, torchish, KNOWN)
