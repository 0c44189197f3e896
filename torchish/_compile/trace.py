"""Tracing a call into a jaxpr: the state bound to tracers, the function run on them, undone after.

One attempt binds the known state tensors and the call's tensor arguments (values and grads) to
tracers and runs the function under `jax.make_jaxpr`, so the engine's own programs inline into the
trace. The new values, grads and returned tensors become the jaxpr's outputs. Then every tensor,
the random generator and the engine's counters are put back as before the call: the traced call's
results come from running the program. An attempt that meets state it did not bind learns it and
raises `Retry`; one that cannot become a program raises `Untraceable` (the lazy engine runs it).
"""

import gc
import weakref

import jax
from jax.extend.core import Literal

from .. import _lazy, _tape
from .._lazy import Value, materialize
from .._rng import default_generator
from ..autograd import engine as _engine
from .guard import Guard, bound_names, hyper, same_hyper
from .program import Entry, Program
from .recorder import Recorder, restore, snapshot
from .writeback import HOLE, NEW, NONE, SAME, WriteBack, rebuild, tree_tensors


class Untraceable(Exception):
    """Raised inside a trace when the function cannot become one program (the lazy engine runs
    it)."""


class Retry(Exception):
    """The trace met tensors that are state it did not bind: trace again with them."""


def trace(fn, known, targs, args, kwargs):
    """One attempt to trace `fn(*args, **kwargs)` with the state `known`: an Entry, or Retry or
    Untraceable. A failed attempt's random draws are undone too."""
    rng = default_generator.get_state()
    try:
        return _trace(fn, known, targs, args, kwargs, rng)
    except BaseException:
        default_generator.set_state(rng)
        raise


def _state_tensors(known, targs):
    """The tensors to bind: the live known state (a .grad is state through its owner), then the
    tensor arguments; how many are state; and the positions of the arguments that are known state
    (the program is right only for those very tensors there: the function may also reach them
    another way)."""
    targ_ids = {id(t) for t in targs}
    objs, ids, pinned = [], set(), set()
    for r in known.seed:
        t = r()
        if t is None or id(t) in ids:
            continue
        if id(t) in targ_ids:
            pinned.add(id(t))
        else:
            objs.append(t)
            ids.add(id(t))
    grads_of = {id(t._grad) for t in objs if t._grad is not None}
    objs = [t for t in objs if id(t) not in grads_of]
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
    return objs, nstate, [i for i, t in enumerate(targs) if id(t) in pinned]


