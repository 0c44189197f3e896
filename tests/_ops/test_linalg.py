"""Matrix products against torch 2.13 (compat/op_cases/linalg.py): values, grad_fn chains,
gradients and torch's shape and dtype errors."""

import pytest

import torchish
from compat import op_cases

NAMES = [n for n, _ in op_cases.cases("linalg")]
# Cases that fail for reasons outside these op families (owner in the reason).
KNOWN = {}


@pytest.mark.parametrize("name", NAMES)
def test_against_torch(name):
    op_cases.assert_matches("linalg", name, torchish, KNOWN)
