"""Which of torchish's modules run compiled (see setup.py), and a guard against stale ones.

A compiled module sits beside its source and Python imports it first, so after an edit of the
source (an editable install, not rebuilt) the old compiled code would still run. The build
records the SHA-256 of every source it compiled; `guard()`, run when this module is imported
(first thing in torchish/__init__.py), sends a module whose source no longer matches to its
source instead.
"""

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


class FromSource:
    """A meta-path finder that loads the named modules from their .py files."""

    def __init__(self, paths):
        self.paths = paths

    def find_spec(self, name, path=None, target=None):
        src = self.paths.get(name)
        if src is None:
            return None
        return importlib.util.spec_from_file_location(
            name, src, loader=importlib.machinery.SourceFileLoader(name, src))


def stale(built, root=_HERE):
    """{module: source path} of the modules in `built` (module -> digest of the source it was
    compiled from) whose source under package directory `root` differs now."""
    out = {}
    for name, digest in built.items():
        src = os.path.join(root, *name.split(".")[1:]) + ".py"
        try:
            with open(src, "rb") as f:
                fresh = hashlib.sha256(f.read()).hexdigest() == digest
        except OSError:
            fresh = False
        if not fresh:
            out[name] = src
    return out


def guard():
    """Make modules compiled from an older source load from their source."""
    try:
        with open(os.path.join(_HERE, "_native.json")) as f:
            built = json.load(f)
    except (OSError, ValueError):
        return
    old = stale(built)
    if old:
        sys.meta_path.insert(0, FromSource(old))


def compiled():
    """The names of torchish's imported modules that run compiled."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted(name for name, m in list(sys.modules.items())
                  if name.startswith("torchish.") and (getattr(m, "__file__", None) or "")
                  .endswith(suffixes))


guard()
