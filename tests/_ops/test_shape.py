"""Shape and view ops against torch 2.13 (compat/op_cases/shape.py): values, grad_fn chains,
gradients, strides and contiguity, storage sharing, joining/splitting and torch's errors."""

import pytest

import torchish
from compat import op_cases

NAMES = [n for n, _ in op_cases.cases("shape")]
# Cases that fail for reasons outside these op families (owner in the reason).
KNOWN = {}


@pytest.mark.parametrize("name", NAMES)
def test_against_torch(name):
    op_cases.assert_matches("shape", name, torchish, KNOWN)
