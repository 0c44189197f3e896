"""backward() and grad(): the recorded graph lowered to jitted jax.vjp programs, cached per graph.

A plain `loss.backward()` runs from the tape (`_tape_backward.py`). Otherwise the graph is walked:
`_fast` lowers a graph without hooks into one segment (`_segment.py`) computed with the forward
values live tensors still wait for; `_run` handles the rest in torch's order - hooks that may
replace a non-leaf's gradient cut the graph (one segment per cut, the hooks run in between),
create_graph keeps the segments on the tape, grad(inputs=...) replays only what torch would run.
Without create_graph everything is computed in ONE program that also adds into existing .grad
values (`loss.item()` after backward costs nothing).
"""

import jax.numpy as jnp

from .. import _tape
from .._lazy import Builder, Node, Value, materialize, set_data
from .._ops._registry import OpDef
from .._tensor import new_tensor
from . import _tape_backward, grad_mode
from ._segment import ONES, _seg_op, segment, topo
from .graph import AccumulateGrad, accumulator, check_versions, run_tensor_hooks, watched

FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")

def _add(d, key, g):
    old = d.get(key)
    d[key] = g if old is None else old + g


runs = [0]  # backward()/grad() calls so far (torchish.compile asks whether its function ran one)


def run_backward(roots, cots, targets, retain_graph, accumulate, create_graph=False):
    """Core of backward/grad. `cots`: Tensor or None (ones) per root; `targets`: tensors whose
    gradients are wanted (None: every leaf, into .grad). Returns the targets' gradient Tensors
    (None where unreached) unless accumulating."""
    runs[0] += 1
    if accumulate and targets is None and not create_graph:
        if len(roots) == 1 and cots[0] is None and _tape_backward.backward(roots[0], retain_graph):
            return None
        if _fast(roots, cots, retain_graph):
            return None
    with grad_mode.set_grad_enabled(create_graph):
        out = _run(roots, cots, targets, retain_graph, accumulate, create_graph)
    return out


_last_seg = [(None, None)]  # the last (spec, op), one tuple (threads): a loop repeats it


