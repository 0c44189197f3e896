"""Reference outputs of the script cases: each compat/scripts/<name>.py runs in notebook mode under
real torch, in its own process and through torchish/_cells.py (loaded by path, so torchish itself is
not imported), and its exact stdout goes to compat/refs/scripts/<name>.out.

Run: `.venv-torch/bin/python compat/gen_scripts.py` (compat/generate.py runs it with the others).
"""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _refs import ROOT, check_torch, load_file, script_ref, scripts, subprocess_env, write_versions


def run_one(script: str) -> None:
    """Child process: run one script's cells with real torch; stdout is the reference."""
    cells = load_file(ROOT / "torchish" / "_cells.py", "_torchish_cells")
    with cells.as_main(script, []) as namespace:
        cells.run_cells(cells.read_source(script), namespace["__file__"], namespace)


def main() -> None:
    torch = check_torch()
    for script in scripts():
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(script.relative_to(ROOT))],
            check=False,
            cwd=ROOT,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if proc.returncode != 0:
            sys.exit(f"{script.name}: the runner failed (exit {proc.returncode}):\n{proc.stderr}")
        out = script_ref(script)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(proc.stdout, encoding="utf-8", newline="")
        raised = proc.stderr.count("Traceback (most recent call last)")
        print(f"scripts/{script.name}: {proc.stdout.count(chr(10))} lines, {raised} raising cells")
    write_versions(torch)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        run_one(sys.argv[2])
    else:
        main()
