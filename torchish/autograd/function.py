"""torch.autograd.Function: user-written forward/backward, lowered to a jax.custom_vjp.

`apply` records one node (grad_fn `<ClassName>Backward`) whose impl is a custom_vjp: its forward
and the user's backward run in direct mode on tensors wrapping JAX tracers, when a program is
traced. So they run once per compiled signature, not once per call (side effects such as prints
happen then), and tensors they read that are not arguments or ctx attributes are baked in.
"""

import contextlib

import jax
import jax.numpy as jnp
import numpy as np
from jax.custom_derivatives import SymbolicZero

from .._lazy import Value
from .._ops._registry import OpDef
from . import grad_mode
from ._direct import direct_mode
from .graph import node_class


class FunctionCtx:
    """The `ctx` of forward/backward: save_for_backward, needs_input_grad, any attribute."""

    def save_for_backward(self, *tensors):
        from .._tensor import Tensor
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} is "
                                f"of type {type(t).__name__}")
        self._saved = tensors

    @property
    def saved_tensors(self):
        return self.__dict__.get("_saved", ())

    saved_variables = saved_tensors

    def mark_non_differentiable(self, *tensors):
        self._non_diff = tuple(tensors)

    def set_materialize_grads(self, value):
        self._materialize = bool(value)

    def mark_dirty(self, *tensors):
        raise NotImplementedError("torchish: autograd.Function with mark_dirty (in-place forward) "
                                  "is not supported")

    def mark_shared_storage(self, *pairs):
        pass


_T = object()  # marks a tensor output in a forward's output layout


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_name = name + "Backward"  # torch: the grad_fn class is <ClassName>Backward
        node_class(cls._backward_name, "torch.autograd.function")
        cls._ops = {}


class Function(metaclass=_FunctionMeta):
    """torch.autograd.Function: subclass with static forward(ctx, ...) and backward(ctx, ...)."""

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        st = grad_mode.state
        needs = tuple(isinstance(a, Tensor) and a._requires_grad and st.enabled for a in args)
        if st.direct or not any(needs):
            ctx = FunctionCtx()
            ctx.needs_input_grad = needs
            with grad_mode.no_grad():
                return _forward(cls, ctx, args, kwargs)
        return _apply(cls, args, kwargs, needs)


def once_differentiable(fn):
    return fn


def _forward(cls, ctx, args, kwargs):
    if cls.setup_context is Function.setup_context:
        return cls.forward(ctx, *args, **kwargs)
    out = cls.forward(*args, **kwargs)
    cls.setup_context(ctx, args, out)
    return out


def _static_key(x):
    try:
        hash(x)
        return x
    except TypeError:
        return ("id", id(x))


def _apply(cls, args, kwargs, needs):
    from .._dispatch import call
    from .._tensor import Tensor
    tpos = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
    tensors = tuple(args[i] for i in tpos)
    avals = tuple((t._v.shape, t._v.dtype) for t in tensors)
    static = tuple((i, a) for i, a in enumerate(args) if i not in tpos)
    key = (tuple((i, _static_key(a)) for i, a in static),
           tuple((k, _static_key(v)) for k, v in sorted(kwargs.items())), needs, avals)
    op = cls._ops.get(key)
    if op is None:
        op = cls._ops[key] = _build(cls, args, kwargs, tpos, needs, avals)
    out = call(op, tensors)
    if not op.is_tuple:
        return out
    it = iter(out if op.nout != 1 else (out,))
    return tuple(next(it) if o is _T else o for o in op.layout)


class _OpDef(OpDef):
    __slots__ = ("is_tuple", "layout")


class _Layout:
    """Static part of the residuals (compared by identity, as a pytree's aux data)."""

    def __init__(self, items):
        self.items = items


class _Residual:
    def __init__(self, arrays, layout):
        self.arrays = arrays
        self.layout = layout


jax.tree_util.register_pytree_node(_Residual, lambda r: (r.arrays, r.layout),
                                   lambda layout, arrays: _Residual(list(arrays), layout))


def _wrap(x, dt, rg=False):
    from .._tensor import new_tensor
    return new_tensor(Value(tuple(x.shape), dt, data=x), None, rg, 0)


