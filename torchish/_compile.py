"""torchish.compile: a whole step function (forward, backward, optimizer update) as ONE XLA program.

The lazy engine already runs a training step as one or two cached programs, but it runs the Python
of every op, module and optimizer on every call to find out which program. A compiled function
runs that Python once per guard, as `jax.jit` does, and afterwards makes one jitted call:

1. The first call runs lazily (optimizers create their state on their first step), recording the
   tensors the call read or wrote that existed before it: the seed of the function's state.
2. The next call traces: the state tensors (and the call's tensor arguments) are bound to JAX
   tracers, the function runs on them (the engine's own programs inline into the trace), whatever
   is still pending is computed, and the new values, `.grad`s and the return value become the
   outputs of one jaxpr. A read or write of a tensor that is not yet state makes it state, and
   the trace is redone. Then every tensor is restored, the jaxpr is compiled and run on the real
   arrays, and its outputs are written back: the trace call's results come from the program.
3. Later calls whose guard holds skip the Python: one jitted call and the write-back.

The guard: the same tensor-argument shapes and dtypes, the same non-tensor arguments, the same
grad mode and default dtype; each state tensor alive, with the same shape, dtype and grad presence;
the same hyper-parameters in the param groups of the optimizers whose step() ran (an LR scheduler
changing lr between calls re-traces once per distinct value); the same `training` flags of the
modules the function looked at; the same tensors bound to the global names and closure cells the
function reads. A failed guard traces again (at most `RECOMPILE_LIMIT` programs per function, as
torch's recompile limit; beyond it calls run lazily).

A function is run by the lazy engine instead, for that guard, when it cannot be traced: it observes
a value (item(), bool(), print, numpy(), a data-dependent shape), draws from the default random
generator (dropout), changes hyper-parameters itself, leaves a graph for a backward outside the
function (a compiled forward whose output is differentiated later), keeps a tensor it created
(e.g. `self.last = x`), or raises. The attempt is undone first (tensors, generator), so compiling
never changes results, only speed; its Python side effects (prints, counters) do happen twice.
With `fullgraph=True` such a function raises instead, as in torch.

What jax.jit bakes, this bakes too: Python values the function computes or reads (a learning rate
held in a Python variable, a batch index, a list turned into a tensor), and tensors created inside
it from host data, are constants of the trace. Pass changing data as tensor arguments, or keep it
in tensors the function reads. Tensors the function returns come back detached (their graph, if
any, was consumed inside). `dynamic`, `backend`, `mode` and `options` are accepted and ignored.
"""

import functools
import gc
import sys
import types
import weakref

import jax
import jax.numpy as jnp
from jax.extend.core import Literal, jaxpr_as_fun

from . import _dtypes, _lazy
from ._lazy import Value, materialize
from ._tensor import Tensor, new_tensor
from .autograd import grad_mode

RECOMPILE_LIMIT = 8  # programs per compiled function (torch._dynamo.config.recompile_limit)
_TRACE_ROUNDS = 4  # traces of one guard while state is still being discovered
_WATCH = frozenset(("_v", "_grad", "_grad_fn", "_requires_grad", "_out_nr"))
_SLOT_V = Tensor.__dict__["_v"]
_MISS, _GONE = object(), object()
# grad actions of a state tensor: set to None, same object with a new value, a new tensor
NONE, SAME, NEW = 1, 2, 3


class Untraceable(Exception):
    """Raised inside a trace when the function cannot become one program (the lazy engine runs
    it)."""


class _Retry(Exception):
    """The trace met tensors that are state it did not bind: trace again with them."""


# ---- recording what a call touches -------------------------------------------------------------

_rec = None  # the active _Recorder (one at a time; nested compiled calls run inline)


