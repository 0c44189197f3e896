"""Record torch's outputs for every case in compat/autograd_cases.py into compat/refs/autograd.json.

Run under an environment with real torch (2.13): python compat/gen_autograd.py
"""

import json
import os
import platform
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import autograd_cases  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs", "autograd.json")


def main():
    torch.set_default_dtype(torch.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # backward(create_graph=True) warns about a ref cycle
        refs = {name: autograd_cases.run(name, torch) for name in autograd_cases.CASES}
    doc = {"torch": torch.__version__, "python": platform.python_version(), "cases": refs}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(refs)} cases -> {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
