"""The single path from a user call to a recorded node: unwrap, infer meta, record (the node and
its step on the tape, `_tape`), wrap.

Output shape/dtype come from a per-op cache keyed on (params, operand avals); on a miss torch's checks
run and then `jax.eval_shape` of the impl, so errors surface at the call site with torch's text.
In-place ops rebind the tensor to a new value, bump its version and write through views.
"""

import weakref

import jax
import numpy as np

from . import _dtypes, _tape
from ._dtypes import scalar_dtype
from ._lazy import _SF, Node, NodeState, Value, apply_op
from ._ops._registry import compute_dtype
from ._tensor import Tensor, new_tensor
from .autograd import grad_mode
from .autograd.graph import accumulator, node_class, saver_of

_new = object.__new__
_ref = weakref.ref
_NO_EDGE, _NODE_EDGE, _MAX_SLOTS = _tape.NO_EDGE, _tape.NODE_EDGE, _tape.MAX_SLOTS
_per_thread = _tape.local
_default_dtype = _dtypes._default  # [torch's default float dtype]


def _aval(x):
    if isinstance(x, Tensor):
        v = x._v
        return (v.shape, v.dtype)
    return _dtypes.scalar_dtype(x)


def broadcast_shapes(a, b):
    """torch's broadcasting, with its error text."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = [0] * n
    for i in range(n - 1, -1, -1):  # torch checks from the last dimension
        x, y = a[i], b[i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {i}")
        out[i] = y if x == 1 else x
    return tuple(out)


def _spec(av):
    if isinstance(av, tuple):
        return jax.ShapeDtypeStruct(av[0], av[1].np)
    return jax.ShapeDtypeStruct((), np.int64 if av._kind < 2 else np.float64)


def meta(op, params, avals):
    """(output avals, compute dtype) of `op` on operands `avals`; torch's checks on a miss."""
    key = (params, avals)
    m = op.meta.get(key)
    if m is not None:
        return m
    if op.check is not None:
        op.check(avals, dict(params))
    if op.broadcast:
        shape = ()
        for av in avals:
            if isinstance(av, tuple):
                shape = broadcast_shapes(shape, av[0])
    cdtype = None
    if op.promote is not None:
        idx = op.promote_args if op.promote_args is not None else range(len(avals))
        dims, zeros, scalars = [], [], []
        for i in idx:
            av = avals[i]
            if isinstance(av, tuple):
                (dims if av[0] else zeros).append(av[1])
            else:
                scalars.append(av)
        cdtype = compute_dtype(op.promote, dims, zeros, scalars)
    kw = dict(params)
    try:
        out = jax.eval_shape(lambda *xs: apply_op(op, kw, cdtype, xs), *map(_spec, avals))
    except (TypeError, ValueError, IndexError) as e:
        raise RuntimeError(f"torchish: {op.name}: {e}") from None
    outs = tuple((tuple(o.shape), _dtypes.from_np(o.dtype)) for o in out)
    m = op.meta[key] = (outs, cdtype)
    return m


_classes = {}  # OpDef -> its grad_fn class


