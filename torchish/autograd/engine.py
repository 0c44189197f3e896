"""backward() and grad(): the recorded graph lowered to jitted jax.vjp programs, cached per graph.

A backward is recorded as one node, a "segment": an op whose impl replays the forward from the
leaves inside jax.vjp and pulls the cotangents back. Without create_graph it is materialized at
once, in ONE program that also adds into existing .grad values and returns forward values live
tensors still wait for (`loss.item()` after backward costs nothing). With create_graph it stays on
the tape with edges to its inputs, and JAX differentiates it again (grad_fn names: see GRAD_NODE).
Hooks that may replace a non-leaf's gradient cut the graph there: one segment per cut, the hooks
run in between, in torch's order. grad(inputs=...) replays only what torch would run.
"""

import jax
import jax.numpy as jnp

from .._lazy import Builder, Node, Value, apply_op, materialize, set_data
from .._ops._registry import OpDef
from .._tensor import new_tensor
from . import _tape_backward, grad_mode
from .graph import (AccumulateGrad, accumulator, check_versions, node_class, run_tensor_hooks,
                    watched)

FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")

ONES, ZEROS = "1", "0"  # implicit cotangents of a segment's sinks
# A recorded backward is one node. torch records the ops of its backward formulas instead, so the
# gradient of a single input shows the name of the last op of the formula of the node that used
# it (several uses: AddBackward0); other recorded backwards show GradBackward0.
GRAD_NODE = "GradBackward0"
_FORMULA_LAST = {
    **dict.fromkeys(("MulBackward0", "PowBackward0", "PowBackward1", "ExpBackward0",
                     "SinBackward0", "CosBackward0", "AbsBackward0"), "MulBackward0"),
    **dict.fromkeys(("DivBackward0", "LogBackward0", "SqrtBackward0"), "DivBackward0"),
    "TanhBackward0": "TanhBackwardBackward0", "SigmoidBackward0": "SigmoidBackwardBackward0",
    "ReluBackward0": "ThresholdBackwardBackward0", "MvBackward0": "MvBackward0",
    "SoftmaxBackward0": "SoftmaxBackwardDataBackward0",
    "LogSoftmaxBackward0": "LogSoftmaxBackwardDataBackward0",
}


def topo(roots):
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
            stack.append((nd, True))
            for e in nd.edges:
                if e is not None and not isinstance(e[0], AccumulateGrad) and id(e[0]) not in seen:
                    stack.append((e[0], False))
    return order


# ---- one segment: sinks <- sources ------------------------------------------------------------

_seg_ops = {}


def _seg_impl(spec):
    mode, steps, src_pos, sink_slots, cot_spec, taps, aux_slots = spec

    def replay(xs, primals, tapv):
        ins = list(xs)
        for p, v in zip(src_pos, primals):
            ins[p] = v
        e = []
        for st in steps:
            if st[0] == "t":
                e[st[1]] = e[st[1]] + tapv[st[2]]
            elif st[0] == "s":
                e.append(_written(e[st[1]], ins[st[2]]))
            else:
                e.extend(apply_op(st[0], st[1], st[2], [ins[~s] if s < 0 else e[s] for s in st[3]]))
        return [e[s] for s in sink_slots], [e[s] for s in aux_slots]

    def impl(*xs):
        primals = [xs[p] for p in src_pos]
        if mode == "jac":  # d sink_i / d source_j for torch.autograd.functional
            outs, aux = replay(xs, primals, [])
            jac = jax.jacrev(lambda p: replay(xs, p, [])[0])(primals)
            return (*[j for row in jac for j in row], *outs)
        if mode == "jvp":
            tangents = [xs[c].astype(p.dtype) for c, p in zip(cot_spec, primals)]
            outs, tout = jax.jvp(lambda p: replay(xs, p, [])[0], (primals,), (tangents,))
            return (*tout, *outs)
        tap0 = [jnp.zeros(shape, dt) for shape, dt in taps]
        outs, pull, aux = jax.vjp(lambda p, t: replay(xs, p, t), primals, tap0, has_aux=True)
        cots = []
        for c, r in zip(cot_spec, outs):
            if c == ONES:
                cots.append(jnp.ones_like(r))
            elif c == ZEROS:
                cots.append(jnp.zeros_like(r))
            else:
                cots.append(xs[c].astype(r.dtype))
        gp, gt = pull(cots)
        return (*gp, *gt, *outs, *aux)
    return impl


