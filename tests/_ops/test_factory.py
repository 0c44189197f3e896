"""Creation ops against torch 2.13 (compat/op_cases/factory.py): values (float32 bitwise for
arange/linspace), dtype inference and rules, the legacy constructor and errors."""

import pytest

import torchish
from compat import op_cases

NAMES = [n for n, _ in op_cases.cases("factory")]
# Cases that fail for reasons outside these op families (owner in the reason).
KNOWN = {}


@pytest.mark.parametrize("name", NAMES)
def test_against_torch(name):
    op_cases.assert_matches("factory", name, torchish, KNOWN)
