"""Regenerate every committed compat reference with real torch 2.13.x:

    .venv-torch/bin/python compat/generate.py [NAME ...]

runs each compat/gen_<NAME>.py (all of them by default: gen_cases.py, gen_scripts.py and those other
areas add, such as gen_printing.py) as its own process with this interpreter. Each generator is a
standalone script writing into compat/refs/. Refuses to run under anything but torch 2.13.x.
"""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _refs import COMPAT, ROOT, check_torch


def main(names: list[str]) -> int:
    torch = check_torch()
    print(f"generating references with torch {torch.__version__} ({sys.executable})")
    gens = sorted(COMPAT.glob("gen_*.py"))
    if names:
        wanted = {f"gen_{n.removeprefix('gen_').removesuffix('.py')}.py" for n in names}
        missing = wanted - {g.name for g in gens}
        if missing:
            print(f"no such generator: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
        gens = [g for g in gens if g.name in wanted]
    failed = []
    for gen in gens:
        print(f"== {gen.name}", flush=True)
        if subprocess.run([sys.executable, str(gen)], cwd=ROOT, check=False).returncode != 0:
            failed.append(gen.name)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