@jax.custom_vjp
def _written(replayed, actual):
    """The value written in place (`actual`), differentiated as the node output `replayed`."""
    return actual


_written.defvjp(lambda r, a: (a, a), lambda a, g: (g.astype(a.dtype), jnp.zeros_like(a)))


def _seg_op(spec, nout):
    op = _seg_ops.get(spec)
    if op is None:
        op = _seg_ops[spec] = OpDef("backward", _seg_impl(spec), node=GRAD_NODE, nout=nout)
    return op


class Segment:
    """A recorded backward's outputs: grads per source and tap, sink and aux values."""

    __slots__ = ("src", "taps", "values")

    def __init__(self, src, taps, values):
        self.src = src  # [(source key, grad Tensor)]
        self.taps = taps  # {(id(node), idx): grad Tensor}
        self.values = values  # [(forward Value still pending, the Value computing it here)]


def segment(sinks, cots, cuts, want_leaf, taps, create_graph, per_edge=False, mode="vjp",
            tangents=None, consts=()):
    """Record one backward over the nodes between `sinks` [(node, idx, Value)] and the sources.

    Sources: leaves `want_leaf(acc)` accepts and the outputs of nodes in `cuts` (each input edge
    of the single sink node when `per_edge`). `cots`: Tensor, ONES or ZEROS per sink. `taps`:
    {(id(node), idx): Tensor}, non-leaf tensors whose gradients are wanted too. Mode "jac" returns
    the jacobians [sink][source] then the sinks' values, mode "jvp" (`tangents`: {source key:
    Tensor}) the output tangents then the sinks' values; both as (source keys, Tensors).
    Outputs of nodes in `consts` (a subset of `cuts`) enter as constants.
    """
    from .._dispatch import _edge
    from .._tensor import new_tensor

    order = _walk(sinks, cuts, per_edge)
    inputs, in_edges, in_slot = [], [], {}
    src, src_pos, src_index = [], [], {}
    steps, nslot, n = [], {}, 0
    tap_keys, tap_avals, aux, aux_seen, uses = [], [], [], set(), []

    def add_input(x, e):
        inputs.append(x)
        in_edges.append(e)
        return len(inputs) - 1

    for nd in order:
        ins = []
        edges = nd.edges
        for i, x in enumerate(nd.inputs):
            e = edges[i] if i < len(edges) else None
            if e is not None:
                tgt = e[0]
                if not per_edge and id(tgt) in nslot:
                    s = nslot[id(tgt)] + e[1]
                    ref = tgt.outs[e[1]]
                    if x is not (ref() if ref is not None else None):
                        # torch: written in place under no_grad after tgt ran: the value is the
                        # written one, the gradient still flows to tgt
                        p = in_slot.get(id(x))
                        if p is None:
                            p = in_slot[id(x)] = add_input(x, None)
                        steps.append(("s", s, p))
                        ins.append(n)
                        n += 1
                        continue
                    ins.append(s)
                    if x.data is None and id(x) not in aux_seen and x.live():
                        aux_seen.add(id(x))
                        aux.append((x, s))
                    continue
                if per_edge:
                    key = i
                elif isinstance(tgt, AccumulateGrad):
                    key = tgt if want_leaf(tgt) else None
                elif id(tgt) in consts:
                    key = None
                else:
                    key = (id(tgt), e[1])
                if key is not None:
                    k = src_index.get(key)
                    if k is None:
                        k = src_index[key] = len(src)
                        src.append((key, x))
                        src_pos.append(add_input(x, e))
                        uses.append([])
                    uses[k].append(type(nd).__name__)
                    ins.append(~src_pos[k])
                    continue
            if isinstance(x, Value):
                p = in_slot.get(id(x))
                if p is None:
                    p = in_slot[id(x)] = add_input(x, e)
            else:
                p = add_input(x, None)
            ins.append(~p)
        nslot[id(nd)] = n
        steps.append((nd.op, nd.params, nd.cdtype, tuple(ins)))
        for j in range(len(nd.outs)):
            t = taps.get((id(nd), j))
            if t is not None:
                steps.append(("t", n + j, len(tap_keys)))
                tap_keys.append((id(nd), j))
                tap_avals.append((t._v.shape, t._v.dtype))
        n += len(nd.outs)
    sink_slots, cot_spec = [], []
    for (nd, j, _), c in zip(sinks, cots):
        sink_slots.append(nslot[id(nd)] + j)
    if mode == "jvp":
        cots = [tangents[key] for key, _ in src]
    for c in cots:
        cot_spec.append(c if isinstance(c, str) else add_input(c._v, _edge(c)))
    spec = (mode, tuple(steps), tuple(src_pos), tuple(sink_slots), tuple(cot_spec),
            tuple((shape, dt.np) for shape, dt in tap_avals), tuple(s for _, s in aux))
    nsrc, ntap, nsink = len(src), len(tap_keys), len(sinks)
    sink_avals = [(v.shape, v.dtype) for _, _, v in sinks]
    if mode == "jac":
        avals = [(sink_avals[k // nsrc][0] + src[k % nsrc][1].shape, sink_avals[k // nsrc][1])
                 for k in range(nsrc * nsink)] + sink_avals
    elif mode == "jvp":
        avals = sink_avals + sink_avals
    else:
        avals = ([(x.shape, x.dtype) for _, x in src] + tap_avals + sink_avals
                 + [(v.shape, v.dtype) for v, _ in aux])
    op = _seg_op(spec, len(avals))
    node = Node(op, (), None, tuple(inputs), len(avals))
    graded = create_graph and any(e is not None for e in in_edges)
    if graded:
        name = GRAD_NODE
        if mode == "vjp" and nsrc == 1:
            u = uses[0]
            name = "AddBackward0" if len(u) > 1 else _FORMULA_LAST.get(u[0], GRAD_NODE)
        node.__class__ = node_class(name)
        node.edges = tuple(in_edges)
        deps = _deps(op, inputs)
    outs = []
    for k, (shape, dt) in enumerate(avals):
        rg = graded and dt._kind >= 2 and any(in_edges[p] is not None for p in deps[k])
        outs.append(new_tensor(Value(shape, dt, node=node, idx=k), node if rg else None, rg, k))
    if mode != "vjp":
        return [key for key, _ in src], outs
    values = [(v, o._v) for (_, _, v), o in zip(sinks, outs[nsrc + ntap:])]
    values += [(v, o._v) for (v, _), o in zip(aux, outs[nsrc + ntap + nsink:])]
    return Segment([(key, g) for (key, _), g in zip(src, outs)],
                   dict(zip(tap_keys, outs[nsrc:nsrc + ntap])), values)


def _walk(sinks, cuts, per_edge):
    """The nodes a segment replays, inputs before users; stops at leaves and cut nodes."""
    if per_edge:
        return [sinks[0][0]]
    order, seen = [], set()
    for nd, _, _ in sinks:
        if id(nd) in seen:
            continue
        stack = [(nd, False)]
        while stack:
            x, done = stack.pop()
            if done:
                order.append(x)
                continue
            if id(x) in seen:
                continue
            seen.add(id(x))
            stack.append((x, True))
            for e in x.edges:
                if (e is not None and not isinstance(e[0], AccumulateGrad)
                        and id(e[0]) not in seen and id(e[0]) not in cuts):
                    stack.append((e[0], False))
    return order


_deps_of = {}


def _deps(op, inputs):
    """For each output of a segment op: the input positions it depends on (jaxpr dataflow)."""
    d = _deps_of.get(op)
    if d is None:
        specs = [jax.ShapeDtypeStruct(x.shape, x.dtype.np) if isinstance(x, Value)
                 else jax.ShapeDtypeStruct((), jnp.float64 if isinstance(x, float) else jnp.int64)
                 for x in inputs]
        jaxpr = jax.make_jaxpr(op.impl)(*specs).jaxpr
        dep = {v: frozenset((i,)) for i, v in enumerate(jaxpr.invars)}
        for eq in jaxpr.eqns:
            ds = [dep[v] for v in eq.invars if type(v).__name__ != "Literal" and v in dep]
            d = frozenset().union(*ds)
            for v in eq.outvars:
                dep[v] = d
        d = _deps_of[op] = [dep.get(v, frozenset()) if type(v).__name__ != "Literal"
                            else frozenset() for v in jaxpr.outvars]
    return d


# ---- the driver -------------------------------------------------------------------------------

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
        for nd in order:
            if nd.op.saves:
                nd.freed = True
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
