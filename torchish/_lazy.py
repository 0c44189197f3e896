"""Pending values and the compiled programs that compute them.

An op computes nothing when called: it records a `Node` and returns `Value`s that know their shape
and dtype. Observing a value (print, item, ...) gathers its pending lineage into a flat list of
steps; the step list is the program's signature, and each signature is traced and jit-compiled once.
Python scalars used as operands are fed in packed host arrays, never baked, so a changing learning
rate does not recompile.
"""

import math
import sys
import warnings
import weakref

import jax
import jax.numpy as jnp
import numpy as np

# Step kinds of a program signature (anything else is an op step).
ARG, SCALAR_F, SCALAR_I, CONST = "a", "f", "i", "c"
DONATE_MIN = 1 << 16  # bytes: smaller arguments are never donated (see _donatable)


def _local_refs():
    x = object()
    return sys.getrefcount(x)


# what sys.getrefcount reports for an object only a local name holds: 2 interpreted (the name and
# the call's argument), 1 where this module runs compiled (setup.py), which passes it borrowed
LOCAL_REFS = _local_refs()


class Value:
    """An immutable array: concrete (`data` set) or pending (output `idx` of `node`)."""

    __slots__ = ("data", "node", "idx", "shape", "dtype", "av", "owner", "__weakref__")

    def __init__(self, shape, dtype, data=None, node=None, idx=0):
        self.shape = shape
        self.dtype = dtype
        self.av = (shape, dtype)  # the op-meta cache's key part (dispatch shares the cache's own)
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


class NodeState:
    """A node's hot state (a typed struct where this module runs compiled: `_lazy.pxd`)."""

    __slots__ = ("op", "params", "cdtype", "inputs", "outs", "edges", "tgen", "tslot")


class Node(NodeState):
    """One recorded op application. Differentiable ones double as torch's grad_fn objects."""

    # Hot state in NodeState; rarely set state as class defaults, set per instance in __dict__
    # (a node is created per op: every attribute written here costs)
    __slots__ = ("__dict__", "__weakref__")
    freed = False
    saved = None  # versions of the tensors it saves (autograd.graph)
    _hooks = None
    _prehooks = None
    _meta = None

    def __init__(self, op, params, cdtype, inputs, nout, edges=None, tgen=0, tslot=0):
        self.op = op
        self.params = params
        self.cdtype = cdtype
        self.inputs = inputs  # tuple of Value or Python scalar
        self.outs = [None] * nout  # weakrefs to output Values
        self.edges = edges  # autograd edges, when recorded with grad
        self.tgen = tgen  # the tape generation that holds this node's step (see _tape), at tslot
        self.tslot = tslot

    @property
    def metadata(self):
        m = self._meta
        if m is None:  # created on first use: most nodes never have metadata
            m = self._meta = {}
        return m


# ---- building a program from values --------------------------------------------------------

class Builder:
    """Emits the steps that compute a set of values; steps double as the cache key."""

    __slots__ = ("steps", "args", "argv", "big", "sf", "si", "slot", "n", "keep", "pending")

    def __init__(self):
        self.steps = []
        self.args = []
        self.argv = []  # the Value of each argument
        self.big = []  # indices of the arguments large enough to donate
        self.sf = []
        self.si = []
        self.slot = {}  # id(Value) -> its slot; id(Node) -> its first output slot
        self.n = 0
        self.keep = []  # keeps ids stable while building
        self.pending = []  # (Value, slot) computed here, for liveness outputs

    def _push(self, step, width=1):
        self.steps.append(step)
        s = self.n
        self.n += width
        return s

    def scalar(self, x):
        self.steps.append(scalar_step(x, self.sf, self.si))
        s = self.n
        self.n += 1
        return s

    def value(self, v):
        """Slot of `v` computed without differentiation."""
        s = self.slot.get(id(v))
        if s is not None:
            return s
        if v.data is not None:
            if math.prod(v.shape) * v.dtype.itemsize >= DONATE_MIN:
                self.big.append(len(self.args))
            self.args.append(v.data)
            self.argv.append(v)
            self.steps.append((ARG, v.shape, v.dtype))
            s = self.n
            self.n += 1
        else:
            s = self.node(v.node) + v.idx
            self.pending.append((v, s))
        self.slot[id(v)] = s
        self.keep.append(v)
        return s

    def node(self, node):
        slot = self.slot
        s = slot.get(id(node))
        if s is not None:
            return s
        stack = [(node, False)]
        while stack:
            nd, ready = stack.pop()
            if id(nd) in slot:
                continue
            if not ready:
                stack.append((nd, True))
                for x in nd.inputs:
                    if (isinstance(x, Value) and x.data is None and id(x) not in slot
                            and id(x.node) not in slot):
                        stack.append((x.node, False))
                continue
            ins = []
            for x in nd.inputs:
                ins.append(self.value(x) if isinstance(x, Value) else self.scalar(x))
            slot[id(nd)] = self.n
            self.steps.append((nd.op, nd.params, nd.cdtype, tuple(ins)))
            self.n += len(nd.outs)
            self.keep.append(nd)
        return slot[id(node)]

    def run(self, values, slots):
        """Run the program computing `values` (at `slots`) and every live pending value met on
        the way (so that observing one later costs nothing); fill them all."""
        ids = {id(v) for v in values}
        values = list(values)
        outs = list(slots)
        for v, s in self.pending:
            if id(v) not in ids and v.live():
                values.append(v)
                outs.append(s)
        outs = tuple(outs)
        steps = tuple(self.steps)
        donate = _donatable(self, values)
        key = (steps, outs, len(self.sf), len(self.si), donate)
        fn, fresh = compiled(key, lambda: _forward_program(steps, outs, donate))
        sf, si = _scalars(self.sf, np.float64), _scalars(self.si, np.int64)
        if donate is None:
            args = (self.args, sf, si)
        else:
            args = ([a for a, d in zip(self.args, donate) if not d],
                    [a for a, d in zip(self.args, donate) if d], sf, si)
        if fresh:  # compiles: XLA says so when a donated buffer fits no output; that is fine
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Some donated buffers were not usable")
                res = fn(*args)
        else:
            res = fn(*args)
        for v, r in zip(values, res):
            v.data = r
            v.node = None  # the lineage is no longer needed to compute it
        _tape.local.tape.reset()  # a program ran: the tape starts over


