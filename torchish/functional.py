"""torch.functional: broadcast_shapes / broadcast_tensors (the rest of torch.functional lives in
the op families and is re-exported from there)."""

from ._tensor import Size, Tensor

__all__ = ["broadcast_shapes", "broadcast_tensors"]


def broadcast_shapes(*shapes):
    """torch.broadcast_shapes, with torch's error text."""
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    n = max((len(s) for s in shapes), default=0)
    out = [1] * n
    for idx, s in enumerate(shapes):
        for i in range(1, len(s) + 1):
            if s[-i] == 1 or s[-i] == out[-i]:
                continue
            if out[-i] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {s[-i]} at "
                                   f"-{i}! Mismatching argument at index {idx} had {s}; but "
                                   f"expected shape should be broadcastable to {out}")
            out[-i] = s[-i]
    return Size(out)


def broadcast_tensors(*tensors):
    """torch.broadcast_tensors: an expand (ExpandBackward0) wherever a shape changes."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = broadcast_shapes(*(t.shape for t in tensors if isinstance(t, Tensor)))
    return tuple(t if t.shape == shape else t.expand(shape) for t in tensors)