def _fast(roots, cots, retain_graph):
    """backward() into .grad when nothing needs the general driver below (no create_graph, no
    inputs=, no hooks or retain_grad on the graph, no freed or modified saved tensors).

    ONE walk orders the graph, checks it and emits the segment's steps, feeding the segment's
    inputs straight into the program builder (no second walk); the grads, the accumulation and
    the forward values live tensors wait for are then computed by one program. Returns False,
    having changed nothing, where the general driver must run (it raises torch's errors in
    torch's order)."""
    b = Builder()
    value, scalar = b.value, b.scalar
    slot, seen = {}, set()  # id(node) -> first output slot in the segment; nodes entered
    steps, order, seg_in, in_pos = [], [], [], {}  # seg_in: program slot per segment input
    seg_x = []  # the segment's inputs (Values and scalars)
    src_index, srcs, src_pos = {}, [], []  # leaves: id(acc) -> k; (acc, Value); input position
    aux, aux_seen = [], set()  # forward values live tensors still wait for
    n = 0
    for t in roots:
        gf = t._grad_fn
        if gf is None:
            return False
        stack = [(gf, False)]
        while stack:
            nd, done = stack.pop()
            if not done:
                if id(nd) in seen:
                    continue
                seen.add(id(nd))
                stack.append((nd, True))
                for e in nd.edges:
                    if e is not None and id(e[0]) not in seen and type(e[0]) is not AccumulateGrad:
                        stack.append((e[0], False))
                continue
            if nd.freed or nd._hooks or nd._prehooks:
                return False
            if nd.saved is not None:
                for rec in nd.saved:
                    if rec[1][0] != rec[2]:
                        return False
            ins = []
            edges = nd.edges
            ne = len(edges)
            i = 0
            for x in nd.inputs:
                e = edges[i] if i < ne else None
                i += 1
                if e is not None:
                    tgt = e[0]
                    s = slot.get(id(tgt))
                    if s is not None:
                        ref = tgt.outs[e[1]]
                        if ref is None or ref() is not x:
                            return False  # written in place without grad: the general driver
                        s += e[1]
                        ins.append(s)
                        if x.data is None and id(x) not in aux_seen:
                            aux_seen.add(id(x))
                            if x.live():
                                aux.append((x, s))
                        continue
                    k = src_index.get(id(tgt))
                    if k is None:
                        v = tgt.variable
                        if (tgt._hooks or tgt._prehooks or v._hooks
                                or v.__dict__.get("_post_acc_hooks")):
                            return False
                        k = src_index[id(tgt)] = len(srcs)
                        srcs.append((tgt, x))
                        src_pos.append(len(seg_in))
                        seg_in.append(value(x))
                        seg_x.append(x)
                    ins.append(~src_pos[k])
                elif type(x) is Value:
                    p = in_pos.get(id(x))
                    if p is None:
                        p = in_pos[id(x)] = len(seg_in)
                        seg_in.append(value(x))
                        seg_x.append(x)
                    ins.append(~p)
                else:
                    ins.append(~len(seg_in))
                    seg_in.append(scalar(x))
                    seg_x.append(x)
            slot[id(nd)] = n
            steps.append((nd.op, nd.params, nd.cdtype, tuple(ins)))
            order.append(nd)
            n += len(nd.outs)
    if len(watched):
        for t in watched:
            gf = t._grad_fn
            if gf is not None and id(gf) in slot and (t._hooks or t._retains_grad):
                return False
    sink_slots, cot_spec = [], []
    for t, c in zip(roots, cots):
        sink_slots.append(slot[id(t._grad_fn)] + t._out_nr)
        if c is None:
            cot_spec.append(ONES)
        else:
            cot_spec.append(len(seg_in))
            seg_in.append(value(c._v))
            seg_x.append(c._v)
    spec = ("vjp", tuple(steps), tuple(src_pos), tuple(sink_slots), tuple(cot_spec), (),
            tuple(s for _, s in aux))
    ns, nr = len(srcs), len(roots)
    nout = ns + nr + len(aux)
    last = _last_seg[0]
    if spec == last[0]:
        op = last[1]
    else:
        op = _seg_op(spec, nout)
        _last_seg[0] = (spec, op)
    node = Node(op, (), None, tuple(seg_x), nout)  # the segment's outputs until computed
    base = b.slot[id(node)] = b.n
    b.steps.append((op, (), None, tuple(seg_in)))
    b.n += nout
    b.keep.append(node)
    if not retain_graph:
        _free(order)
    want, slots, fill = [], [], []
    for j, t in enumerate(roots):
        v = t._v
        if v.data is None:
            c = Value(v.shape, v.dtype, None, node, ns + j)
            want.append(c)
            slots.append(base + ns + j)
            fill.append((v, c))
    for j, (v, _) in enumerate(aux):
        c = Value(v.shape, v.dtype, None, node, ns + nr + j)
        want.append(c)
        slots.append(base + ns + nr + j)
        fill.append((v, c))
    for k, (acc, x) in enumerate(srcs):  # AccumulateGrad
        g = new_tensor(Value(x.shape, x.dtype, None, node, k), None, False, 0)
        t = acc.variable
        if t._grad is None:
            t._grad = g
            want.append(g._v)
            slots.append(base + k)
        else:
            g = accumulate_grad(t, g, False)
            want.append(g._v)
            slots.append(value(g._v))
    b.run(want, slots)
    for v, c in fill:
        if v.data is None and c.data is not None:
            set_data(v, c.data)
    return True


def _needed(order, targets):
    """Ids of the nodes torch runs for grad(..., inputs=targets): those whose gradient reaches a
    target, and (replayed only, for their outputs) the targets' own nodes."""
    reach = {id(accumulator(t)) for t in targets if t._grad_fn is None}
    tnodes = {id(t._grad_fn) for t in targets if t._grad_fn is not None}
    reach |= tnodes
    run = set()
    for nd in order:
        if any(e is not None and id(e[0]) in reach for e in nd.edges):
            run.add(id(nd))
            reach.add(id(nd))
    return run, tnodes


