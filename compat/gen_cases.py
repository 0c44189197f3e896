"""Reference records of the structured cases: every case_<name>(torch) in compat/cases/<module>.py
runs under real torch and its record goes to compat/refs/cases/<module>.json.

Run: `.venv-torch/bin/python compat/gen_cases.py` (compat/generate.py runs it with the others).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import run_case
from _refs import REFS, case_modules, check_torch, write_json, write_versions


def main() -> None:
    torch = check_torch()
    total = 0
    for module, cases in case_modules().items():
        records = {name: run_case(fn, torch) for name, fn in cases.items()}
        write_json(REFS / "cases" / f"{module}.json", {"cases": records})
        total += len(records)
        print(f"cases/{module}: {len(records)} cases")
    write_versions(torch)
    print(f"{total} structured cases recorded with torch {torch.__version__}")


if __name__ == "__main__":
    main()
