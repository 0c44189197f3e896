"""Where compat's inputs and references live, how they are loaded, and the torch version guard.

Generators (run under real torch) call check_torch() first and write_versions() after writing.
"""

import importlib.util
import json
import os
import platform
import sys
from pathlib import Path

COMPAT = Path(__file__).resolve().parent
ROOT = COMPAT.parent
REFS = COMPAT / "refs"
CASES = COMPAT / "cases"
SCRIPTS = COMPAT / "scripts"
TORCH_SERIES = "2.13."


def check_torch():
    """Import and return real torch, or exit: references come from torch 2.13.x only."""
    try:
        import torch
    except ImportError as e:
        sys.exit(
            f"compat: references need real torch {TORCH_SERIES}x (.venv-torch/bin/python): {e}"
        )
    version = getattr(torch, "__version__", "?")
    if (
        torch.__name__ != "torch"
        or not hasattr(torch, "_C")
        or not version.startswith(TORCH_SERIES)
    ):
        sys.exit(
            f"compat: references need real torch {TORCH_SERIES}x, got {torch.__name__} {version}"
        )
    return torch


def write_versions(torch) -> None:
    """Stamp compat/refs/VERSIONS.json with the versions that produced the references."""
    import numpy

    versions = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
    }
    write_json(REFS / "VERSIONS.json", versions)


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, allow_nan=False, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def load_file(path: Path, name: str):
    """Import a Python file as module `name` (cases and torchish/_cells.py are loaded by path)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case_modules() -> dict:
    """{module name: {case name: function}} for compat/cases/*.py, cases in definition order."""
    found = {}
    for path in sorted(CASES.glob("*.py")):
        module = load_file(path, f"compat_cases_{path.stem}")
        fns = {k[len("case_") :]: v for k, v in vars(module).items() if k.startswith("case_")}
        found[path.stem] = {k: v for k, v in fns.items() if callable(v)}
    return found


def case_refs(module: str) -> dict:
    """{case name: record} from compat/refs/cases/<module>.json ({} when not generated yet)."""
    path = REFS / "cases" / f"{module}.json"
    return json.loads(path.read_text(encoding="utf-8"))["cases"] if path.exists() else {}


def scripts() -> list[Path]:
    return sorted(SCRIPTS.glob("*.py"))


def script_ref(script: Path) -> Path:
    return REFS / "scripts" / f"{script.stem}.out"


def subprocess_env() -> dict:
    """The environment script cases run in, under torch and torchish alike."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env