class _Recorder:
    """Watches one call: pre-existing tensors read (by a program or on the host) or written,
    tensors born in the call, modules whose `training` flag was read and optimizer param groups
    updated. Installed by patching a few class attributes for the call only: normal mode pays
    nothing."""

    def __init__(self, tracing, known=()):
        self.tracing = tracing
        self.known = set(known)  # ids of the tensors bound to tracers (never reported)
        self.born = set()
        self.born_refs = []
        self.found = {}  # id -> pre-existing tensor read or written, not known
        self.written = {}  # id -> (tensor, state before the first write), for the undo
        self.modules = {}
        self.groups = {}  # id(group) -> (optimizer, group)

    # hooks -------------------------------------------------------------------------------------
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
            self.written[i] = (t, _state(t))
        self.found[i] = t

    def read(self, t):
        i = id(t)
        if i not in self.known and i not in self.born:
            self.found[i] = t

    def __enter__(self):
        global _rec
        from .nn.modules.module import Module
        from .optim.optimizer import Optimizer
        _rec = self
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
        global _rec
        for cls, name, orig, _ in self._patched:
            if orig is None:
                delattr(cls, name)
            else:
                setattr(cls, name, orig)
        _rec = None
        return False


_orig = {"_array": Tensor._array}


def _array_hook(t):
    _rec.read(t)
    return _orig["_array"](t)


def _setattr_hook(t, name, value):
    if name in _WATCH and _rec is not None:
        _rec.setattr(t, name)
    object.__setattr__(t, name, value)


def _getattribute_hook(m, name):
    if name == "training" and _rec is not None:
        _rec.modules[id(m)] = m
    return object.__getattribute__(m, name)


def _update_hook(opt, row, group, *args, **kwargs):
    _rec.groups[id(group)] = (opt, group)
    return _orig["_update"](opt, row, group, *args, **kwargs)


def _state(t):
    """What a call can change of a tensor (restored when a trace is undone)."""
    return (t._v, t.__dict__.get("_grad", _MISS), t._grad_fn, t._requires_grad, t._out_nr,
            t._vc[0])


def _restore(t, st):
    v, g, gf, rg, nr, vc = st
    object.__setattr__(t, "_v", v)
    if g is _MISS:
        t.__dict__.pop("_grad", None)
    else:
        t.__dict__["_grad"] = g
    t._grad_fn, t._requires_grad, t._out_nr = gf, rg, nr
    t._vc[0] = vc


def _hyper(group):
    return tuple((k, v) for k, v in group.items() if k not in ("params", "param_names"))


def _same_hyper(a, b):
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


# ---- arguments -----------------------------------------------------------------------------------

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


def _tree_tensors(x, out):
    if isinstance(x, Tensor):
        out.append(x)
    elif type(x) in (tuple, list):
        for y in x:
            _tree_tensors(y, out)
    elif type(x) is dict:
        for y in x.values():
            _tree_tensors(y, out)
    return out


def _rebuild(x, make, leaf=Tensor):
    """x with each `leaf` (a Tensor, or the hole marker) replaced by make(), in flattening
    order."""
    if isinstance(x, leaf) if isinstance(leaf, type) else x is leaf:
        return make()
    if type(x) in (tuple, list):
        return type(x)(_rebuild(y, make, leaf) for y in x)
    if type(x) is dict:
        return {k: _rebuild(y, make, leaf) for k, y in x.items()}
    return x


_HOLE = object()  # where a returned tensor goes in the recorded return value


def _bound_names(fn):
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


# ---- one compiled program ------------------------------------------------------------------------

