"""Record real torch's results for the op cases in compat/op_cases/ into compat/refs/ops/*.json.

Run: `.venv-torch/bin/python compat/gen_ops.py [FAMILY ...]` (torch 2.13.x only). The tests in
tests/_ops/ replay the same cases under torchish and compare.
"""

import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compat import op_cases  # noqa: E402


def main(families):
    import torch

    if not torch.__version__.startswith("2.13."):
        sys.exit(f"gen_ops: needs torch 2.13.x, got {torch.__version__}")
    torch.manual_seed(0)
    op_cases.REFS.mkdir(parents=True, exist_ok=True)
    for family in families or op_cases.FAMILIES:
        records = {}
        for name, fn in op_cases.cases(family):
            if name in records:
                sys.exit(f"gen_ops: duplicate case {family}/{name}")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                records[name] = op_cases.run(fn, torch)
        data = {"torch": torch.__version__, "cases": records}
        text = json.dumps(data, indent=0, allow_nan=False, ensure_ascii=False)
        (op_cases.REFS / f"{family}.json").write_text(text + "\n")
        print(f"{family}: {len(records)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