def call(op, inputs, params=()):
    """Record `op` on `inputs` (Tensors and Python scalars); returns a Tensor or a tuple."""
    # the hot path of every op: kept flat (one frame), meta from the cache, the step appended
    # to the tape as it goes, one Node, one Value and one Tensor per output
    st = grad_mode.state
    if st.direct:
        return _direct(op, inputs, params)
    tp = _per_thread.tape
    if tp.n > _MAX_SLOTS:
        _tape.flush()
    gen = tp.gen
    argslot = tp.argslot
    avals, vals, ins = [], [], []
    grad = False
    for x in inputs:
        if isinstance(x, Tensor):
            v = x._v
            avals.append(v.av)
            vals.append(v)
            if x._requires_grad:
                grad = True
            if v.data is None:
                nd = v.node
                g = nd.tgen
                if g != gen and g != -gen:
                    tp.bring(nd)
                ins.append(nd.tslot + v.idx)
            else:
                s = argslot.get(id(v))
                ins.append(s if s is not None else tp.arg(v))
        else:
            vals.append(x)
            if type(x) is float:  # scalar_dtype and Tape.scalar, inlined for the common case
                avals.append(_default_dtype[0])
                tp.sf.append(x)
                tp.steps.append(_SF)
                ins.append(tp.n)
                tp.n += 1
            else:
                avals.append(scalar_dtype(x))
                ins.append(tp.scalar(x))
    avals = tuple(avals)
    m = op.meta.get((params, avals))
    outs, cdtype = m if m is not None else meta(op, params, avals)
    if grad:
        grad = False
        if op.node is not None and st.enabled:
            n = op.arity
            if n is None or n >= len(inputs):
                n = len(inputs)
                grad = True
            else:
                for x in inputs[:n]:
                    if isinstance(x, Tensor) and x._requires_grad:
                        grad = True
                        break
    width = len(outs)
    k = tp.n
    if not grad:
        node = NodeState.__new__(Node)  # Node(...), without the call frame
        node.edges = kinds = None
    else:
        edges, kinds = [], []
        for x in (inputs if n == len(inputs) else inputs[:n]):
            if isinstance(x, Tensor) and x._requires_grad:
                gf = x._grad_fn
                if gf is not None:
                    o = x._out_nr
                    edges.append((gf, o))
                    v = x._v
                    if gf.tgen == gen and v.node is gf and v.idx == o:
                        kinds.append(_NODE_EDGE)
                    else:  # an edge off the tape, or onto a value written since
                        tp.ok = False
                        kinds.append(_NO_EDGE)
                else:
                    ref = x._accum
                    acc = ref() if ref is not None else None
                    if acc is None:
                        acc = accumulator(x)
                    edges.append((acc, 0))
                    kinds.append(tp.leaf(acc, x._v))
            else:
                edges.append(None)
                kinds.append(_NO_EDGE)
        while len(kinds) < len(vals):
            kinds.append(_NO_EDGE)
        kinds = tuple(kinds)
        cs = _classes.get(op)
        if cs is None:
            cls = node_class(op.node)
            cs = _classes[op] = (cls, saver_of(cls) if op.saves else None)
        node = NodeState.__new__(cs[0])
        node.edges = tuple(edges)
    node.op = op
    node.params = params
    node.cdtype = cdtype
    node.inputs = tuple(vals)
    node.outs = [None] * width
    node.tgen = gen
    node.tslot = k
    tp.n = k + width
    steps = tp.steps
    tp.nodes.append(_ref(node))
    steps.append((op, params, cdtype, tuple(ins), kinds, width))
    if width == 1:
        av = outs[0]
        shape, dt = av
        v = Value.__new__(Value)  # Value(shape, dt, None, node, 0), sharing the cache's aval
        v.shape = shape
        v.dtype = dt
        v.av = av
        v.data = None
        v.node = node
        v.idx = 0
        node.outs[0] = _ref(v)  # the engine returns values live tensors still wait for
        rg = grad and dt._kind >= 2 and (op.out_diff is None or op.out_diff[0])
        t = _new(Tensor)  # new_tensor, inlined
        t._v = v
        t._grad_fn = node if rg else None
        t._requires_grad = rg
        t._out_nr = 0
        t._vc = [0]
        v.owner = weakref.ref(t)
        if grad and op.saves:
            cs[1](node, inputs, (t,))  # torch's in-place check on saved tensors
        if op.view:
            base = inputs[0]
            root = base._base if base._base is not None else base
            t._set_view_of(root, base._chain + ((op, params),))
        return t if op.nout == 1 else (t,)
    res = []
    for i, (shape, dt) in enumerate(outs):
        v = Value(shape, dt, None, node, i)
        node.outs[i] = weakref.ref(v)
        rg = grad and dt._kind >= 2 and (op.out_diff is None or op.out_diff[i])
        res.append(new_tensor(v, node if rg else None, rg, i))
    if grad and op.saves:
        cs[1](node, inputs, res)
    if op.view:
        base = inputs[0]
        root = base._base if base._base is not None else base
        res[0]._set_view_of(root, base._chain + ((op, params),))
    return res[0] if op.nout == 1 else tuple(res)


def _direct(op, inputs, params):
    """call() in direct mode (autograd.Function bodies traced by JAX): apply the impl now."""
    from .autograd._direct import direct_call
    avals = tuple((x._v.shape, x._v.dtype) if isinstance(x, Tensor) else scalar_dtype(x)
                  for x in inputs)
    m = op.meta.get((params, avals))
    outs, cdtype = m if m is not None else meta(op, params, avals)
    return direct_call(op, inputs, params, outs, cdtype)


def _edge(x):
    if not isinstance(x, Tensor) or not x.requires_grad:
        return None
    if x._grad_fn is not None:
        return (x._grad_fn, x._out_nr)
    return (accumulator(x), 0)


def check_inplace(t):
    base = t._base
    if base is None and not grad_mode.state.enabled:
        return
    if base is not None:
        from ._ops.shape import strides_of
        if any(st == 0 and n > 1 for st, n in zip(strides_of(t), t._v.shape)):
            raise RuntimeError("unsupported operation: more than one element of the written-to "
                               "tensor refers to a single memory location. Please clone() the "
                               "tensor before performing the operation.")
        if any(o.name == "alias" for o, _ in t._chain):
            base = None  # torch: detach() and .data share storage but are not autograd views
    if not grad_mode.state.enabled:
        return
    if t._requires_grad and t._grad_fn is None and base is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    if base is not None and ((t._requires_grad and t._grad_fn is None)
                             or (base._requires_grad and base._grad_fn is None)):
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


def inplace(t, result):
    """Make `t` hold `result` (a freshly recorded Tensor): torch's in-place semantics."""
    if result._v.dtype is not t._v.dtype:
        if not _dtypes.can_cast(result._v.dtype, t._v.dtype):
            raise RuntimeError(f"result type {_dtypes.SCALAR_NAMES[result._v.dtype]} can't be "
                               f"cast to the desired output type {_dtypes.SCALAR_NAMES[t._v.dtype]}")
        from ._ops.pointwise import cast
        result = cast(result, t._v.dtype)
    if result._v.shape != t._v.shape:
        raise RuntimeError(f"output with shape {list(t._v.shape)} doesn't match the broadcast "
                           f"shape {list(result._v.shape)}")
    t._assign(result)
    return t


def record_value(op, inputs, params=()):
    """A Value computed by `op`, never recorded for grad (internal plumbing)."""
    with grad_mode.no_grad():
        return call(op, inputs, params)._v


__all__ = ["call", "inplace", "check_inplace", "meta", "broadcast_shapes", "record_value",
           "Value"]