class _Entry:
    """A traced guard: its state tensors, checks, program and write-back plan."""

    def __init__(self, refs, nargs, sig, used, run, vout, gout, res, res_spec, hyper, modules,
                 names, out_avals):
        self.refs = refs  # weakrefs to the state tensors (the call's tensor arguments follow)
        self.nargs = nargs
        self.sig = sig  # per tensor: (shape, dtype, requires_grad, grad (shape, dtype) or None)
        self.used = used  # per input (value, then grad if any, per tensor): fed to the program
        self.run = run
        self.vout = vout  # [(tensor index, output index, version delta)]
        self.gout = gout  # [(tensor index, action, output index, version delta)]
        self.res = res  # the return value with its tensors as placeholders
        self.res_spec = res_spec  # per returned tensor: ("t", tensor index) or ("o", out index)
        self.hyper = hyper  # [(group, hyper-parameters)]
        self.modules = modules  # [(module, training)]
        self.names = names  # [(namespace, name, tensor)]
        self.out_avals = out_avals

    def __call__(self, targs):
        objs = []
        for r in self.refs:
            t = r()
            if t is None:
                return _GONE
            objs.append(t)
        objs.extend(targs)
        ins = []
        for t, (shape, dt, rg, gsig) in zip(objs, self.sig):
            v = t._v
            if v.shape != shape or v.dtype is not dt or t._grad_fn is not None \
                    or t._requires_grad is not rg:
                return _MISS
            ins.append(v)
            g = t._grad
            if gsig is None:
                if g is not None:
                    return _MISS
            else:
                if g is None:
                    return _MISS
                gv = g._v
                if (gv.shape, gv.dtype) != gsig:
                    return _MISS
                ins.append(gv)
        v = g = gv = None  # only `ins` and the tensors hold the values (donation)
        for group, hyper in self.hyper:
            if not _same_hyper(_hyper(group), hyper):
                return _MISS
        for m, training in self.modules:
            if m.training is not training:
                return _MISS
        for ns, name, t in self.names:
            if (ns.get(name) if name is not None else ns.cell_contents) is not t:
                return _MISS
        ins = [v for v, u in zip(ins, self.used) if u]
        pending = [v for v in ins if v.data is None]
        if pending:
            materialize(pending)
        outs = self.run(ins)
        ins = None
        _lazy.Stats.hits += 1
        _lazy.Stats.executions += 1
        return self.write_back(objs, outs)

    def write_back(self, objs, outs):
        avals = self.out_avals
        for k, i, dv in self.vout:
            t = objs[k]
            v = Value(avals[i][0], avals[i][1], data=outs[i])
            t._v = v
            v.owner = weakref.ref(t)
            t._vc[0] += dv
            if t._views:
                from ._views import refresh_views
                with grad_mode.no_grad():
                    refresh_views(t, None)
        for k, act, i, dv in self.gout:
            t = objs[k]
            if act == NONE:
                t._grad = None
            elif act == SAME:
                g = t._grad
                v = Value(avals[i][0], avals[i][1], data=outs[i])
                g._v = v
                v.owner = weakref.ref(g)
                g._vc[0] += dv
            else:
                t._grad = new_tensor(Value(avals[i][0], avals[i][1], data=outs[i]), None,
                                     False, 0)
        if not self.res_spec:
            return self.res
        spec = iter(self.res_spec)

        def make():
            kind, i = next(spec)
            if kind == "t":
                return objs[i]
            return new_tensor(Value(avals[i][0], avals[i][1], data=outs[i]), None, False, 0)
        return _rebuild(self.res, make, _HOLE)


class _Program:
    """The traced jaxpr, jitted over the inputs it reads (unused ones enter as zeros XLA drops).

    `gone` marks the inputs the call may consume: the old values and grads that the write-back
    replaces. They are donated (their buffers reused for the outputs, as a hand-written jitted
    step donates its parameters) when nothing but their tensor holds them; otherwise the
    non-donating variant runs. Each variant compiles on first use."""

    def __init__(self, closed, used, in_avals, gone):
        fun = jaxpr_as_fun(closed)
        avals = [a for a, u in zip(in_avals, used) if u]
        zeros = [a for a, u in zip(in_avals, used) if not u]

        def full(arrays):
            it, z = iter(arrays), iter(zeros)
            return [next(it) if u else jnp.zeros(*next(z)) for u in used]

        def run(arrays):
            return fun(*full(arrays))

        def run_donating(kept, donated):
            k, d = iter(kept), iter(donated)
            return fun(*full([next(d) if g else next(k) for g in gone]))
        self.gone = gone
        self.gone_at = [i for i, g in enumerate(gone) if g]
        self.avals = avals
        self.plain = jax.jit(run)
        self.donating = jax.jit(run_donating, donate_argnums=1) if any(gone) else None

    def __call__(self, ins):
        """Run on the Values `ins` (concrete; held by their tensors and this list only when
        donatable)."""
        if self.donating is not None:
            ok = True
            for i in self.gone_at:
                # a donated Value is held by its tensor, `ins`, `v` and the call; its array by
                # the Value, `a` and the call
                v = ins[i]
                a = v.data
                if sys.getrefcount(v) != 4 or sys.getrefcount(a) != 3:
                    ok = False
                    break
            v = a = None
            if ok:
                kept = [v.data for v, g in zip(ins, self.gone) if not g]
                donated = [v.data for v, g in zip(ins, self.gone) if g]
                return self.donating(kept, donated)
        return self.plain([v.data for v in ins])


# ---- the compiled function -------------------------------------------------------------------

