"""parameters_to_vector / vector_to_parameters."""

from ..._ops import shape
from ..._tensor import Tensor
from ..parameter import set_data


def parameters_to_vector(parameters):
    """One 1-D tensor of all parameters, in order (differentiable, as in torch)."""
    return shape.cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Slice `vec` back into the parameters' `.data`."""
    if not isinstance(vec, Tensor):
        from ..modules.module import _typename
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    pointer = 0
    for p in parameters:
        n = p.numel()
        set_data(p, vec[pointer:pointer + n].view_as(p).detach())
        pointer += n


__all__ = ["parameters_to_vector", "vector_to_parameters"]
