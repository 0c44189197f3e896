"""Record torch's outputs for every case in compat/functional_cases.py into
compat/refs/functional.json.

Run under an environment with real torch (2.13): python compat/gen_functional.py
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import functional_cases  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs", "functional.json")


def main():
    torch.set_default_dtype(torch.float32)
    refs = {name: functional_cases.run(name, torch) for name in functional_cases.CASES}
    doc = {"torch": torch.__version__, "python": platform.python_version(), "cases": refs}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(refs)} cases -> {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