def _run(roots, cots, targets, retain_graph, accumulate, create_graph):
    order = topo([t._grad_fn for t in roots])
    if targets is not None:
        run, tnodes = _needed(order, targets)
        consts = {id(nd) for nd in order if id(nd) not in run and id(nd) not in tnodes}
        order = [nd for nd in order if id(nd) not in consts]
    else:
        run, consts = None, set()
    ran = order if run is None else [nd for nd in order if id(nd) in run]
    for nd in reversed(ran):
        if nd.freed:
            raise RuntimeError(FREED)
        if nd.saved is not None:
            check_versions(nd)
    ids = {id(nd) for nd in order}
    # ---- who wants what ---------------------------------------------------------------------
    hooked = {}  # (id(node), idx) -> non-leaf tensors there with hooks or retain_grad
    for t in list(watched):
        gf = t._grad_fn
        if gf is not None and id(gf) in ids and (t._hooks or t._retains_grad):
            hooked.setdefault((id(gf), t._out_nr), []).append(t)
    cuts, post = set(consts), set()  # nodes torch would not run are cut off as constants
    for key, ts in hooked.items():
        if any(t._hooks for t in ts):
            cuts.add(key[0])
    for nd in order:
        if nd._prehooks or nd._hooks:
            cuts.add(id(nd))
        if nd._hooks:  # the node runs alone: its grad_inputs are per input edge
            post.add(id(nd))
            for e in nd.edges:
                if e is not None and not isinstance(e[0], AccumulateGrad):
                    cuts.add(id(e[0]))
    taps = {}
    if targets is None:
        def want_leaf(acc):
            return True
        for key, ts in hooked.items():
            if key[0] not in cuts and any(t._retains_grad for t in ts):
                taps[key] = ts[0]
    else:
        wanted = {id(accumulator(t)) for t in targets if t._grad_fn is None}

        def want_leaf(acc):
            return id(acc) in wanted
        for t in targets:
            gf = t._grad_fn
            if gf is not None and id(gf) in ids and id(gf) not in cuts:
                taps[(id(gf), t._out_nr)] = t
    # ---- run the segments -------------------------------------------------------------------
    leaf_g, buf, tap_g, done, values = {}, {}, {}, {}, []

    def merge(seg, per_edge_node=None):
        for key, g in seg.src:
            if per_edge_node is not None:
                continue
            if isinstance(key, AccumulateGrad):
                _add(leaf_g, key, g)
            else:
                _add(buf, key, g)
        for key, g in seg.taps.items():
            _add(tap_g, key, g)
        values.extend(seg.values)

    vals = {}  # (id(node), idx) -> the forward Value of that output, for cut nodes as sinks
    if len(cuts) > len(consts):
        for nd in order:
            for x, e in zip(nd.inputs, nd.edges):
                if e is not None and id(e[0]) in ids:
                    vals[(id(e[0]), e[1])] = x
        for t in roots:
            if t._grad_fn is not None:
                vals[(id(t._grad_fn), t._out_nr)] = t._v
    sinks, scots = [], []
    for t, c in zip(roots, cots):
        gf = t._grad_fn
        if gf is not None and id(gf) in consts:
            continue
        if gf is None:
            _add(leaf_g, accumulator(t), c if c is not None else _ones(t))
        elif id(gf) in cuts:
            _add(buf, (id(gf), t._out_nr), c if c is not None else _ones(t))
        else:
            sinks.append((gf, t._out_nr, t._v))
            scots.append(c if c is not None else ONES)
    if sinks:
        merge(segment(sinks, scots, cuts, want_leaf, taps, create_graph, consts=consts))
    for nd in reversed(order):
        if id(nd) not in cuts or id(nd) in consts:
            continue
        nid = id(nd)
        gouts = []
        for j in range(len(nd.outs)):
            g = buf.get((nid, j))
            done[(nid, j)] = g  # torch: grad() returns a non-leaf's gradient before its hooks
            for t in hooked.get((nid, j), ()):
                if g is not None:
                    g = run_tensor_hooks(t, g)
                    if t._retains_grad:
                        done[id(t)] = g
            gouts.append(g)
        if all(g is None for g in gouts):
            continue
        for h in list(nd._prehooks or ()):
            r = h(tuple(gouts))
            if r is not None:
                gouts = list(r)
        live = [j for j, g in enumerate(gouts) if g is not None]
        sinks = [(nd, j, _out_value(nd, j, vals, gouts[j])) for j in live]
        scots = [gouts[j] for j in live]
        seg = segment(sinks, scots, cuts, want_leaf, taps, create_graph, per_edge=nid in post,
                      consts=consts)
        if nid in post:
            gin = [None] * len(nd.edges)
            for i, g in seg.src:
                gin[i] = g
            for h in list(nd._hooks):
                r = h(tuple(gin), tuple(gouts))
                if r is not None:
                    gin = list(r)
            for e, g in zip(nd.edges, gin):
                if e is None or g is None:
                    continue
                if isinstance(e[0], AccumulateGrad):
                    if want_leaf(e[0]):
                        _add(leaf_g, e[0], g)
                else:
                    _add(buf, (id(e[0]), e[1]), g)
        merge(seg, nd if nid in post else None)
    if not retain_graph:
        _free(ran)
    # ---- results ----------------------------------------------------------------------------
    if not accumulate:
        res = []
        for t in targets:
            gf = t._grad_fn
            if gf is None:
                acc = accumulator(t)
                g = leaf_g.get(acc)
                if g is not None and t._hooks:
                    g = run_tensor_hooks(t, g)
            elif id(gf) in cuts:
                g = done.get((id(gf), t._out_nr))
            else:
                g = tap_g.get((id(gf), t._out_nr))
            res.append(g)
        _finish([g for g in res if g is not None], values, create_graph)
        return res
    finals, leaf_final = [], []
    for acc, g in leaf_g.items():  # torch: tensor hooks, node pre-hooks, accumulate, post hooks
        t = acc.variable
        if t._hooks:
            g = run_tensor_hooks(t, g)
        for h in list(acc._prehooks or ()):
            r = h((g,))
            if r is not None:
                g = r[0]
        leaf_final.append((acc, g))
        finals.append(accumulate_grad(t, g, create_graph))
    for key, ts in hooked.items():
        for t in ts:
            if not t._retains_grad:
                continue
            g = done[id(t)] if id(t) in done else tap_g.get(key)
            if g is not None:
                finals.append(accumulate_grad(t, g, create_graph))
    _finish(finals, values, create_graph)
    for acc, g in leaf_final:
        for h in list(acc.variable.__dict__.get("_post_acc_hooks", ())):
            h(acc.variable)
        for h in list(acc._hooks or ()):
            h((), (g,))
    return None


