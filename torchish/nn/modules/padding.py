"""Padding modules over F.pad: constant/zero, reflection, replication and circular, 1-d to 3-d."""

from .. import functional as F
from .module import Module
from .utils import _ntuple


class _PadNd(Module):
    """`padding` is (left, right[, top, bottom[, front, back]]), as F.pad takes it."""

    __constants__ = ["padding"]
    mode = "constant"
    nsp = 1

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(2 * self.nsp, "_pad")(padding)

    def _check_input_dim(self, input):
        pass

    def forward(self, input):
        self._check_input_dim(input)
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    __constants__ = ["padding", "value"]

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def _check_input_dim(self, input):
        n = self.nsp + 1
        if input.dim() not in (n, n + 1):
            raise ValueError(f"expected {n}D or {n + 1}D input (got {input.dim()}D input)")


class _ReflectionPadNd(_PadNd):
    mode = "reflect"


class _ReplicationPadNd(_PadNd):
    mode = "replicate"


def _dims(base, name, nsp):
    cls = type(name, (base,), {"nsp": nsp, "__module__": __name__, "__qualname__": name,
                               "__doc__": f"{base.__name__[1:-2]} padding of the last {nsp} "
                                          f"dim{'s' if nsp > 1 else ''}."})
    return cls


ConstantPad1d, ConstantPad2d, ConstantPad3d = (
    _dims(_ConstantPadNd, f"ConstantPad{n}d", n) for n in (1, 2, 3))
ZeroPad1d, ZeroPad2d, ZeroPad3d = (_dims(_ZeroPadNd, f"ZeroPad{n}d", n) for n in (1, 2, 3))
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = (
    _dims(_ReflectionPadNd, f"ReflectionPad{n}d", n) for n in (1, 2, 3))
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = (
    _dims(_ReplicationPadNd, f"ReplicationPad{n}d", n) for n in (1, 2, 3))
CircularPad1d, CircularPad2d, CircularPad3d = (
    _dims(_CircularPadNd, f"CircularPad{n}d", n) for n in (1, 2, 3))

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]
