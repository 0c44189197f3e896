"""backward() and grad(): the recorded graph lowered to ONE jitted jax.vjp, cached by signature.

The program replays the forward from the leaves (and the constants they meet), pulls the
cotangents back, adds into existing .grad values, and also returns forward values that live
tensors still wait for, so `loss.item()` after backward costs no second program.
"""

import weakref

import jax
import jax.numpy as jnp

from .._lazy import Builder, Value, _Packed, compiled, run_steps, set_data
from .graph import AccumulateGrad

FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")

# Tensors with retain_grad() or hooks: the engine asks these, not the whole heap.
watched = weakref.WeakSet()


def _topo(roots):
    """Nodes reachable from `roots` over autograd edges, inputs before users."""
    order, seen = [], set()
    for r in roots:
        if r is None or id(r) in seen or isinstance(r, AccumulateGrad):
            continue
        stack = [(r, False)]
        while stack:
            nd, done = stack.pop()
            if done:
                order.append(nd)
                continue
            if id(nd) in seen:
                continue
            seen.add(id(nd))
            if nd.freed:
                raise RuntimeError(FREED)
            stack.append((nd, True))
            for e in nd.edges:
                if e is not None and not isinstance(e[0], AccumulateGrad) and id(e[0]) not in seen:
                    stack.append((e[0], False))
    return order


def run_backward(roots, cots, targets, retain_graph, accumulate):
    """Core of backward/grad. `targets`: tensors whose gradients are wanted (None: all leaves).

    Returns the list of gradient arrays for `targets` (None where unreached) when not accumulating.
    """
    from .._tensor import new_tensor

    order = _topo([t._grad_fn for t in roots])
    in_graph = {id(n) for n in order}
    b = Builder()
    # ---- constant region: everything not differentiated -------------------------------------
    leaves = {}  # id(AccumulateGrad) -> (index, acc, const slot)
    const_in = {}
    for nd in order:
        ins = []
        for i, x in enumerate(nd.inputs):
            e = nd.edges[i] if i < len(nd.edges) else None
            if e is None:
                ins.append(b.value(x) if isinstance(x, Value) else b.scalar(x))
            elif isinstance(e[0], AccumulateGrad):
                acc = e[0]
                if id(acc) not in leaves:
                    leaves[id(acc)] = (len(leaves), acc, b.value(x))
                ins.append(None)
            else:
                ins.append(None)
        const_in[id(nd)] = ins
    for t in roots:  # a leaf used directly as a root
        if t._grad_fn is None:
            from .graph import accumulator
            acc = accumulator(t)
            if id(acc) not in leaves:
                leaves[id(acc)] = (len(leaves), acc, b.value(t._v))
    cot_slots = tuple(b.value(c._v) if c is not None else None for c in cots)
    # which tensors get gradients, and where
    want_leaf, taps = [], []
    if targets is None:
        for _, acc, _s in leaves.values():
            want_leaf.append(acc)
        extra = [t for t in watched if t._retains_grad and t._grad_fn is not None
                 and id(t._grad_fn) in in_graph]
    else:
        extra = [t for t in targets if t._grad_fn is not None]
    hooked = [t for t in watched if t._hooks and t._grad_fn is not None
              and id(t._grad_fn) in in_graph and t not in extra]
    extra = extra + hooked
    old = {}
    if accumulate:
        for acc in want_leaf:
            t = acc.variable
            if t._grad is not None and not t._hooks:
                old[id(acc)] = b.value(t._grad._v)
    const_steps = tuple(b.steps)
    live_const = [(v, s) for v, s in b.pending if v.live()]
    nconst = b.n
    # ---- differentiated region ---------------------------------------------------------------
    leaf_list = sorted(leaves.values(), key=lambda x: x[0])
    primal_slot = {id(acc): nconst + k for k, acc, _s in leaf_list}
    n = nconst + len(leaf_list)
    diff_steps, node_slot, live_diff = [], {}, []
    tap_at = {}
    for k, t in enumerate(extra):
        tap_at.setdefault((id(t._grad_fn), t._out_nr), []).append(k)
    for nd in order:
        ins = const_in[id(nd)]
        for i, e in enumerate(nd.edges):
            if e is not None:
                ins[i] = (primal_slot[id(e[0])] if isinstance(e[0], AccumulateGrad)
                          else node_slot[id(e[0])] + e[1])
        node_slot[id(nd)] = n
        diff_steps.append((nd.op, nd.params, nd.cdtype, tuple(ins)))
        for j in range(len(nd.outs)):
            for k in tap_at.get((id(nd), j), ()):
                diff_steps.append(("t", n + j, k))
            ref = nd.outs[j]
            v = ref() if ref is not None else None
            if v is not None and v.data is None and v.live():
                live_diff.append((v, n + j))
        n += len(nd.outs)
    root_slots = tuple(node_slot[id(t._grad_fn)] + t._out_nr if t._grad_fn is not None
                       else primal_slot[id(_acc(t))] for t in roots)
    tap_avals = tuple((t._v.shape, t._v.dtype.np) for t in extra)
    leaf_old = tuple(old.get(id(acc)) for _, acc, _s in leaf_list)
    key = ("bwd", const_steps, tuple(s for _, _, s in leaf_list), tuple(diff_steps), root_slots,
           tap_avals, tuple(s for _, s in live_const), tuple(s for _, s in live_diff), cot_slots,
           leaf_old, len(b.sf), len(b.si))
    fn = compiled(key, lambda: _program(*key[1:9], leaf_old))
    sf, si = _Packed.pack(b.sf, b.si)
    grads, tap_grads, aux, lc, root_vals = fn(b.args, sf, si)
    for (v, _), r in zip(live_const, lc):
        set_data(v, r)
    for (v, _), r in zip(live_diff, aux):
        set_data(v, r)
    for t, r in zip(roots, root_vals):
        if t._v.data is None:
            set_data(t._v, r)
    if not retain_graph:
        for nd in order:
            if nd.op.saves:
                nd.freed = True
    by_acc = {id(acc): g for (_, acc, _s), g in zip(leaf_list, grads)}
    tap_by = dict(zip(map(id, extra), tap_grads))
    for t in hooked:
        g = _run_hooks(t, tap_by[id(t)])
        tap_by[id(t)] = g
    if not accumulate:
        out = []
        for t in targets:
            if t._grad_fn is not None:
                out.append(tap_by.get(id(t)))
            else:
                out.append(by_acc.get(id(_acc(t))))
        return out
    for _, acc, _s in leaf_list:
        _accumulate(acc.variable, by_acc[id(acc)], id(acc) in old)
    for t in extra:
        if t._retains_grad:
            _accumulate(t, tap_by[id(t)], False)
    return None


