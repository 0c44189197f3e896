"""The op families; importing them fills the table and attaches torch's surfaces."""

from . import conversion, factory, linalg, pointwise, reduction, shape  # noqa: F401
from . import indexing  # noqa: F401 - Tensor.__getitem__/__setitem__, gather/scatter/masks
from ._surface import FUNCTIONS

__all__ = ["FUNCTIONS"]
