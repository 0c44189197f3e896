"""`loss.backward()` straight from the tape: no graph walk, one program per step.

When the loss's graph lies on the current tape (`_tape`), its program signature was built while the
ops were recorded: the program replays the tape inside `jax.vjp`, with the leaves' values as primals
and every operand that torch would not differentiate behind `stop_gradient`, and returns the
gradients (added into existing `.grad`s) and every pending value a live tensor still waits for.
Which leaves and nodes the loss reaches depends only on the signature, so it is worked out once,
when the program is built. Anything unusual (hooks, retain_grad, modified saved tensors, several
roots, edges off the tape) returns False and leaves the work to the engine's graph walk.
"""

import warnings
import weakref
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from .. import _tape
from .._lazy import Value, _scalars, apply_op, compiled, donation_flags, run_steps
from .._packed import Unpacked, layout, pack, packing, unpack_node
from .._tape import NODE_EDGE
from .._tensor import new_tensor
from ._release import release
from .graph import watched

HELD = -1  # a leaf's .grad is a computed array, passed to the program to add into
_ref = weakref.ref


def backward(t, retain_graph):
    """Accumulate d t / d leaves into the leaves' .grad from the tape; False if it cannot."""
    tp = _tape.local.tape
    gf = t._grad_fn
    gen = tp.gen
    if gf is None or not tp.ok or gf.tgen != gen or t._v.data is not None:
        return False  # a leaf root, or a graph the tape does not hold
    live, slots = [], []
    for r in tp.nodes:  # (hooks on these nodes, or freeing them, set tp.ok False)
        nd = r()
        if nd is None or type(nd) is Unpacked:  # (its outputs are ready in their buffer)
            continue
        sv = nd.saved
        if sv is not None:
            for rec in sv:
                if rec[1][0] != rec[2]:
                    return False
        j = nd.tslot
        for o in nd.outs:  # pending outputs a live tensor holds (Value.live, inlined)
            v = o() if o is not None else None
            if v is not None and v.data is None:
                w = v.owner
                w = w() if w is not None else None
                if w is not None and w._v is v:
                    live.append(v)
                    slots.append(j)
            j += 1
    if len(watched):
        for w in watched:
            g = w._grad_fn
            if g is not None and g.tgen == gen and (w._hooks or w._retains_grad):
                return False
    gstate = []  # per leaf: None (no .grad yet), HELD (a computed .grad) or its pending slot
    for acc in tp.accs:
        var = acc.variable
        if acc._hooks or acc._prehooks or var._hooks or var.__dict__.get("_post_acc_hooks"):
            return False
        g = var._grad
        if g is None:
            gstate.append(None)
        elif g._v.data is not None:
            gstate.append(HELD)
        else:  # zeroed in place, or a packed output of the last program: computed here
            nd = g._v.node
            if nd.tgen != gen and nd.tgen != -gen:
                tp.bring(nd)
            gstate.append(nd.tslot + g._v.idx)
    steps = tuple(tp.steps)
    root = gf.tslot + t._out_nr
    donate = _donatable(tp, live) if tp.big else None
    packs = packing()
    key = ("tape", steps, root, tuple(slots), tuple(gstate), tuple(tp.leaf_accs), len(tp.sf),
           len(tp.si), donate, packs)
    (fn, accs, free, rel, (plain, groups)), fresh = compiled(
        key, partial(_program, tp, steps, root, live, slots, gstate, donate, packs))
    olds = [tp.accs[a].variable._grad._v.data for a in accs if gstate[a] == HELD]
    sf, si = _scalars(tp.sf, np.float64), _scalars(tp.si, np.int64)
    if donate is None:
        flat, packs = fn(tp.args, sf, si, olds)
    else:
        args = tp.args
        kept = [a for a, d in zip(args, donate) if not d]
        gone = [a for a, d in zip(args, donate) if d]
        args = None
        tp.args = []  # the program consumes them: hold no reference
        if fresh:  # compiles: XLA says so where a donated buffer fits no output; that is fine
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Some donated buffers were not usable")
                flat, packs = fn(kept, gone, sf, si, olds)
        else:
            flat, packs = fn(kept, gone, sf, si, olds)
    tpaccs = tp.accs
    na = len(accs)
    out = [None] * (na + len(live))  # the grads' Values, then the live ones, filled
    for i, r in zip(plain, flat):
        if i < na:
            x = tpaccs[accs[i]].variable._v
            out[i] = Value(x.shape, x.dtype, r)
        else:
            v = out[i] = live[i - na]
            v.data = r
            v.node = None
    for (idx, parts, dt), buf in zip(groups, packs):
        un = unpack_node(buf, dt, parts)
        uouts = un.outs
        j = 0
        for i in idx:  # each becomes output j of `un` (pending: sliced when read)
            if i < na:
                x = tpaccs[accs[i]].variable._v
                v = out[i] = Value(x.shape, x.dtype, None, un, j)
            else:
                v = live[i - na]
                v.node = un
                v.idx = j
            uouts[j] = _ref(v)
            j += 1
    for a, v in zip(accs, out):
        var = tpaccs[a].variable
        gt = new_tensor(v, None, False, 0)
        old = var._grad
        if old is None:
            var._grad = gt
        else:
            old._assign(gt)
    nodes = tp.nodes
    if not retain_graph:
        for i in free:
            nd = nodes[i]()
            if nd is not None:
                nd.freed = True
    big = tp.big
    tp.reset()
    if big and not retain_graph:  # buffers worth donating: let the graph drop what it holds
        release([nodes[i]() for i in rel])
    return True


