"""`python -m torchish run [--cells]` (torchish/__main__.py, _run.py, _cells.py), checked on a dummy
`torchish` package in a temp dir, so the aliasing and script semantics are tested without the core.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from _refs import ROOT

RUNNER_FILES = ("__main__.py", "_run.py", "_cells.py")
DUMMY = {
    "__init__.py": "class Tensor: pass\ndef tensor(x): return Tensor()\nfrom torchish import nn\n",
    "nn/__init__.py": "from torchish.nn import functional\n",
    "nn/functional.py": "def relu(x): return x\n",
    "lazy.py": "LOADED = True\n",
}


@pytest.fixture
def sandbox(tmp_path):
    """A temp dir holding a dummy torchish (with the real runner files); run(...) runs a script."""
    pkg = tmp_path / "torchish"
    for name, text in DUMMY.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text)
    for name in RUNNER_FILES:
        shutil.copy(ROOT / "torchish" / name, pkg / name)

    def run(source, *args):
        script = tmp_path / "scripts" / "s.py"
        script.parent.mkdir(exist_ok=True)
        script.write_text(textwrap.dedent(source))
        env = dict(os.environ, PYTHONPATH=str(tmp_path))
        cmd = [sys.executable, "-m", "torchish", *args]
        return subprocess.run(
            cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
        )

    return run


def test_torch_modules_are_torchish_modules(sandbox):
    proc = sandbox(
        """
        import sys
        import torch
        import torch.nn.functional as F
        from torch import nn
        from torch.nn import functional
        import torch.lazy
        import torchish, torchish.lazy
        print(torch is torchish, F is torchish.nn.functional, nn is torchish.nn, functional is F)
        print(torch.lazy is torchish.lazy, sys.modules["torch.nn"] is torchish.nn)
        print(isinstance(torch.tensor(1), torchish.Tensor), F.__spec__.name, torch.__name__)
        """,
        "run",
        "scripts/s.py",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "True True True True",
        "True True",
        "True torchish.nn.functional torchish",
    ]


def test_script_runs_as_main(sandbox, tmp_path):
    proc = sandbox(
        """
        import os, pickle, sys
        class Point:
            pass
        print(sys.argv)
        here = os.path.abspath("scripts")
        print(__name__, __file__ == os.path.join(here, "s.py"), sys.path[0] == here)
        print(Point.__module__, sys.modules["__main__"].__dict__ is globals())
        print(type(pickle.loads(pickle.dumps(Point()))).__name__)
        """,
        "run",
        "scripts/s.py",
        "a",
        "--flag",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "['scripts/s.py', 'a', '--flag']",
        "__main__ True True",
        "__main__ True",
        "Point",
    ]


def test_exception_gives_script_traceback_and_exit_1(sandbox):
    proc = sandbox(
        """
        import torch
        def f():
            raise ValueError("boom")
        f()
        """,
        "run",
        "scripts/s.py",
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Traceback (most recent call last):\n")
    assert 's.py", line 4, in f' in proc.stderr
    assert proc.stderr.endswith("ValueError: boom\n")
    assert "_run.py" not in proc.stderr and "__main__.py" not in proc.stderr


def test_exit_code_and_missing_submodule(sandbox):
    assert sandbox("import sys\nsys.exit(3)\n", "run", "scripts/s.py").returncode == 3
    proc = sandbox("import torch.nope\n", "run", "scripts/s.py")
    assert proc.returncode == 1 and "No module named 'torchish.nope'" in proc.stderr


def test_cells_mode(sandbox):
    proc = sandbox(
        """
        import torch
        # %% a cell
        x = 1
        x + 1
        print("x", x)
        # %%
        raise RuntimeError("bad\\nsecond line")
        # %%
        print("after")
        {}["k"]
        # %%
        def (
        # %%
        raise KeyboardInterrupt if False else StopIteration
        # %%
        print("end", __name__, x)
        """,
        "run",
        "--cells",
        "scripts/s.py",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "x 1",
        "RuntimeError: bad",
        "second line",
        "after",
        "KeyError: 'k'",
        "SyntaxError: invalid syntax (s.py, line 13)",
        "StopIteration",
        "end __main__ 1",
    ]
    assert 's.py", line 8, in <module>' in proc.stderr  # full tracebacks go to stderr


def test_usage(sandbox):
    proc = sandbox("", "walk")
    assert proc.returncode == 2 and proc.stderr.startswith("usage: python -m torchish run")
    assert sandbox("", "--help").returncode == 0


def test_cells_module_loads_alone():
    """gen_scripts.py loads torchish/_cells.py by path under real torch: no torchish, no jax."""
    code = textwrap.dedent(
        """
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("cells", sys.argv[1])
        cells = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cells)
        assert "torchish" not in sys.modules and "jax" not in sys.modules
        print(cells.split_cells(sys.argv[2]))
        """
    )
    source = "# head\nimport torch\n# %% one\na = 1\n\n# %%\n\n# %%\nb = 2\n"
    cmd = [sys.executable, "-c", code, str(ROOT / "torchish" / "_cells.py"), source]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    expected = [
        (1, "# head\nimport torch\n"),
        (3, "# %% one\na = 1\n\n"),
        (6, "# %%\n\n"),
        (8, "# %%\nb = 2\n"),
    ]
    assert proc.stdout.strip() == repr(expected)
