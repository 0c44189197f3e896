"""Elementwise ops against torch 2.13 (compat/op_cases/pointwise*.py, refs in compat/refs/ops/):
values, dtypes, grad_fn chains, gradients, in-place versions and errors."""

import pytest

import torchish
from compat import op_cases

# Cases that fail for reasons outside the op families (owner in the reason); xfail, not strict.
KNOWN = {
    name: "autograd: an in-place op's own version bump trips its saved-input check (torch saves "
          "a clone of self for abs_/clamp_/pow_)"
    for name in ("inplace_abs", "inplace_clamp", "inplace_pow")
}
PARAMS = [(f, n) for f in ("pointwise", "pointwise_int") for n, _ in op_cases.cases(f)]


@pytest.mark.parametrize(("family", "name"), PARAMS, ids=[n for _, n in PARAMS])
def test_against_torch(family, name):
    op_cases.assert_matches(family, name, torchish, KNOWN)
