"""Reductions, scans and sorting against torch 2.13 (compat/op_cases/reduction.py): values,
dtypes, grad_fn names, gradients (ties included), return_types and errors."""

import pytest

import torchish
from compat import op_cases

NAMES = [n for n, _ in op_cases.cases("reduction")]
# Cases that fail for reasons outside these op families (owner in the reason).
KNOWN = {}


@pytest.mark.parametrize("name", NAMES)
def test_against_torch(name):
    op_cases.assert_matches("reduction", name, torchish, KNOWN)
