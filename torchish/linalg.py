"""torch.linalg: norms so far (vector_norm records LinalgVectorNormBackward0, as torch.norm does)."""

from ._dispatch import call
from ._ops import reduction
from ._ops.reduction import dims_of

__all__ = ["vector_norm", "norm", "matrix_norm"]


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    if x.dtype._kind < 2:
        from . import _dtypes
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_dtypes.SCALAR_NAMES[x.dtype]}")
    return call(reduction._vector_norm, (x,), (("ord", float(ord)), ("dims", dims_of(dim, x.dim())),
                                               ("keepdim", keepdim)))


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    if ord != "fro":
        raise NotImplementedError(f"torchish: linalg.matrix_norm(ord={ord!r}) is not supported yet")
    return vector_norm(A, 2, dim, keepdim)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    if ord is None or (dim is not None and not isinstance(dim, (tuple, list))) or (
            dim is None and A.dim() == 1):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim)
    return matrix_norm(A, ord, dim if dim is not None else (-2, -1), keepdim)
