"""grad_fn objects: one Node subclass per torch backward-node name, AccumulateGrad for leaves.

Names come from the op table (torch's own names, which cannot be derived); `next_functions` is read
off the edges recorded with the node. Also here: tensor hooks and retain_grad (the engine only looks
at tensors in `watched`), and the saved-tensor version records behind torch's in-place check.
"""

import weakref

from .. import _dtypes, _tape
from .._lazy import Node

_classes = {}
__all__ = ["Node", "RemovableHandle"]  # torch.autograd.graph.Node: every grad_fn is one


class _IdWeakSet:
    """A weak set by identity (weakref.WeakSet compares with ==, elementwise on tensors)."""

    def __init__(self):
        self._refs = {}

    def add(self, t):
        k = id(t)
        if k not in self._refs:
            self._refs[k] = weakref.ref(t, lambda _, k=k, d=self._refs: d.pop(k, None))

    def __iter__(self):
        return iter([t for t in (r() for r in list(self._refs.values())) if t is not None])

    def __len__(self):
        return len(self._refs)


# Non-leaf tensors with retain_grad() or hooks: the engine asks these, not the whole heap.
watched = _IdWeakSet()


def _repr(self):
    cls = type(self)
    mod = cls.__module__ + "." if cls.__module__.startswith("torch.") else ""
    return f"<{mod}{cls.__name__} object at {hex(id(self))}>"


def _next_functions(self):
    if self.edges is None:
        return ()
    return tuple((e[0], e[1]) if e is not None else (None, 0) for e in self.edges)


def _name(self):
    return type(self).__name__


def _register_hook(self, fn):
    """Node post-hook: fn(grad_inputs, grad_outputs) may return new grad_inputs."""
    if self._hooks is None:
        self._hooks = []
    self._hooks.append(fn)
    _tape.touched(self)
    return RemovableHandle(self._hooks, fn)


def _register_prehook(self, fn):
    """Node pre-hook: fn(grad_outputs) may return new grad_outputs."""
    if self._prehooks is None:
        self._prehooks = []
    self._prehooks.append(fn)
    _tape.touched(self)
    return RemovableHandle(self._prehooks, fn)


class RemovableHandle:
    """What register_hook returns: `remove()` takes the hook off again (also a context manager)."""

    _next_id = 0

    def __init__(self, lst, fn):
        self._lst = lst
        self._fn = fn
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self):
        for i, f in enumerate(self._lst):
            if f is self._fn:
                del self._lst[i]
                return

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


_Handle = RemovableHandle  # older internal name


Node.__repr__ = _repr
Node.next_functions = property(_next_functions)
Node.name = _name
Node.register_hook = _register_hook
Node.register_prehook = _register_prehook


def node_class(name, module="builtins"):
    """The grad_fn class named `name` (e.g. AddBackward0), created once. torch's own nodes print
    bare; custom Function nodes print with the module torch defines them in."""
    cls = _classes.get(name)
    if cls is None:
        cls = _classes[name] = type(name, (Node,), {"__slots__": (), "__module__": module})
    return cls


class AccumulateGrad:
    """The grad_fn-side handle of a leaf tensor that requires grad."""

    __slots__ = ("variable", "_hooks", "_prehooks", "_meta", "__weakref__")

    def __init__(self, variable):
        self.variable = variable
        self._hooks = None
        self._prehooks = None
        self._meta = None

    metadata = Node.metadata

    next_functions = ()
    __repr__ = _repr
    register_hook = _register_hook
    register_prehook = _register_prehook

    def name(self):
        return "torch::autograd::AccumulateGrad"


def accumulator(t):
    """The (cached while alive) AccumulateGrad of leaf `t`, as torch keeps a weak pointer."""
    ref = t._accum
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._accum = weakref.ref(acc)
    return acc


# ---- tensor hooks ------------------------------------------------------------------------------

def retain_grad(t):
    """Tensor.retain_grad."""
    if not t._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if t._grad_fn is not None:  # torch: a no-op on leaves
        t._retains_grad = True
        watched.add(t)


def register_hook(t, hook):
    """Tensor.register_hook: hook(grad) may return a replacement gradient."""
    if not t._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t._hooks is None:
        t._hooks = []
    t._hooks.append(hook)
    if t._grad_fn is not None:
        watched.add(t)
    return RemovableHandle(t._hooks, hook)


def register_post_accumulate_grad_hook(t, hook):
    """Tensor.register_post_accumulate_grad_hook: hook(tensor) after .grad was accumulated."""
    if not t._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t._grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    hooks = t.__dict__.setdefault("_post_acc_hooks", [])
    hooks.append(hook)
    return RemovableHandle(hooks, hook)


def run_tensor_hooks(t, g):
    """Tensor hooks in registration order; each may replace `g` (torch checks the result)."""
    for h in list(t._hooks or ()):
        r = h(g)
        if r is None:
            continue
        from .._tensor import Tensor
        if not isinstance(r, Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(r).__name__}'")
        name = getattr(h, "__name__", type(h).__name__)
        if r.shape != g.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")
        if r.dtype is not g.dtype:
            raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                               f"{type_name(g)} got {type_name(r)})")
        g = r
    return g


# ---- saved tensors and their versions ----------------------------------------------------------

