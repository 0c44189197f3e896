"""Attaching table rows to torch's surfaces: `torch.<name>`, `Tensor.<name>`, in-place variants.

Every public function and method is registered here and nowhere else, so `torchish/__init__.py`
only re-exports FUNCTIONS.
"""

from .._dispatch import check_inplace, inplace
from .._tensor import Tensor

FUNCTIONS = {}


def function(*names):
    """Decorator: export `fn` as torch.<name> for each name."""
    def deco(fn):
        for n in names:
            FUNCTIONS[n] = fn
        return fn
    return deco


def method(*names):
    """Decorator: attach `fn` as Tensor.<name> for each name."""
    def deco(fn):
        for n in names:
            setattr(Tensor, n, fn)
        return fn
    return deco


def inplace_method(name, fn):
    """Tensor.<name>_: compute out of place, then rebind `self` (torch's in-place semantics)."""
    def m(self, *args, **kwargs):
        check_inplace(self)
        return inplace(self, fn(self, *args, **kwargs))
    m.__name__ = name
    setattr(Tensor, name, m)
    return m


def reflected(fn):
    def r(self, other):
        return fn(other, self)
    return r
