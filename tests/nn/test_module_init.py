"""Seeded initialisation, nn.init and nn.utils against torch 2.13 references
(compat/module_cases/init.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "compat"))
import module_cases  # noqa: E402

import torchish  # noqa: E402

FAMILY = "init"


@pytest.mark.parametrize("name", list(module_cases.cases(FAMILY)))
def test_case(name):
    problems = module_cases.check(FAMILY, name, torchish)
    assert not problems, "\n".join(problems)