_SF, _SI = (SCALAR_F,), (SCALAR_I,)


def scalar_step(x, sf, si):
    """The step of Python scalar operand `x`: a float or int joins the program's packed scalars
    `sf`/`si` (data, so a changing learning rate does not recompile); anything else is a
    constant of the program."""
    if isinstance(x, float):
        sf.append(x)
        return _SF
    if isinstance(x, int) and -(2**62) < x < 2**62:  # bool too
        si.append(int(x))
        return _SI
    return (CONST, x)


def _donatable(b, values):
    """Which arguments the program may consume (donate their buffers to its outputs, as a jitted
    optimizer step does): see donation_flags. Returns a tuple of flags, or None."""
    if not b.big:  # only buffers worth reusing: the analysis costs ~1 us a node
        return None
    pending = {id(v) for v, _ in b.pending}
    # the builder's own references: keep (values visited) and pending
    return donation_flags([x for x in b.keep if type(x) is not Value], b.argv, b.args, b.big,
                          {id(v) for v in values},
                          lambda w: (id(w) in b.slot) + (id(w) in pending), 1)


def donation_flags(nodes, argv, args, big, outs, held, held_arg):
    """The arguments a program may consume: the arrays of values that nothing can read after it.

    That is, by reference counts, a value no tensor holds, referenced only by the inputs of
    non-autograd nodes of the program that themselves die once the outputs are filled (their
    outputs are outputs here, or die the same way), and whose array nothing else shares (JAX
    itself skips a buffer a NumPy view still reads). Typically the previous gradients,
    optimizer state and parameters consumed by a folded update (parameters only once the
    previous step's graph, which holds them for its replay, is gone). `nodes`: the program's
    nodes in order; `argv`/`args`: its argument values and arrays, `big` the indices worth
    donating; `outs`: ids of the values it outputs; `held(w)` / `held_arg`: references the
    caller itself holds to a node's output value / to each argument value (besides argv).
    Returns a tuple of flags, or None.
    """
    cand = [i for i in big if not argv[i].live()]
    if not cand:
        return None
    uses = {}  # id(Value) -> the program's nodes that take it as input
    for nd in nodes:
        for x in nd.inputs:
            if type(x) is Value:
                uses.setdefault(id(x), []).append(nd)
    dies = {}
    for nd in reversed(nodes):  # consumers come later
        # a node with autograd edges may outlive its values (its graph holds it); a node whose
        # outputs are not tracked (a backward segment) is kept too
        ok = nd.edges is None and any(r is not None for r in nd.outs)
        if ok:
            for r in nd.outs:
                w = r() if r is not None else None
                if w is None or id(w) in outs:
                    continue
                users = uses.get(id(w), ())
                # held by: the users' input tuples, the caller, `w` (and the call)
                if (sys.getrefcount(w) != len(users) + held(w) + LOCAL_REFS
                        or not all(dies.get(id(u)) for u in users)):
                    ok = False
                    break
            w = None
        dies[id(nd)] = ok
    flags = [False] * len(argv)
    for i in cand:
        v, a = argv[i], args[i]
        users = uses.get(id(v), ())
        flags[i] = (bool(users) and all(dies[id(u)] for u in users)
                    # held by: the users' inputs, the caller, argv, `v` (and the call)
                    and sys.getrefcount(v) == len(users) + held_arg + 1 + LOCAL_REFS
                    # the array: v.data, args, `a` (and the call)
                    and sys.getrefcount(a) == 2 + LOCAL_REFS)
        v = a = None
    return tuple(flags) if any(flags) else None


