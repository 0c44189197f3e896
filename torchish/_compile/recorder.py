"""Recording what one call of a compiled function touches, and what the function is known to touch.

A trace binds the function's state tensors to tracers, so it must know them before it runs: the
tensors it reads or writes that existed before the call (parameters, buffers, optimizer state,
closed-over tensors), the modules whose `training` flag it reads and the optimizer param groups it
updates. A `Recorder` finds them by patching a few class attributes for the length of one call
only, so normal (uncompiled) code pays nothing; `KnownState` keeps what the recordings found across
calls. `snapshot`/`restore` undo what a traced call did to the tensors it touched.
"""

import weakref

from .._tensor import Tensor

_WATCH = frozenset(("_v", "_grad", "_grad_fn", "_requires_grad", "_out_nr"))
_SLOT_V = Tensor.__dict__["_v"]
_NO_GRAD = object()  # a tensor's __dict__ had no `_grad` entry

active = None  # the Recorder of the call in progress (one at a time; nested compiled calls inline)


class Recorder:
    """Watches one call: pre-existing tensors read (by a program or on the host) or written,
    tensors born in the call, modules whose `training` flag was read and optimizer param groups
    updated. Only a trace watches the `training` flags (`tracing`): only its guard needs them."""

    def __init__(self, tracing, known=()):
        self.tracing = tracing
        self.known = set(known)  # ids of the tensors bound to tracers (never reported)
        self.born = set()
        self.born_refs = []
        self.found = {}  # id -> pre-existing tensor read or written, not known
        self.written = {}  # id -> (tensor, state before the first write), for the undo
        self.modules = {}
        self.groups = {}  # id(group) -> (optimizer, group)

    def setattr(self, t, name):
        i = id(t)
        if i in self.known or i in self.born:
            return
        if name == "_v":
            try:
                _SLOT_V.__get__(t, Tensor)
            except AttributeError:  # the first write of a new tensor
                self.born.add(i)
                self.born_refs.append(weakref.ref(t))
                return
        if i not in self.written:
            self.written[i] = (t, snapshot(t))
        self.found[i] = t

    def read(self, t):
        i = id(t)
        if i not in self.known and i not in self.born:
            self.found[i] = t

    def __enter__(self):
        global active
        from ..nn.modules.module import Module
        from ..optim.optimizer import Optimizer
        active = self
        _orig.setdefault("_update", Optimizer.__dict__["_update"])
        self._patched = [(Tensor, "_array", _orig["_array"], _array_hook),
                         (Tensor, "__setattr__", None, _setattr_hook),
                         (Optimizer, "_update", _orig["_update"], _update_hook)]
        if self.tracing:
            self._patched.append((Module, "__getattribute__", None, _getattribute_hook))
        for cls, name, _, hook in self._patched:
            setattr(cls, name, hook)
        return self

    def __exit__(self, *exc):
        global active
        for cls, name, orig, _ in self._patched:
            if orig is None:
                delattr(cls, name)
            else:
                setattr(cls, name, orig)
        active = None
        return False


_orig = {"_array": Tensor._array}  # the patched attributes' own values


def _array_hook(t):
    active.read(t)
    return _orig["_array"](t)


def _setattr_hook(t, name, value):
    if name in _WATCH and active is not None:
        active.setattr(t, name)
    object.__setattr__(t, name, value)


def _getattribute_hook(m, name):
    if name == "training" and active is not None:
        active.modules[id(m)] = m
    return object.__getattribute__(m, name)


def _update_hook(opt, row, group, *args, **kwargs):
    active.groups[id(group)] = (opt, group)
    return _orig["_update"](opt, row, group, *args, **kwargs)


def snapshot(t):
    """What a call can change of a tensor (restored when a trace is undone); [5] is its version."""
    return (t._v, t.__dict__.get("_grad", _NO_GRAD), t._grad_fn, t._requires_grad, t._out_nr,
            t._vc[0])


def restore(t, st):
    v, g, gf, rg, nr, vc = st
    object.__setattr__(t, "_v", v)
    if g is _NO_GRAD:
        t.__dict__.pop("_grad", None)
    else:
        t.__dict__["_grad"] = g
    t._grad_fn, t._requires_grad, t._out_nr = gf, rg, nr
    t._vc[0] = vc


class KnownState:
    """The state a compiled function is known to touch, grown from its recorded calls: the tensors
    seen (weakly held) and the param groups of the optimizers whose step() ran."""

    def __init__(self):
        self.seed = []  # weakrefs to tensors seen as state
        self.groups = {}  # id(group) -> (optimizer, group)

    def learn(self, rec):
        seen = {id(r()) for r in self.seed}
        new = list(rec.found.values())
        for opt, group in rec.groups.values():  # state an optimizer made on its first step
            self.groups[id(group)] = (opt, group)
            for p in group["params"]:
                new.extend(x for x in opt.state.get(p, {}).values() if isinstance(x, Tensor))
        for t in new:
            if id(t) not in seen:
                seen.add(id(t))
                self.seed.append(weakref.ref(t))
