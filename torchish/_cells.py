"""Run a script as `__main__`, whole or as notebook cells (`# %%`, Jupyter percent format).

Imports neither torchish nor jax: compat/gen_scripts.py loads this file by path under real torch, so
the references and torchish's runs go through the same code.
"""

import builtins
import contextlib
import os
import sys
import tokenize
import traceback
import types
from importlib.machinery import SourceFileLoader

CELL_MARK = "# %%"


def read_source(path: str) -> str:
    """The script's text, decoded as Python decodes source files (coding cookie, else utf-8)."""
    with tokenize.open(path) as f:
        return f.read()


def split_cells(source: str) -> list[tuple[int, str]]:
    """(first line number, text) of each cell; a cell starts at each line beginning with `# %%`."""
    cells, start, lines = [], 1, []
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        if line.startswith(CELL_MARK) and lines:
            cells.append((start, "".join(lines)))
            start, lines = number, []
        lines.append(line)
    if lines:
        cells.append((start, "".join(lines)))
    return [(n, text) for n, text in cells if text.strip()]


@contextlib.contextmanager
def as_main(path: str, args: list[str]):
    """Yield a fresh `__main__` namespace for `path`, sys.argv and sys.path[0] set as by python."""
    filename = os.path.abspath(path)
    module = types.ModuleType("__main__")
    module.__dict__.update(
        __file__=filename,
        __builtins__=builtins,
        __loader__=SourceFileLoader("__main__", filename),
        __spec__=None,
        __package__=None,
        __cached__=None,
    )
    saved = sys.argv, sys.path[:1], sys.modules.get("__main__")
    sys.argv = [path, *args]
    sys.path[:1] = [os.path.dirname(os.path.realpath(path))]
    sys.modules["__main__"] = module
    try:
        yield module.__dict__
    finally:
        sys.argv, sys.path[:1] = saved[0], saved[1]
        if saved[2] is not None:
            sys.modules["__main__"] = saved[2]


def trim_traceback(tb, code):
    """The traceback from the frame running `code` on: drops the runner's own frames."""
    first = tb
    while tb is not None and tb.tb_frame.f_code is not code:
        tb = tb.tb_next
    return tb if tb is not None else first


def error_line(e: BaseException) -> str:
    """`ExceptionType: message`, the last line a notebook shows for a raising cell."""
    message = str(e)
    return f"{type(e).__name__}: {message}" if message else type(e).__name__


def run_cells(source: str, filename: str, namespace: dict, tracebacks: bool = True) -> int:
    """Run each cell in order in `namespace`; a raising cell prints its error line, the next runs.

    The error line goes to stdout, the full traceback (if `tracebacks`) to stderr. The last
    expression of a cell is not echoed. Returns how many cells raised.
    """
    failed = 0
    for lineno, text in split_cells(source):
        code = None
        try:
            # Pad with newlines so tracebacks and SyntaxErrors give the file's line numbers.
            code = compile("\n" * (lineno - 1) + text, filename, "exec")
            exec(code, namespace)  # noqa: S102 (running the user's script is the point)
        except Exception as e:  # noqa: BLE001 (a notebook reports any error and goes on)
            failed += 1
            sys.stdout.flush()
            if tracebacks:
                tb = trim_traceback(e.__traceback__, code) if code is not None else None
                traceback.print_exception(type(e), e, tb, file=sys.stderr)
                sys.stderr.flush()
            print(error_line(e), flush=True)
    return failed
