"""The op families; importing them fills the table and attaches torch's surfaces."""

from . import conversion, factory, linalg, pointwise, random, reduction, shape  # noqa: F401
from . import indexing  # noqa: F401 - Tensor.__getitem__/__setitem__, gather/scatter/masks
from . import nn_kernels  # noqa: F401 - convolution, pooling, batch/layer/group norm
from ._surface import FUNCTIONS

__all__ = ["FUNCTIONS"]