def _free(order):
    for nd in order:
        if nd.op.saves:
            nd.freed = True
            _tape.touched(nd)


def free_graph(roots):
    """Mark the saved state of the graph behind `roots` freed (torch's retain_graph=False)."""
    _free(topo([t._grad_fn for t in roots]))


def _ones(t):
    from .._tensor import from_array
    return from_array(jnp.ones(t._v.shape, t._v.dtype.np))


def _out_value(nd, j, vals, g):
    """The forward Value of output `j` of `nd` (a stand-in of g's aval if nothing holds it)."""
    v = vals.get((id(nd), j))
    if v is None:
        ref = nd.outs[j]
        v = ref() if ref is not None else None
    return v if v is not None else Value(g._v.shape, g._v.dtype)


def accumulate_grad(t, g, create_graph):
    """AccumulateGrad: set .grad, or add into it (in place unless create_graph, as torch)."""
    from .._tensor import new_tensor
    old = t._grad
    if old is None:
        if create_graph and g._requires_grad:
            from .._dispatch import call
            g = call(_COPY, (g,))  # torch: the first create_graph gradient shows CopyBackwards
        elif not g._requires_grad:
            g = new_tensor(g._v, None, False, 0)  # never alias a tensor the caller holds
        t._grad = g
        return g
    if create_graph:
        t._grad = old + g
        return t._grad
    with grad_mode.no_grad():
        s = old + g
    old._assign(s)
    return old


_COPY = OpDef("grad_copy", lambda x: x, node="CopyBackwards", saves=False)


def _finish(tensors, values, create_graph):
    """Without create_graph, compute everything now in one program and fill pending values."""
    if create_graph:
        return
    want = [t._v for t in tensors if t._v.data is None]
    want += [c for v, c in values if v.data is None]
    if want:
        materialize(want)
    for v, c in values:
        if v.data is None and c.data is not None:
            set_data(v, c.data)