def _acc(t):
    from .graph import accumulator
    return accumulator(t)


def _run_hooks(t, g):
    from .._tensor import from_array
    if not t._hooks:
        return g
    gt = from_array(g)
    for h in list(t._hooks):
        r = h(gt)
        if r is not None:
            gt = r
    return gt._array()


def _accumulate(t, g, summed):
    """AccumulateGrad: set .grad, or add into it in place (the sum may already be done)."""
    from .._lazy import concrete
    from .._tensor import new_tensor
    if t._hooks:
        g = _run_hooks(t, g)
    if t._grad is None:
        t._grad = new_tensor(concrete(g, t._v.dtype), None, False, 0)
    elif summed:
        gt = t._grad
        gt._v = concrete(g, gt._v.dtype)
        gt._v.owner = weakref.ref(gt)
        gt._vc[0] += 1
    else:
        t._grad.add_(new_tensor(concrete(g, t._v.dtype), None, False, 0))


def _program(const_steps, leaf_slots, diff_steps, root_slots, tap_avals, live_const, live_diff,
             cot_slots, leaf_old):
    def prog(args, sf, si):
        env = run_steps(const_steps, [], args, sf, si)
        primals = [env[s] for s in leaf_slots]
        taps = [jnp.zeros(shape, dt) for shape, dt in tap_avals]

        def f(primals, taps):
            e = list(env)
            e.extend(primals)
            for st in diff_steps:
                if st[0] == "t":
                    e[st[1]] = e[st[1]] + taps[st[2]]
                else:
                    run_steps((st,), e, (), None, None)
            return [e[s] for s in root_slots], [e[s] for s in live_diff]

        roots, pull, aux = jax.vjp(f, primals, taps, has_aux=True)
        cots = [env[c].astype(r.dtype) if c is not None else jnp.ones_like(r)
                for c, r in zip(cot_slots, roots)]
        gp, gt = pull(cots)
        grads = [g if o is None else env[o] + g for g, o in zip(gp, leaf_old)]
        return grads, gt, aux, [env[s] for s in live_const], roots
    return prog