def _trace(fn, known, targs, args, kwargs, rng):
    objs, nstate, pinned = _state_tensors(known, targs)
    _settle()
    gobjs = [t._grad for t in objs]
    snaps = [(t, snapshot(t)) for t in objs] + [(g, snapshot(g)) for g in gobjs if g is not None]
    in_vals, layout = [], []  # layout[k]: where tensor k's value is (its grad's follows)
    for t, g in zip(objs, gobjs):
        layout.append(len(in_vals))
        in_vals.append(t._v)
        if g is not None:
            in_vals.append(g._v)
    groups = dict(known.groups)
    hyper0 = {i: hyper(g) for i, (_, g) in groups.items()}
    names = bound_names(fn)
    stats = (_lazy.Stats.hits, _lazy.Stats.misses, _lazy.Stats.executions)
    scalars = dict(_lazy._last_scalars)
    rec = Recorder(tracing=True, known={id(t) for t in objs} | {id(g) for g in gobjs
                                                                  if g is not None})
    plan = {}

    def pure(arrays):
        bound = []
        for v, a in zip(in_vals, arrays):
            bound.append(Value(v.shape, v.dtype, data=a))
        for t, g, j in zip(objs, gobjs, layout):
            _bind(t, bound[j])
            if g is not None:
                _bind(g, bound[j + 1])
        runs = _engine.runs[0]
        res = fn(*args, **kwargs)
        if rec.found:
            raise Retry
        return _outputs(objs, gobjs, bound, layout, snaps, rec, res, plan,
                        _engine.runs[0] != runs)

    # ops the trace records hold tracers; what came before runs the same anew
    _tape.local.tape.reset()
    try:
        with rec:
            try:
                closed = jax.make_jaxpr(pure)([v.data for v in in_vals])
            except Retry:
                closed = None
            finally:
                for t, st in snaps:
                    restore(t, st)
                for t, st in rec.written.values():
                    restore(t, st)
    finally:
        _lazy.Stats.hits, _lazy.Stats.misses, _lazy.Stats.executions = stats
        _lazy._last_scalars.update(scalars)
        _tape.local.tape.reset()  # the engine's tape may hold tracers now
    if closed is not None:
        _constants_of_state(closed, rec)
    if rec.found:
        known.learn(rec)
        raise Retry
    for i, (opt, group) in rec.groups.items():
        if i not in groups:  # an optimizer not seen before: its hyper-parameters must be
            known.groups[i] = (opt, group)  # read before the call, trace again
            raise Retry
        if not same_hyper(hyper(group), hyper0[i]):
            raise Untraceable("the function changes optimizer hyper-parameters")
    if not _same_rng(rng, default_generator.get_state()):
        raise Untraceable("the function draws random numbers (the default generator)")
    gc.collect()
    if any(r() is not None for r in rec.born_refs):
        raise Untraceable("the function keeps a tensor it created (it would hold a tracer)")
    return _entry(closed, in_vals, layout, plan, objs, gobjs, nstate, pinned, rec, names)


def _entry(closed, in_vals, layout, plan, objs, gobjs, nstate, pinned, rec, names):
    """The traced call as an Entry: the program without the inputs nothing reads, donating the
    ones the write-back replaces, guarded by what the trace saw."""
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
    for k, _, _, _ in plan["gout"]:
        gone[layout[k] + 1] = True
    program = Program(closed, used, in_avals, [g for g, u in zip(gone, used) if u])
    sig = []
    for t, g in zip(objs, gobjs):
        sig.append((t._v.shape, t._v.dtype, t._requires_grad,
                    None if g is None else (g._v.shape, g._v.dtype)))
    guard = Guard(objs[:nstate], [(i, objs[nstate + i]) for i in pinned], sig,
                  [(g, hyper(g)) for _, g in rec.groups.values()],
                  [(m, m.training) for m in rec.modules.values()], names)
    write_back = WriteBack(plan["vout"], plan["gout"], plan["res_tree"], plan["res_spec"],
                           plan["avals"])
    return Entry(guard, used, program, write_back)


def _settle():
    """Compute every pending value there is (one program): a trace must never meet one, since
    the engine would fill it with a tracer. Costs a collection and a scan of the heap, once per
    trace: the collection first, or garbage that still holds tracers of an earlier trace (a
    trace that failed, kept alive by its exception's frames) would be computed too."""
    gc.collect()
    pending = [o for o in gc.get_objects() if type(o) is Value and o.data is None
               and o.node is not None]
    if pending:
        materialize(pending)


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


def _outputs(objs, gobjs, bound, layout, snaps, rec, res, plan, backward_ran):
    """After the traced call: the arrays of every changed state value, grad and returned tensor;
    the plan to write them back goes into `plan`. `backward_ran`: the call ran a backward (its
    result's graph is spent then, even where the grads it made were dropped again)."""
    want, vout, gout, avals = [], [], [], []

    def out(v):
        want.append(v)
        avals.append((v.shape, v.dtype))
        return len(want) - 1

    start = {id(t): st for t, st in snaps}
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
    for x in tree_tensors(res, []):
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
        raise Retry
    plan.update(vout=vout, gout=gout, res_spec=spec, avals=avals,
                res_tree=rebuild(res, lambda: HOLE))
    return [v.data for v in want]
