"""Reference records of the nn module cases: every case_<name>(torch) in
compat/module_cases/<family>.py runs under real torch; its record goes to
compat/refs/modules_<family>.json (replayed by tests/nn/test_module*.py and test_layers*.py).

Run: `.venv-torch/bin/python compat/gen_modules.py [FAMILY ...]` (compat/generate.py runs it too).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import module_cases  # noqa: E402
from _record import run_case  # noqa: E402
from _refs import check_torch, write_json  # noqa: E402


def main(names) -> None:
    torch = check_torch()
    for family in names or module_cases.families():
        cases = module_cases.cases(family)
        records = {}
        for name, fn in cases.items():
            torch.manual_seed(0)
            records[name] = run_case(fn, torch)
        write_json(module_cases.ref_path(family),
                   {"torch": torch.__version__, "cases": records})
        print(f"modules_{family}: {len(records)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
