"""The guard: when a traced program may run in place of the function's Python.

A program is only right for the call it was traced on. Its key (looked up in a dict, so cheap)
covers the argument tree: tensor shapes, dtypes and requires_grad, and the non-tensor arguments,
plus grad mode and the default dtype. The `Guard` then checks what the key cannot: each state
tensor still alive with the same shape, dtype, grad presence and no graph; the tensor arguments
distinct from each other and from the state (the program treats them as separate inputs); an
argument that was known state when traced still that very tensor (the function may also reach it
another way); the optimizer hyper-parameters, module `training` flags and global/closure tensor
bindings as traced.
"""

import types
import weakref

from .._tensor import Tensor

MISS, GONE = object(), object()  # the guard fails; a state tensor died (the program never runs)


def call_key(args, kwargs):
    """The call's tensor arguments, in flattening order, and its guard key."""
    targs, key = [], []
    _flatten(args, targs, key)
    if kwargs:
        _flatten(kwargs, targs, key)
    return targs, tuple(key)


def _flatten(x, tensors, key):
    """Collect the tensors of an argument tree; the rest (and the tensors' avals) form the key."""
    if isinstance(x, Tensor):
        tensors.append(x)
        key.append((x._v.shape, x._v.dtype, x._requires_grad))
    elif type(x) in (tuple, list):
        key.append((type(x), len(x)))
        for y in x:
            _flatten(y, tensors, key)
    elif type(x) is dict:
        key.append((dict, tuple(x)))
        for y in x.values():
            _flatten(y, tensors, key)
    else:
        try:
            hash(x)
            key.append((type(x), x))
        except TypeError:
            key.append((type(x), id(x)))


def hyper(group):
    """A param group's hyper-parameters (everything but its tensors)."""
    return tuple((k, v) for k, v in group.items() if k not in ("params", "param_names"))


def same_hyper(a, b):
    if len(a) != len(b):
        return False
    for (k1, x), (k2, y) in zip(a, b):
        if k1 != k2 or type(x) is not type(y):
            return False
        if isinstance(x, Tensor):
            if x is not y:
                return False
        elif x != y:
            return False
    return True


def bound_names(fn):
    """(namespace, name, tensor) for the globals and closure cells of `fn` that hold tensors."""
    out = []
    f = getattr(fn, "__func__", fn)
    code = getattr(f, "__code__", None)
    if code is None:
        return out
    g = getattr(f, "__globals__", {})
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names.update(c.co_names)
    for n in names:
        v = g.get(n)
        if isinstance(v, Tensor):
            out.append((g, n, v))
    for cell in f.__closure__ or ():
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        if isinstance(v, Tensor):
            out.append((cell, None, v))
    return out


class Guard:
    """The checks of one traced program beyond its key, and the inputs it reads when they hold."""

    def __init__(self, state, pinned, sig, hyper, modules, names):
        self.refs = [weakref.ref(t) for t in state]  # the state tensors (tensor arguments follow)
        self.state_ids = {id(t) for t in state}  # stable while `refs` are alive
        self.pinned = [(i, weakref.ref(t)) for i, t in pinned]  # arguments that must be these
        self.sig = sig  # per tensor: (shape, dtype, requires_grad, grad (shape, dtype) or None)
        self.hyper = hyper  # [(group, hyper-parameters)]
        self.modules = modules  # [(module, training)]
        self.names = names  # [(namespace, name, tensor)]

    def inputs(self, targs):
        """(state tensors then tensor arguments, their values and grads' values) or MISS/GONE.
        Only the returned list and the tensors hold the values (the program may donate them)."""
        objs = []
        for r in self.refs:
            t = r()
            if t is None:
                return GONE
            objs.append(t)
        for i, r in self.pinned:
            t = r()
            if t is None:
                return GONE
            if targs[i] is not t:
                return MISS
        ids = set()
        for t in targs:
            if id(t) in self.state_ids or id(t) in ids:
                return MISS
            ids.add(id(t))
        objs.extend(targs)
        ins = []
        for t, (shape, dt, rg, gsig) in zip(objs, self.sig):
            v = t._v
            if v.shape != shape or v.dtype is not dt or t._grad_fn is not None \
                    or t._requires_grad is not rg:
                return MISS
            ins.append(v)
            g = t._grad
            if gsig is None:
                if g is not None:
                    return MISS
            else:
                if g is None:
                    return MISS
                gv = g._v
                if (gv.shape, gv.dtype) != gsig:
                    return MISS
                ins.append(gv)
        for group, hp in self.hyper:
            if not same_hyper(hyper(group), hp):
                return MISS
        for m, training in self.modules:
            if m.training is not training:
                return MISS
        for ns, name, t in self.names:
            if (ns.get(name) if name is not None else ns.cell_contents) is not t:
                return MISS
        return objs, ins
