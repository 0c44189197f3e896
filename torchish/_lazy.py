"""Pending values and the compiled programs that compute them.

An op computes nothing when called: it records a `Node` and returns `Value`s that know their shape
and dtype. Observing a value (print, item, ...) gathers its pending lineage into a flat list of
steps; the step list is the program's signature, and each signature is traced and jit-compiled once.
Python scalars used as operands are fed in packed host arrays, never baked, so a changing learning
rate does not recompile.
"""

import weakref

import jax
import jax.numpy as jnp
import numpy as np

# Step kinds of a program signature (anything else is an op step).
ARG, SCALAR_F, SCALAR_I, CONST = "a", "f", "i", "c"


class Value:
    """An immutable array: concrete (`data` set) or pending (output `idx` of `node`)."""

    __slots__ = ("data", "node", "idx", "shape", "dtype", "owner", "__weakref__")

    def __init__(self, shape, dtype, data=None, node=None, idx=0):
        self.shape = shape
        self.dtype = dtype
        self.data = data
        self.node = node
        self.idx = idx
        self.owner = None  # weakref to the Tensor that holds this value (liveness)

    def live(self):
        o = self.owner
        if o is None:
            return False
        t = o()
        return t is not None and t._v is self


def concrete(arr, dt):
    return Value(tuple(arr.shape), dt, data=arr)


class Node:
    """One recorded op application. Differentiable ones double as torch's grad_fn objects."""

    __slots__ = ("op", "params", "cdtype", "inputs", "outs", "edges", "freed", "saved",
                 "_hooks", "_prehooks", "metadata", "__weakref__")

    def __init__(self, op, params, cdtype, inputs, nout):
        self.op = op
        self.params = params
        self.cdtype = cdtype
        self.inputs = inputs  # tuple of Value or Python scalar
        self.outs = [None] * nout  # weakrefs to output Values
        self.edges = None  # autograd edges, set when recorded with grad
        self.freed = False
        self.saved = None
        self._hooks = None
        self._prehooks = None
        self.metadata = {}


# ---- building a program from values --------------------------------------------------------

class Builder:
    """Emits the steps that compute a set of values; steps double as the cache key."""

    def __init__(self):
        self.steps = []
        self.args = []
        self.sf = []
        self.si = []
        self.slot = {}  # id(Value) -> slot (non-differentiable lineage)
        self.node_slot = {}  # id(Node) -> first output slot
        self.n = 0
        self.keep = []  # keeps ids stable while building
        self.pending = []  # (Value, slot) computed here, for liveness outputs

    def _push(self, step, width=1):
        self.steps.append(step)
        s = self.n
        self.n += width
        return s

    def scalar(self, x):
        if isinstance(x, bool) or isinstance(x, int):
            if isinstance(x, bool) or -(2**62) < x < 2**62:
                self.si.append(int(x))
                return self._push((SCALAR_I,))
        elif isinstance(x, float):
            self.sf.append(x)
            return self._push((SCALAR_F,))
        return self._push((CONST, x))

    def value(self, v):
        """Slot of `v` computed without differentiation."""
        s = self.slot.get(id(v))
        if s is not None:
            return s
        if v.data is not None:
            self.args.append(v.data)
            s = self._push((ARG, v.shape, v.dtype))
        else:
            s = self.node(v.node) + v.idx
            self.pending.append((v, s))
        self.slot[id(v)] = s
        self.keep.append(v)
        return s

    def node(self, node):
        s = self.node_slot.get(id(node))
        if s is not None:
            return s
        stack = [(node, False)]
        while stack:
            nd, ready = stack.pop()
            if id(nd) in self.node_slot:
                continue
            if not ready:
                stack.append((nd, True))
                for x in nd.inputs:
                    if isinstance(x, Value) and x.data is None and id(x) not in self.slot:
                        if id(x.node) not in self.node_slot:
                            stack.append((x.node, False))
                continue
            ins = tuple(self.value(x) if isinstance(x, Value) else self.scalar(x)
                        for x in nd.inputs)
            self.node_slot[id(nd)] = self._push((nd.op, nd.params, nd.cdtype, ins),
                                                len(nd.outs))
            self.keep.append(nd)
        return self.node_slot[id(node)]


def run_steps(steps, env, args, sf, si):
    """Trace-time interpreter of a step list (runs once per signature, inside jit)."""
    ai = fi = ii = 0
    for st in steps:
        k = st[0]
        if k is ARG:
            env.append(args[ai])
            ai += 1
        elif k is SCALAR_F:
            env.append(sf[fi])
            fi += 1
        elif k is SCALAR_I:
            env.append(si[ii])
            ii += 1
        elif k is CONST:
            env.append(st[1])
        else:
            env.extend(apply_op(k, st[1], st[2], [env[i] for i in st[3]]))
    return env


def apply_op(op, params, cdtype, xs):
    """Run one op's impl on arrays, casting promoted operands to the compute dtype first."""
    if cdtype is not None:
        npd = cdtype.np
        idx = op.promote_args if op.promote_args is not None else range(len(xs))
        xs = list(xs)
        for i in idx:
            x = xs[i]
            if not hasattr(x, "dtype"):
                xs[i] = jnp.asarray(x, npd)
            elif x.dtype != npd:
                xs[i] = x.astype(npd)
    out = op.impl(*xs, **dict(params)) if params else op.impl(*xs)
    return out if op.nout != 1 else (out,)


class _Packed:
    """Host-side packing of scalars: one array per kind instead of one argument per scalar."""

    @staticmethod
    def pack(sf, si):
        return (np.asarray(sf, np.float64) if sf else None,
                np.asarray(si, np.int64) if si else None)


# ---- the program cache ---------------------------------------------------------------------

class Stats:
    """Counts compiled-program cache hits and misses (tests and users chasing recompiles)."""

    hits = 0
    misses = 0
    executions = 0

    @classmethod
    def reset(cls):
        cls.hits = cls.misses = cls.executions = 0


_programs = {}


def compiled(key, make):
    fn = _programs.get(key)
    if fn is None:
        Stats.misses += 1
        fn = _programs[key] = jax.jit(make())
    else:
        Stats.hits += 1
    Stats.executions += 1
    return fn


def _forward_program(steps, outs):
    def prog(args, sf, si):
        env = run_steps(steps, [], args, sf, si)
        return [env[i] for i in outs]
    return prog


def materialize(values):
    """Compute pending values (and any other live pending values met on the way) at once."""
    b = Builder()
    want = [b.value(v) for v in values]
    extra = [(v, s) for v, s in b.pending if v.live() and not any(v is w for w in values)]
    outs = tuple(want) + tuple(s for _, s in extra)
    key = ("fwd", tuple(b.steps), outs, len(b.sf), len(b.si))
    fn = compiled(key, lambda: _forward_program(tuple(b.steps), outs))
    sf, si = _Packed.pack(b.sf, b.si)
    res = fn(b.args, sf, si)
    for v, r in zip(list(values) + [v for v, _ in extra], res):
        set_data(v, r)


def set_data(v, arr):
    v.data = arr
    v.node = None  # the lineage is no longer needed to compute it


def data_of(v):
    if v.data is None:
        materialize([v])
    return v.data


def track(v, tensor):
    v.owner = weakref.ref(tensor)


def as_jax(x, dt):
    return jnp.asarray(x, dtype=dt.np)
