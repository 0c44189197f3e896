"""Which of torchish's modules run compiled (see setup.py), and a guard against stale ones.

A compiled module sits beside its source and Python imports it first, so after an edit of the
source (an editable install, not rebuilt) the old compiled code would still run. And compiled
modules share typed structs (the `.pxd` files): one compiled against another's old layout must not
meet it. The build records the SHA-256 of every .py and .pxd it compiled; `guard()`, run when this
module is imported (first thing in torchish/__init__.py), sends every compiled module to its
source once any of them no longer matches.
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


def digest(src):
    """SHA-256 of module source `src` and, where there is one, its .pxd (as setup.py records);
    None where the source is gone."""
    h = hashlib.sha256()
    try:
        with open(src, "rb") as f:
            h.update(f.read())
    except OSError:
        return None
    try:
        with open(src[:-3] + ".pxd", "rb") as f:
            h.update(f.read())
    except OSError:
        pass
    return h.hexdigest()


def sources(built, root=_HERE):
    """{module: source path} of the modules in `built` (module -> digest of what it was compiled
    from), all of them where any one's source under package directory `root` differs now, else
    none."""
    paths = {name: os.path.join(root, *name.split(".")[1:]) + ".py" for name in built}
    if all(digest(paths[name]) == d for name, d in built.items()):
        return {}
    return paths


def guard():
    """Make every compiled module load from its source once any was compiled from another."""
    try:
        with open(os.path.join(_HERE, "_native.json")) as f:
            built = json.load(f)
    except (OSError, ValueError):
        return
    old = sources(built)
    if old:
        sys.meta_path.insert(0, FromSource(old))


def compiled():
    """The names of torchish's imported modules that run compiled."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted(name for name, m in list(sys.modules.items())
                  if name.startswith("torchish.") and (getattr(m, "__file__", None) or "")
                  .endswith(suffixes))


guard()
