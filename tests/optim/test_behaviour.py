"""Optimizer API behaviour against torch 2.13 (compat/refs/optim_behaviour.json): error types and
texts, reprs, state_dict layout and printing, param groups, names, hooks, closures, zero_grad."""

import pytest

import torchish as torch
import torchish.optim  # noqa: F401

from _optim_refs import gen, load

REFS = load("optim_behaviour.json")
G = gen()


@pytest.mark.parametrize("code", list(REFS))
def test_behaviour_matches_torch(code):
    assert G.run_behaviour(torch, code) == REFS[code]
