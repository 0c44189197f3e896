"""Structured compat cases under torchish: each case_<name> of compat/cases/<module>.py runs with
torchish, and its record must match compat/refs/cases/<module>.json (recorded with real torch):
exact text, names, dtypes, shapes and errors; numbers within compat/tolerances.py.
"""

import json

import pytest
from _compare import compare_records
from _record import run_case
from _refs import case_modules, case_refs

MODULES = case_modules()
CASES = [(m, name) for m, cases in MODULES.items() for name in cases]
REGENERATE = "regenerate with `.venv-torch/bin/python compat/generate.py cases`"


@pytest.mark.parametrize("module,name", CASES, ids=[f"{m}::{n}" for m, n in CASES])
def test_case(torchish, module, name):
    refs = case_refs(module)
    if name not in refs:
        pytest.fail(f"no reference for {module}::{name}; {REGENERATE}", pytrace=False)
    got = run_case(MODULES[module][name], torchish)
    problems = compare_records(refs[name], got)
    if problems:
        detail = "\n".join(f"- {p}" for p in problems)
        pytest.fail(
            f"{module}::{name} differs from torch:\n{detail}\n"
            f"torchish recorded: {json.dumps(got)[:2000]}",
            pytrace=False,
        )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_stale_references(module):
    stale = sorted(set(case_refs(module)) - set(MODULES[module]))
    assert not stale, f"references without a case in cases/{module}.py: {stale}; {REGENERATE}"
