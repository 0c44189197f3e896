"""Record torch's outputs for every case in compat/functional_extra_cases.py into
compat/refs/functional_extra.json.

Run with real torch 2.13: .venv-torch/bin/python compat/gen_functional_extra.py
"""

import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "compat"))

from _refs import check_torch  # noqa: E402

from compat import functional_extra_cases  # noqa: E402

OUT = ROOT / "compat" / "refs" / "functional_extra.json"


def main():
    torch = check_torch()
    torch.set_default_dtype(torch.float32)
    refs = {}
    for name in functional_extra_cases.CASES:
        torch.manual_seed(0)
        refs[name] = functional_extra_cases.run(name, torch)
    doc = {"torch": torch.__version__, "python": platform.python_version(), "cases": refs}
    OUT.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    print(f"{len(refs)} cases -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
