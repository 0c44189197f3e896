"""The op families; importing them fills the table and attaches torch's surfaces."""

from . import conversion, factory, linalg, pointwise, reduction, shape  # noqa: F401
from ._surface import FUNCTIONS

__all__ = ["FUNCTIONS"]
