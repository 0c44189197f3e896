"""Build: torchish is pure Python; where Cython and a C compiler are at hand, the install also
compiles the modules every recorded op and every training step runs through, because their
bytecode is most of a small step's time. The source stays plain Python: beside a few of them an
augmenting `.pxd` types the recorder's hot objects (Value, NodeState, OpDef, Tape) as C structs.
Measured on the benchmarks' 2-core machine: a polyfit step 93 -> 58 us, a seed step 33 -> 20 us.

Compiling is optional: where a module cannot be built, the install goes on and the package runs
as Python. The build writes `torchish/_native.json` (module -> SHA-256 of the .py and .pxd it
compiled); `torchish/_native.py` makes every module run as Python once any of those has changed.
"""

import importlib.util
import json
import os

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

COMPILED = (
    "torchish._dispatch", "torchish._tape", "torchish._tensor", "torchish._lazy",
    "torchish._packed", "torchish._views", "torchish._dtypes",
    "torchish.autograd._tape_backward", "torchish.autograd.graph", "torchish.autograd.engine",
    "torchish.autograd.grad_mode", "torchish.autograd._release",
    "torchish._ops.binary", "torchish._ops._surface", "torchish._ops._registry",
    "torchish._ops.pointwise", "torchish._ops.reduction", "torchish._ops.shape",
    "torchish.optim.optimizer", "torchish.nn.modules.module",
)


def _source(name):
    return os.path.join(*name.split(".")) + ".py"


def _native():
    """torchish/_native.py, loaded on its own (importing torchish would import JAX)."""
    spec = importlib.util.spec_from_file_location("_torchish_native", _source("torchish._native"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    exts = [Extension(name, [_source(name)], optional=True) for name in COMPILED]
    return cythonize(exts, quiet=True, build_dir="build/cython",
                     compiler_directives={"language_level": 3, "binding": True})


class BuildCompiled(build_ext):
    """build_ext that compiles on every core and records which modules it compiled, from which
    source."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self):
        super().run()
        digest = _native().digest
        built = {}  # (one that failed to build fails the check: all then run as Python)
        for ext in self.extensions:
            built[ext.name] = (digest(_source(ext.name))
                               if os.path.exists(self.get_ext_fullpath(ext.name)) else "")
        package = os.path.dirname(self.get_ext_fullpath("torchish._native"))
        os.makedirs(package, exist_ok=True)
        with open(os.path.join(package, "_native.json"), "w") as f:
            json.dump(built, f, indent=1, sort_keys=True)


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildCompiled})
