"""Helpers shared by the layer modules: torch's _single/_pair/_triple and parameter storage."""

from ..._ops import factory


def _ntuple(n, name="parse"):
    def parse(x):
        if isinstance(x, (list, tuple)):
            return tuple(x)
        return (x,) * n
    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")


def empty(*shape, dtype=None):
    """Uninitialised storage for a parameter or buffer (zeros here; reset_parameters fills it)."""
    return factory.empty(*shape, dtype=dtype)
