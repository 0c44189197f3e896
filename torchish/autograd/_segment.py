"""A recorded backward as one node, a "segment": an op whose impl replays the forward from its
sources inside jax.vjp (or jax.jvp / jax.jacrev for torch.autograd.functional) and pulls the
cotangents back. The engine (`engine.py`) builds segments where the tape cannot serve a backward:
hooks cut the graph into several, create_graph keeps one on the tape with edges to its inputs so
that JAX differentiates it again (grad_fn names: see GRAD_NODE).
"""

import jax
import jax.numpy as jnp

from .._lazy import Node, Value, apply_op
from .._ops._registry import OpDef
from .graph import AccumulateGrad, node_class

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
