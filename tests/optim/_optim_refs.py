"""Loading compat/refs/optim*.json and the shared runners of compat/gen_optim.py."""

import importlib.util
import json
from pathlib import Path

COMPAT = Path(__file__).resolve().parents[2] / "compat"


def load(name):
    return json.loads((COMPAT / "refs" / name).read_text())["cases"]


def gen():
    spec = importlib.util.spec_from_file_location("compat_gen_optim", COMPAT / "gen_optim.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