class CompiledFunction:
    """What `torchish.compile(fn)` returns: calls fn as one jitted program where it can."""

    def __init__(self, fn, fullgraph=False):
        functools.update_wrapper(self, fn, updated=())
        self._fn = fn
        self._fullgraph = fullgraph
        self._seed = []  # weakrefs to tensors seen as state
        self._groups = {}  # id(group) -> (optimizer, group) whose step ran
        self._entries = {}  # guard key -> [_Entry]
        self._lazy = set()  # guard keys the lazy engine runs
        self._calls = 0
        self._programs = 0

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        if _rec is not None:  # inside another compiled function's call: part of its trace
            return self._fn(*args, **kwargs)
        targs, key = [], []
        _flatten(args, targs, key)
        if kwargs:
            _flatten(kwargs, targs, key)
        key = (tuple(key), grad_mode.state.enabled, _dtypes.get_default_dtype())
        entries = self._entries.get(key)
        if entries:
            for e in list(entries):
                r = e(targs)
                if r is _GONE:
                    entries.remove(e)
                elif r is not _MISS:
                    return r
        self._calls += 1
        if self._calls == 1:
            return self._warm_up(args, kwargs)
        if key in self._lazy or self._programs >= RECOMPILE_LIMIT:
            return self._fn(*args, **kwargs)
        return self._trace(key, targs, args, kwargs)

    # ---- the first call: lazy, recording the state it touches ----------------------------------
    def _warm_up(self, args, kwargs):
        rec = _Recorder(tracing=False)
        with rec:
            out = self._fn(*args, **kwargs)
        self._learn(rec)
        return out

    def _learn(self, rec):
        seen = {id(r()) for r in self._seed}
        new = list(rec.found.values())
        for opt, group in rec.groups.values():  # state an optimizer made on its first step
            self._groups[id(group)] = (opt, group)
            for p in group["params"]:
                new.extend(x for x in opt.state.get(p, {}).values() if isinstance(x, Tensor))
        for t in new:
            if id(t) not in seen:
                seen.add(id(t))
                self._seed.append(weakref.ref(t))

    # ---- tracing -------------------------------------------------------------------------------
    def _trace(self, key, targs, args, kwargs):
        err = None
        for _ in range(_TRACE_ROUNDS):
            try:
                entry = self._attempt(targs, args, kwargs)
                out = entry(targs)  # compiles; the state is as before the call
            except _Retry:
                continue
            except Exception as e:  # noqa: BLE001 - anything: the lazy engine decides
                err = e
                break
            if out is _MISS or out is _GONE:
                err = Untraceable("the guard fails right after tracing")
                break
            self._entries.setdefault(key, []).append(entry)
            self._programs += 1
            _lazy.Stats.hits -= 1
            _lazy.Stats.misses += 1
            return out
        else:
            err = Untraceable("the state the function touches kept changing")
        self._lazy.add(key)
        if self._fullgraph:
            raise RuntimeError(f"torchish.compile(fullgraph=True): the function cannot be traced "
                               f"into one program: {err!r}") from err
        return self._fn(*args, **kwargs)

    def _attempt(self, targs, args, kwargs):
        from ._rng import default_generator
        rng = default_generator.get_state()
        try:
            return self._attempt_traced(targs, args, kwargs, rng)
        except BaseException:
            default_generator.set_state(rng)  # the attempt's draws are undone
            raise

    def _attempt_traced(self, targs, args, kwargs, rng):
        from ._rng import default_generator
        targ_ids = {id(t) for t in targs}
        objs, ids = [], set()
        for r in self._seed:
            t = r()
            if t is not None and id(t) not in targ_ids and id(t) not in ids:
                objs.append(t)
                ids.add(id(t))
        grads_of = {id(t._grad) for t in objs if t._grad is not None}
        objs = [t for t in objs if id(t) not in grads_of]  # a .grad is state through its owner
        nstate = len(objs)
        for t in targs:
            if id(t) not in ids:
                objs.append(t)
                ids.add(id(t))
        if len(objs) != nstate + len(targs):
            raise Untraceable("a tensor argument is passed twice or is also global state")
        for t in objs:
            if t._grad_fn is not None:
                raise Untraceable("a non-leaf tensor is state the function reads")
        _settle()
        gobjs = [t._grad for t in objs]
        snaps = [(t, _state(t)) for t in objs] + [(g, _state(g)) for g in gobjs if g is not None]
        in_vals, layout = [], []
        for t, g in zip(objs, gobjs):
            layout.append(len(in_vals))
            in_vals.append(t._v)
            if g is not None:
                in_vals.append(g._v)
        groups = dict(self._groups)
        hyper0 = {i: _hyper(g) for i, (_, g) in groups.items()}
        names = _bound_names(self._fn)
        stats = (_lazy.Stats.hits, _lazy.Stats.misses, _lazy.Stats.executions)
        scalars = dict(_lazy._last_scalars)
        rec = _Recorder(tracing=True, known=ids | {id(g) for g in gobjs if g is not None})
        plan = {}

        def pure(arrays):
            bound = []
            for v, a in zip(in_vals, arrays):
                bound.append(Value(v.shape, v.dtype, data=a))
            for t, g, j in zip(objs, gobjs, layout):
                _bind(t, bound[j])
                if g is not None:
                    _bind(g, bound[j + 1])
            res = self._fn(*args, **kwargs)
            if rec.found:
                raise _Retry
            return _outputs(objs, gobjs, bound, layout, snaps, rec, res, plan)

        _new_tape()
        try:
            with rec:
                try:
                    closed = jax.make_jaxpr(pure)([v.data for v in in_vals])
                except _Retry:
                    closed = None
                finally:
                    for t, st in snaps:
                        _restore(t, st)
                    for t, st in rec.written.values():
                        _restore(t, st)
        finally:
            _lazy.Stats.hits, _lazy.Stats.misses, _lazy.Stats.executions = stats
            _lazy._last_scalars.update(scalars)
            _new_tape()  # the engine's tape may hold tracers now
        if closed is not None:
            _constants_of_state(closed, rec)
        if rec.found:
            self._learn(rec)
            raise _Retry
        for i, (opt, group) in rec.groups.items():
            if i not in groups:  # an optimizer not seen before: its hyper-parameters must be
                self._groups[i] = (opt, group)  # read before the call, trace again
                raise _Retry
            if not _same_hyper(_hyper(group), hyper0[i]):
                raise Untraceable("the function changes optimizer hyper-parameters")
        if not _same_rng(rng, default_generator.get_state()):
            raise Untraceable("the function draws random numbers (the default generator)")
        gc.collect()
        if any(r() is not None for r in rec.born_refs):
            raise Untraceable("the function keeps a tensor it created (it would hold a tracer)")
        # the program: drop inputs nothing reads
        jaxpr = closed.jaxpr
        read = set()
        for eq in jaxpr.eqns:
            read.update(id(v) for v in eq.invars if not isinstance(v, Literal))
        read.update(id(v) for v in jaxpr.outvars if not isinstance(v, Literal))
        used = [id(v) in read for v in jaxpr.invars]
        in_avals = [(v.shape, v.dtype.np) for v in in_vals]
        gone = [False] * len(in_vals)  # inputs the write-back replaces: donation candidates
        for k, _, _ in plan["vout"]:
            gone[layout[k]] = True
        for k, act, _, _ in plan["gout"]:
            gone[layout[k] + 1] = True
        run = _Program(closed, used, in_avals, [g for g, u in zip(gone, used) if u])
        sig = []
        for t, g in zip(objs, gobjs):
            sig.append((t._v.shape, t._v.dtype, t._requires_grad,
                        None if g is None else (g._v.shape, g._v.dtype)))
        return _Entry([weakref.ref(t) for t in objs[:nstate]], len(targs), sig, used, run,
                      plan["vout"], plan["gout"], plan["res_tree"], plan["res_spec"],
                      [(g, _hyper(g)) for _, g in rec.groups.values()],
                      [(m, m.training) for m in rec.modules.values()], names, plan["avals"])


