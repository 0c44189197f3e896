"""nn module cases, written once against a `torch` parameter and run under both libraries.

Each `<family>.py` here holds `case_<name>(torch)` functions returning a dict of observations
(`_util.run_module` builds the usual one: repr, state_dict layout, output, input and parameter
gradients). `compat/gen_modules.py` records them with real torch into
`compat/refs/modules_<family>.json`; `tests/nn/test_module*.py` / `test_layers*.py` replay them
under torchish through `check` below.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPAT = HERE.parent
for _p in (str(COMPAT), str(COMPAT.parent)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from _compare import compare_records  # noqa: E402
from _record import run_case  # noqa: E402
from _refs import load_file  # noqa: E402

REGENERATE = "regenerate with `.venv-torch/bin/python compat/gen_modules.py`"


def families():
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


_loaded = {}


def cases(family):
    """{case name: function} of `<family>.py`, in definition order."""
    if family not in _loaded:
        module = load_file(HERE / f"{family}.py", f"module_cases_{family}")
        _loaded[family] = {k[5:]: v for k, v in vars(module).items()
                           if k.startswith("case_") and callable(v)}
    return _loaded[family]


def ref_path(family):
    return COMPAT / "refs" / f"modules_{family}.json"


def refs(family):
    path = ref_path(family)
    return json.loads(path.read_text(encoding="utf-8"))["cases"] if path.exists() else {}


def check(family, name, torch):
    """Problems (a list of strings) running case `name` with `torch` against its reference."""
    ref = refs(family)
    if name not in ref:
        return [f"no reference for {family}::{name}; {REGENERATE}"]
    got = run_case(cases(family)[name], torch)
    problems = compare_records(ref[name], got)
    if problems:
        problems.append("torchish recorded: " + json.dumps(got)[:1500])
    return problems