def _donatable(tp, live):
    """Which arguments the tape's program may consume (`_lazy.donation_flags`): a tuple of
    flags, or None."""
    nodes = []
    for r in tp.nodes:
        nd = r()
        if nd is not None:
            nodes.append(nd)
    return donation_flags(nodes, tp.argv, tp.args, tp.big, {id(v) for v in live}, _held, 0)


def _held(w):
    return 0  # the tape holds no output value


def _program(tp, steps, root, live, slots, gstate, donate, packs):
    """(jitted program, reached acc indices, positions in tp.nodes of the nodes to free, of the
    reached nodes that may release operands once freed, last first (see _release), and how the
    outputs travel (`_packed.layout` of the grads, then the live values))."""
    owner = []  # slot -> index of the step that makes it
    for j, st in enumerate(steps):
        k = st[0]
        owner.extend([j] * (1 if len(st) < 6 else st[5]))
    reached, leaves = {owner[root]}, set()
    for j in range(owner[root], -1, -1):
        if j not in reached:
            continue
        st = steps[j]
        kinds = st[4]
        if kinds is None:
            continue
        for s, k in zip(st[3], kinds):
            if k == NODE_EDGE:
                reached.add(owner[s])
            elif k >= 0:
                leaves.add(k)
    leaf_acc = tp.leaf_accs
    accs = sorted({leaf_acc[k] for k in leaves})
    prims = sorted(leaves)
    at = [j for j, st in enumerate(steps) if len(st) == 6]  # node i of tp.nodes: step at[i]
    free = [i for i, j in enumerate(at) if j in reached and steps[j][0].saves]
    rel = [i for i in range(len(at) - 1, -1, -1)
           if at[i] in reached and (steps[at[i]][0].saves or steps[at[i]][0].linear)]
    prim_slot = {}
    for k in prims:  # the slot holding leaf k's value: the operand of its first use
        for st in steps:
            if len(st) == 6 and st[4] is not None and k in st[4]:
                prim_slot[k] = st[3][st[4].index(k)]
                break
    need = _lineage(steps, owner, [prim_slot[k] for k in prims]
                    + [gstate[a] for a in accs if gstate[a] is not None and gstate[a] >= 0])
    pos = {k: i for i, k in enumerate(prims)}
    avals = [(tp.accs[a].variable._v.shape, tp.accs[a].variable._v.dtype) for a in accs]
    avals += [(v.shape, v.dtype) for v in live]
    plain, groups = how = layout(avals) if packs else (tuple(range(len(avals))), ())

    def prog(args, sf, si, olds):
        env = _run(steps, args, sf, si, None, need)
        primals = [env[prim_slot[k]] for k in prims]

        def f(pr):
            e = _run(steps, args, sf, si, (pr, pos), None)
            return e[root], [e[s] for s in slots]
        out, pull, vals = jax.vjp(f, primals, has_aux=True)
        (gp,) = pull(jnp.ones_like(out))
        by_acc = {}
        for k, g in zip(prims, gp):
            a = leaf_acc[k]
            by_acc[a] = g if a not in by_acc else by_acc[a] + g
        oi = iter(olds)
        grads = []
        for a in accs:
            old = gstate[a]
            g = by_acc[a]
            grads.append(g if old is None else g + (next(oi) if old == HELD else env[old]))
        return pack(grads + vals, plain, groups)
    if donate is None:
        return jax.jit(prog), accs, free, rel, how

    def prog_donating(kept, gone, sf, si, olds):
        k, g = iter(kept), iter(gone)
        return prog([next(g) if d else next(k) for d in donate], sf, si, olds)
    return jax.jit(prog_donating, donate_argnums=(1,)), accs, free, rel, how


def _lineage(steps, owner, targets):
    """Indices of the steps the `targets` slots depend on."""
    need, stack = set(), [owner[s] for s in targets]
    while stack:
        j = stack.pop()
        if j in need:
            continue
        need.add(j)
        st = steps[j]
        if len(st) == 6:
            stack.extend(owner[s] for s in st[3])
    return need


def _run(steps, args, sf, si, subst, only):
    """The tape's steps at trace time. `subst` = (primals, leaf -> position): leaf operands
    take the primals and operands torch does not differentiate are constants; `only`: the step
    indices to compute (others leave None)."""
    def op_step(j, st, env):
        if only is not None and j not in only:
            env.extend([None] * st[5])
            return
        xs = [env[s] for s in st[3]]
        kinds = st[4]
        if subst is not None and kinds is not None:
            pr, pos = subst
            for i, kd in enumerate(kinds):
                p = pos.get(kd) if kd >= 0 else None
                if p is not None:
                    xs[i] = pr[p]
                elif kd != NODE_EDGE and isinstance(xs[i], jax.Array):
                    xs[i] = jax.lax.stop_gradient(xs[i])
        env.extend(apply_op(st[0], st[1], st[2], xs))
    return run_steps(steps, [], args, sf, si, op_step)