def _build(cls, args, kwargs, tpos, needs, avals):
    """The OpDef of one apply signature. Non-tensor arguments are constants of it (a new value
    compiles a new program, as a new static argument does under jax.jit)."""
    from .._tensor import Tensor
    name = cls._backward_name
    args = tuple(None if i in tpos else a for i, a in enumerate(args))  # keep no tensors alive
    info = {}

    def run_forward(xs):
        a = list(args)
        for p, x, (_, dt) in zip(tpos, xs, avals):
            a[p] = _wrap(x, dt, needs[p])
        ctx = FunctionCtx()
        ctx.needs_input_grad = needs
        with direct_mode(), _traced(cls, "forward"):
            out = _forward(cls, ctx, tuple(a), kwargs)
        allouts = out if isinstance(out, tuple) else (out,)
        # non-tensor outputs are constants of the trace: apply returns them as they were
        outs = tuple(o for o in allouts if isinstance(o, Tensor))
        if not outs:
            raise NotImplementedError(f"torchish: {cls.__name__}.forward returned no tensor")
        nd = {id(t) for t in ctx.__dict__.get("_non_diff", ())}
        info.update(is_tuple=isinstance(out, tuple), n=len(outs),
                    layout=tuple(_T if isinstance(o, Tensor) else o for o in allouts),
                    diff=tuple(id(o) not in nd and o.dtype.is_floating_point for o in outs),
                    saves=bool(ctx.saved_tensors),
                    out_avals=tuple((o._v.shape, o._v.dtype) for o in outs))
        return tuple(o._v.data for o in outs), ctx

    @jax.custom_vjp
    def f(*xs):
        return run_forward(xs)[0]

    def fwd(*xs):
        ys, ctx = run_forward([x.value for x in xs])
        return ys, _pack(ctx)

    def bwd(res, gs):
        ctx = _unpack(res, needs)
        mat = ctx.__dict__.get("_materialize", True)
        grads = []
        for g, (shape, dt) in zip(gs, info["out_avals"]):
            if isinstance(g, SymbolicZero):
                grads.append(_wrap(jnp.zeros(shape, dt.np), dt) if mat else None)
            else:
                grads.append(_wrap(g, dt))
        it = iter(grads)
        grads = [next(it) if o is _T else None for o in info["layout"]]
        with direct_mode(), _traced(cls, "backward"):
            r = cls.backward(ctx, *grads)
        r = r if isinstance(r, tuple) else (r,)
        if len(r) != len(args):
            if len(r) < len(args) or any(g is not None for g in r[len(args):]):
                raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                                   f"(expected {len(args)}, got {len(r)})")
        for i, g in enumerate(r[:len(args)]):
            if i not in tpos and g is not None:
                raise RuntimeError(f"function {name} returned a gradient different than None at "
                                   f"position {i + 1}, but the corresponding forward input was "
                                   f"not a Variable")
        out = []
        for p, (shape, dt) in zip(tpos, avals):
            g = r[p]
            if g is None or not needs[p] or dt._kind < 2:
                out.append(None)
                continue
            out.append(_fit(g, shape, dt, name, p))
        return tuple(out)

    f.defvjp(fwd, bwd, symbolic_zeros=True)
    specs = [jax.ShapeDtypeStruct(s, d.np) for s, d in avals]
    jax.eval_shape(lambda *xs: f(*xs), *specs)
    n = info["n"]
    op = _OpDef(cls.__name__, (lambda *xs: f(*xs)[0]) if n == 1 else f, node=name, nout=n,
                out_diff=info["diff"], saves=info["saves"])
    op.is_tuple = info["is_tuple"]
    op.layout = info["layout"]
    op.meta[((), avals)] = (info["out_avals"], None)
    return op


@contextlib.contextmanager
def _traced(cls, what):
    try:
        yield
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
            jax.errors.TracerBoolConversionError, jax.errors.TracerIntegerConversionError) as e:
        raise NotImplementedError(
            f"torchish: {cls.__name__}.{what} runs traced by JAX, so it cannot read tensor values "
            f"(item(), bool(), numpy(), data-dependent shapes): {type(e).__name__}") from None


def _fit(g, shape, dt, name, i):
    """torch's validate_outputs: sum a broadcast gradient down, cast it to the input's dtype."""
    x = g._v.data
    if tuple(x.shape) != shape:
        try:
            np.broadcast_shapes(shape, tuple(x.shape))
            ok = np.broadcast_shapes(shape, tuple(x.shape)) == tuple(x.shape)
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(f"Function {name} returned an invalid gradient at index {i} - got "
                               f"{list(x.shape)} but expected shape compatible with {list(shape)}")
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + k for k, s in enumerate(shape)
                                          if s == 1 and x.shape[lead + k] != 1)
        x = jnp.sum(x, axis=axes, keepdims=True).reshape(shape)
    return x.astype(dt.np)


def _pack(ctx):
    from .._tensor import Tensor
    arrays, items = [], []

    def put(v):
        if isinstance(v, Tensor):
            arrays.append(v._v.data)
            return ("t", len(arrays) - 1, v._v.dtype)
        if isinstance(v, (tuple, list)) and any(isinstance(e, Tensor) for e in v):
            return ("seq", type(v), tuple(put(e) for e in v))
        return ("s", v)
    for k, v in ctx.__dict__.items():
        if k != "needs_input_grad":
            items.append((k, put(v)))
    return _Residual(arrays, _Layout(items))


def _unpack(res, needs):
    def get(item):
        if item[0] == "t":
            return _wrap(res.arrays[item[1]], item[2])
        if item[0] == "seq":
            return item[1](get(e) for e in item[2])
        return item[1]
    ctx = FunctionCtx()
    for k, item in res.layout.items:
        setattr(ctx, k, get(item))
    ctx.needs_input_grad = needs
    return ctx


__all__ = ["Function", "FunctionCtx", "once_differentiable"]