# torch (derivatives.yaml): what a node saves. An entry (i, j) saves operand i when operand j
# requires grad (j None: always); RESULT marks nodes that save their output. Ops with saves=True
# that are not listed save every tensor operand.
RESULT = -1
_SAVED = {
    **dict.fromkeys(("ExpBackward0", "Exp2Backward0", "Expm1Backward0", "SqrtBackward0",
                     "RsqrtBackward0", "TanBackward0", "TanhBackward0", "SigmoidBackward0",
                     "ReciprocalBackward0", "ReluBackward0", "SoftmaxBackward0",
                     "LogSoftmaxBackward0"), ((RESULT, None),)),
    **dict.fromkeys(("MulBackward0", "DotBackward0", "MmBackward0", "BmmBackward0",
                     "MvBackward0"), ((0, 1), (1, 0))),
    **dict.fromkeys(("DivBackward0", "DivBackward2"), ((0, 1), (1, None))),
    **dict.fromkeys(("RemainderBackward0", "RemainderBackward1", "FmodBackward0",
                     "FmodBackward1"), ((0, 1), (1, 1))),
    **dict.fromkeys(("MaxBackward1", "MinBackward1", "AmaxBackward0", "AminBackward0",
                     "LogsumexpBackward0", "ProdBackward0", "StdBackward0", "CumprodBackward0",
                     "LinalgVectorNormBackward0"), ((0, None), (RESULT, None))),
    "PowBackward1": ((0, None), (1, None), (RESULT, None)),
    "PowBackward2": ((0, None), (RESULT, None)),
    **dict.fromkeys(("MaxBackward0", "MinBackward0", "CumsumBackward0", "WhereBackward0",
                     "LerpBackward0"), ()),
}


def _saver(spec):
    """A function recording, for one node class, the versions of the tensors it saves."""
    if spec == ((RESULT, None),):
        def save(node, inputs, outs):
            o = outs[0]
            node.saved = ((RESULT, o._vc, 0, (o._v.shape, o._v.dtype)),)
        return save
    if spec is None:
        def save(node, inputs, outs):
            if len(inputs) == 1:
                vc = inputs[0]._vc
                node.saved = ((0, vc, vc[0], None),)
                return
            rec = []
            i = 0
            for x in inputs:
                vc = getattr(x, "_vc", None)
                if vc is not None:
                    rec.append((i, vc, vc[0], None))
                i += 1
            if rec:
                node.saved = tuple(rec)
        return save
    if spec == ((0, 1), (1, 0)):  # mul, mm, ...: each operand saved for the other's gradient
        def save(node, inputs, outs):
            if len(inputs) != 2 or len(node.edges) != 2:
                return
            ea, eb = node.edges
            a, b = inputs
            if ea is not None:
                vc = getattr(b, "_vc", None)
                if vc is not None:
                    node.saved = ((1, vc, vc[0], None),)
            if eb is not None:
                vc = getattr(a, "_vc", None)
                if vc is not None:
                    node.saved = (node.saved or ()) + ((0, vc, vc[0], None),)
        return save

    def save(node, inputs, outs):
        edges = node.edges
        rec = []
        for i, j in spec:
            if j is not None and (j >= len(edges) or edges[j] is None):
                continue
            if i == RESULT:
                o = outs[0]
                rec.append((RESULT, o._vc, o._vc[0], (o._v.shape, o._v.dtype)))
            elif i < len(inputs):
                vc = getattr(inputs[i], "_vc", None)
                if vc is not None:
                    rec.append((i, vc, vc[0], None))
        if rec:
            node.saved = tuple(rec)
    return save


_savers = {}


def saver_of(cls):
    """f(node, inputs, outs) recording the versions of the tensors a `cls` node saves."""
    f = _savers.get(cls)
    if f is None:
        f = _savers[cls] = _saver(_SAVED.get(cls.__name__))
    return f


def save_versions(node, inputs, outs):
    """Record the versions of the tensors `node` saves (called by dispatch for grad nodes)."""
    saver_of(node.__class__)(node, inputs, outs)


def type_name(t):
    return f"torch.{_dtypes.SCALAR_NAMES[t.dtype]}Tensor"


def _short(node):
    """torch names a node by its op in this message: ExpBackward0 -> Exp."""
    n = type(node).__name__
    k = n.rfind("Backward")
    return n[:k] if k > 0 else "torch::autograd::" + n  # torch: CopySlices is a C++ class


def check_versions(node):
    """torch's error when a tensor saved by `node` was modified in place since."""
    for i, vc, ver, meta in node.saved:
        if vc[0] == ver:
            continue
        if i == RESULT:
            shape, dt = meta
            who = f", which is output 0 of {_short(node)},"
        else:
            v = node.inputs[i]
            shape, dt = v.shape, v.dtype
            o = v.owner() if v.owner is not None else None
            gf = o._grad_fn if o is not None else None
            who = f", which is output {o._out_nr} of {_short(gf)}," if gf is not None else ""
        dims = ", ".join(map(str, shape))
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [torch.{_dtypes.SCALAR_NAMES[dt]}Tensor [{dims}]]{who} is at "
            f"version {vc[0]}; expected version {ver} instead. Hint: enable anomaly detection to "
            "find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")
