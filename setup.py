"""Build: torchish is pure Python; where Cython and a C compiler are at hand, the install also
compiles the modules every recorded op and every training step runs through (the same source,
unchanged), because their bytecode is most of a small step's time. Measured on the benchmarks'
2-core machine: a polyfit step 93 -> 71 us, a seed step 33 -> 24 us.

Each compiled module is optional: where one cannot be built, the install goes on and that module
runs as Python. The build writes `torchish/_native.json` (module -> SHA-256 of the source it
compiled); `torchish/_native.py` makes a module whose source has changed since run as Python.
"""

import hashlib
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
        built = {}
        for ext in self.extensions:
            if os.path.exists(self.get_ext_fullpath(ext.name)):
                with open(_source(ext.name), "rb") as f:
                    built[ext.name] = hashlib.sha256(f.read()).hexdigest()
        package = os.path.dirname(self.get_ext_fullpath("torchish._native"))
        os.makedirs(package, exist_ok=True)
        with open(os.path.join(package, "_native.json"), "w") as f:
            json.dump(built, f, indent=1, sort_keys=True)


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildCompiled})
