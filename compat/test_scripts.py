"""Script cases under torchish: each compat/scripts/<name>.py runs through
`python -m torchish run --cells` in a subprocess, and its stdout must match
compat/refs/scripts/<name>.out (recorded with real torch): the text exactly once memory addresses
are normalized, numbers within compat/tolerances.py.
"""

import subprocess
import sys

import pytest
from _compare import compare_text
from _refs import ROOT, script_ref, scripts, subprocess_env

SCRIPTS = scripts()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script(torchish, script):
    ref = script_ref(script)
    if not ref.exists():
        pytest.fail(
            f"no reference {ref.name}; regenerate with "
            "`.venv-torch/bin/python compat/generate.py scripts`",
            pytrace=False,
        )
    proc = subprocess.run(
        [sys.executable, "-m", "torchish", "run", "--cells", str(script.relative_to(ROOT))],
        check=False,
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(f"the runner exited {proc.returncode}:\n{proc.stderr[-4000:]}", pytrace=False)
    problems = compare_text(ref.read_text(encoding="utf-8"), proc.stdout)
    if problems:
        tracebacks = (
            f"\n\ntracebacks of raising cells (stderr):\n{proc.stderr[-4000:]}"
            if proc.stderr
            else ""
        )
        pytest.fail(
            f"{script.name} output differs from torch:\n" + "\n".join(problems) + tracebacks,
            pytrace=False,
        )