_last_scalars = {np.float64: (None, None), np.int64: (None, None)}


def _scalars(xs, dt):
    """The scalars of a program as one array. Passed as NumPy (the jitted call copies it, about
    a microsecond); when the same scalars come again (a training loop's fixed hyper-parameters)
    a device copy made once is reused. Made lazily: a device_put costs ~20 us."""
    if not xs:
        return None
    last, arr = _last_scalars[dt]
    if xs == last and (0.0 not in xs or _same_zeros(xs, last)):
        if arr is None:
            arr = jax.device_put(np.array(xs, dt))
            _last_scalars[dt] = (xs, arr)
        return arr
    _last_scalars[dt] = (xs, None)
    return np.array(xs, dt)


def _same_zeros(a, b):
    # 0.0 == -0.0: the signs of zeros must agree too
    return all(math.copysign(1.0, x) == math.copysign(1.0, y) for x, y in zip(a, b) if x == 0)


def run_steps(steps, env, args, sf, si, op_step=None):
    """Trace-time interpreter of a step list (runs once per signature, inside jit).
    `op_step(j, step, env)`, where given, computes the op steps (the tape's backward
    differentiates them its own way)."""
    ai = fi = ii = 0
    for j, st in enumerate(steps):
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
        elif op_step is not None:
            op_step(j, st, env)
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
# the last (key, program), swapped as one tuple (threads): a training loop repeats its signature
_last = [(None, None)]
_jitted = {}  # key -> make()'s jitted program, where _programs holds the persistent cache's one


def compiled(key, make):
    """The program for `key` (made by `make()` on a miss) and whether it is new."""
    if _program_cache.trace_ctx.trace is not _program_cache.eval_trace:
        return _traced(key, make)
    last = _last[0]
    if key == last[0]:  # equality short-cuts on shared parts; cheaper than hashing the key
        fn = last[1]
        Stats.hits += 1
        fresh = False
    else:
        fn = _programs.get(key)
        fresh = fn is None
        if fresh:
            Stats.misses += 1
            fn = _programs[key] = _make(key, make)
        else:
            Stats.hits += 1
        _last[0] = (key, fn)
    Stats.executions += 1
    return fn, fresh


def _make(key, make):
    made = make()
    fn = _program_cache.program(key, made, _installer(key))
    if fn is not made:
        _jitted[key] = made
    return fn


def _traced(key, make):
    """`compiled` under a JAX trace (torch.compile, shape inference of an autograd.Function): the
    jitted program, which inlines into the trace (a compiled executable takes no tracers)."""
    fn = _jitted.get(key)
    fresh = False
    if fn is None:
        fn = _programs.get(key)
        if fn is None:
            fresh = True
            fn = _programs[key] = _make(key, make)
            fn = _jitted.get(key, fn)
    if fresh:
        Stats.misses += 1
    else:
        Stats.hits += 1
    Stats.executions += 1
    return fn, fresh


def _installer(key):
    """Swaps the program for `key` (in the cache and the last-used slot) once the persistent
    cache has resolved it on its first call: later calls go straight to the executable."""
    def install(made):
        _programs[key] = made
        if _last[0][0] is key:
            _last[0] = (key, made)
    return install


def _forward_program(steps, outs, donate):
    if donate is None:
        def prog(args, sf, si):
            env = run_steps(steps, [], args, sf, si)
            return [env[i] for i in outs]
        return jax.jit(prog)

    def prog_donating(kept, gone, sf, si):
        k, g = iter(kept), iter(gone)
        args = [next(g) if d else next(k) for d in donate]  # back in argument order
        env = run_steps(steps, [], args, sf, si)
        return [env[i] for i in outs]
    return jax.jit(prog_donating, donate_argnums=(1,))


def materialize(values):
    """Compute pending values (and any other live pending values met on the way) at once."""
    b = Builder()
    b.run(values, [b.value(v) for v in values])


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


from . import _program_cache, _tape  # noqa: E402  (the tape builds on Node and Value above)
