"""nn.Parameter (a leaf Tensor subclass a Module registers by attribute) and nn.Buffer.

A Parameter holds its own Value over the same (immutable) array as the tensor it was made from, so
creating one copies nothing; as in-place writes rebind values here, later writes to either object
are not seen by the other (torch shares the storage).
"""

from .._lazy import Value
from .._tensor import Tensor, new_tensor


def _fresh_value(t):
    v = t._v
    return Value(v.shape, v.dtype, data=v.data, node=v.node, idx=v.idx)


def set_data(t, src):
    """`t.data = src` giving `t` its own Value (so `t` keeps it live for the compiled programs)."""
    t._set_value(_fresh_value(src))


def _empty():
    from .._ops.factory import empty
    return empty(0)


class Parameter(Tensor):
    """torch.nn.Parameter."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _empty()
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        return new_tensor(_fresh_value(data), None, bool(requires_grad), 0, cls=cls)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        import numpy as np
        return (_rebuild_parameter, (np.asarray(self._array()), self._requires_grad))


def _rebuild_parameter(arr, requires_grad):
    from .._tensor import from_array
    import jax.numpy as jnp
    return Parameter(from_array(jnp.asarray(arr)), requires_grad)


class _BufferMeta(type):
    def __instancecheck__(cls, instance):
        if cls is Buffer and isinstance(instance, Tensor):
            return getattr(instance, "_is_buffer", False)
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """torch.nn.Buffer: a marker; `Buffer(t)` is a plain detached Tensor tagged for registration."""

    __slots__ = ()

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = _empty()
        t = new_tensor(_fresh_value(data), None, data.requires_grad, 0)
        t.persistent = persistent
        t._is_buffer = True
        return t


def is_lazy(param):
    return False


__all__ = ["Parameter", "Buffer", "is_lazy"]
