"""Run an unmodified torch script on torchish: an import hook serves `torch` and `torch.*` from
`torchish` and `torchish.*` (the very same module objects, so isinstance checks hold), then the
script runs as `__main__`, whole or as notebook cells (torchish/_cells.py).
"""

import importlib
import importlib.abc
import importlib.util
import sys

from torchish._cells import as_main, read_source, run_cells, trim_traceback

ALIAS, TARGET = "torch", "torchish"


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Meta path finder and loader: `torch<.rest>` is the module `torchish<.rest>`."""

    def __init__(self, alias: str, target: str):
        self.alias, self.target = alias, target

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.alias and not fullname.startswith(self.alias + "."):
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        # An ImportError here names the torchish module that is missing.
        real = importlib.import_module(self.target + spec.name[len(self.alias) :])
        spec.loader_state = real.__spec__
        return real

    def exec_module(self, module):
        # The import system set __spec__ to the alias's spec; give the module its own back.
        module.__spec__ = module.__spec__.loader_state


def install(alias: str = ALIAS, target: str = TARGET) -> None:
    """Put the alias finder first on sys.meta_path (once)."""
    if any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        return
    if alias in sys.modules:
        raise RuntimeError(f"torchish: {alias!r} was imported before the alias could be installed")
    sys.meta_path.insert(0, _AliasFinder(alias, target))


def run(path: str, args: list[str], cells: bool = False) -> int:
    """Run `path` as `python path args...` would (or as notebook cells); returns the exit code."""
    install()
    source = read_source(path)
    with as_main(path, args) as namespace:
        filename = namespace["__file__"]
        if cells:
            run_cells(source, filename, namespace)
            return 0
        code = None
        try:
            code = compile(source, filename, "exec")
            exec(code, namespace)  # noqa: S102 (running the user's script is the point)
        except Exception as e:  # noqa: BLE001 (reported as Python reports an uncaught error)
            # As `python script.py`: the traceback starts at the script, and the exit code is 1.
            tb = trim_traceback(e.__traceback__, code) if code is not None else None
            sys.excepthook(type(e), e, e.with_traceback(tb).__traceback__)
            return 1
    return 0