def _settle():
    """Compute every pending value there is (one program): a trace must never meet one, since
    the engine would fill it with a tracer. Costs a scan of the heap, once per trace."""
    pending = [o for o in gc.get_objects() if type(o) is Value and o.data is None
               and o.node is not None]
    if pending:
        materialize(pending)


def _new_tape():
    """Start the engine's op tape over (where the engine keeps one): ops recorded in a trace
    hold tracers, and what was recorded before runs the same from a new tape."""
    tape = sys.modules.get(__package__ + "._tape")
    if tape is not None:
        tape.cur.reset()


def _constants_of_state(closed, rec):
    """Tensors whose arrays the trace captured as constants: state read without being bound
    (anything made during the trace is a tracer, so a constant array is one that existed before
    the call). Found through the Values holding them; their tensors become state."""
    consts = [c for c in closed.consts if isinstance(c, jax.Array)]
    if not consts:
        return
    for r in gc.get_referrers(*consts):
        if type(r) is Value and r.owner is not None:
            t = r.owner()
            if t is not None and id(t) not in rec.known:
                rec.found[id(t)] = t


def _same_rng(a, b):
    return len(a) == len(b) and bool((a == b).all())


def _bind(t, v):
    object.__setattr__(t, "_v", v)
    v.owner = weakref.ref(t)


