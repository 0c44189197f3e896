"""grad_fn objects: one Node subclass per torch backward-node name, AccumulateGrad for leaves.

Names come from the op table (torch's own names, which cannot be derived); `next_functions` is read
off the edges recorded with the node.
"""

import weakref

from .._lazy import Node

_classes = {}


def _repr(self):
    return f"<{type(self).__name__} object at {hex(id(self))}>"


def _next_functions(self):
    if self.edges is None:
        return ()
    return tuple((e[0], e[1]) if e is not None else (None, 0) for e in self.edges)


def _name(self):
    return type(self).__name__


def _register_hook(self, fn):
    if self._hooks is None:
        self._hooks = []
    self._hooks.append(fn)
    return _Handle(self._hooks, fn)


def _register_prehook(self, fn):
    if self._prehooks is None:
        self._prehooks = []
    self._prehooks.append(fn)
    return _Handle(self._prehooks, fn)


class _Handle:
    """What register_hook returns: `remove()` takes the hook off again."""

    def __init__(self, lst, fn):
        self._lst = lst
        self._fn = fn

    def remove(self):
        if self._fn in self._lst:
            self._lst.remove(self._fn)


Node.__repr__ = _repr
Node.next_functions = property(_next_functions)
Node.name = _name
Node.register_hook = _register_hook
Node.register_prehook = _register_prehook


def node_class(name):
    """The grad_fn class named `name` (e.g. AddBackward0), created once."""
    cls = _classes.get(name)
    if cls is None:
        cls = _classes[name] = type(name, (Node,), {"__slots__": (), "__module__": "builtins"})
    return cls


class AccumulateGrad:
    """The grad_fn-side handle of a leaf tensor that requires grad."""

    __slots__ = ("variable", "_hooks", "_prehooks", "metadata", "__weakref__")

    def __init__(self, variable):
        self.variable = variable
        self._hooks = None
        self._prehooks = None
        self.metadata = {}

    next_functions = ()
    __repr__ = _repr
    register_hook = _register_hook
    register_prehook = _register_prehook

    def name(self):
        return "torch::autograd::AccumulateGrad"


def accumulator(t):
    """The (cached while alive) AccumulateGrad of leaf `t`, as torch keeps a weak pointer."""
    ref = t._accum
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._accum = weakref.ref(acc)
    return acc