def _outputs(objs, gobjs, bound, layout, snaps, rec, res, plan):
    """After the traced call: the arrays of every changed state value, grad and returned tensor;
    the plan to write them back goes into `plan`."""
    want, vout, gout, avals = [], [], [], []

    def out(v):
        want.append(v)
        avals.append((v.shape, v.dtype))
        return len(want) - 1

    start = {id(t): st for t, st in snaps}
    backward_ran = False
    for k, (t, g0, j) in enumerate(zip(objs, gobjs, layout)):
        _, _, gf, rg, _, vc = start[id(t)]
        if t._grad_fn is not None or t._requires_grad is not rg:
            raise Untraceable("the function changes the autograd state of a tensor it reads")
        if t._v is not bound[j]:
            vout.append((k, out(t._v), t._vc[0] - vc))
        g = t._grad
        if g is None:
            if g0 is not None:
                gout.append((k, NONE, -1, 0))
        elif g is g0:
            if g._v is not bound[j + 1]:
                backward_ran = True
                if g._grad_fn is not None:
                    raise Untraceable("a .grad with a graph (create_graph=True)")
                gout.append((k, SAME, out(g._v), g._vc[0] - start[id(g)][5]))
        elif id(g) in rec.born and g._grad_fn is None and not g._requires_grad:
            backward_ran = True
            gout.append((k, NEW, out(g._v), 0))
        else:
            raise Untraceable("a .grad set to a tensor the function did not create")
    index = {id(t): k for k, t in enumerate(objs)}
    spec = []
    for x in _tree_tensors(res, []):
        k = index.get(id(x))
        if k is not None:
            spec.append(("t", k))
        elif id(x) in rec.born:
            if x._requires_grad and not backward_ran:
                raise Untraceable("the result has a graph for a backward outside the function")
            spec.append(("o", out(x._v)))
        else:
            raise Untraceable("the function returns a tensor it did not create")
    pending = [v for v in want if v.data is None]
    if pending:
        materialize(pending)
    if rec.found:
        raise _Retry
    plan.update(vout=vout, gout=gout, res_spec=spec, avals=avals,
                res_tree=_rebuild(res, lambda: _HOLE))
    return [v.data for v in want]


class OptimizedModule:
    """What `torchish.compile(module)` returns: calls the module compiled; everything else
    (parameters, state_dict, train/eval, attributes) is the original module's."""

    def __init__(self, mod, fullgraph=False):
        object.__setattr__(self, "_orig_mod", mod)
        object.__setattr__(self, "_compiled", CompiledFunction(mod.__call__, fullgraph))

    def __call__(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._orig_mod, name)

    def __setattr__(self, name, value):
        setattr(self._orig_mod, name, value)

    def __repr__(self):
        return f"OptimizedModule({self._orig_mod!r})"


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """torch.compile: `model` (a function or an nn.Module) traced into one XLA program per guard,
    falling back to the lazy engine where it cannot be (see the module docstring). Usable as
    `compile(fn)`, `@compile` and `@compile(...)`."""
    def wrap(m):
        if disable:
            return m
        if not callable(m):
            raise RuntimeError("torch.compile: model must be a callable (a function or a "
                               f"nn.Module), got {type(m).__name__}")
        from .nn.modules.module import Module
        if isinstance(m, Module):
            return OptimizedModule(m, fullgraph)
        return CompiledFunction(m, fullgraph)
    return wrap if model is None else wrap(model)
