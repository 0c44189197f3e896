"""Tensor: a façade over a (possibly pending) Value plus torch's autograd state.

Op methods and operators are attached from the op table by the `_ops` family modules; this file
holds the state, the observations that force values (item, tolist, numpy, print, bool) and the
in-place/view plumbing that keeps storage sharing visible to users.
"""

import warnings
import weakref

import numpy as np

from . import _dtypes
from ._lazy import Value, concrete, data_of, materialize


class Size(tuple):
    """torch.Size."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))


class device:
    """torch.device."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif ":" in type:
            type, i = type.split(":")
            index = int(i)
        if type not in ("cpu", "cuda", "mps", "xla", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, mps, xla, meta device type at start of "
                               f"device string: {type}")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")

_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")


class Tensor:
    """torch.Tensor."""

    # Hot state in slots; rarely set state as class defaults, overridden per instance in __dict__
    # (creating a tensor then costs five attribute writes).
    __slots__ = ("_v", "_grad_fn", "_requires_grad", "_out_nr", "_vc", "__dict__", "__weakref__")
    _grad = None
    _accum = None
    _base = None
    _chain = ()
    _views = None
    _retains_grad = False
    _hooks = None
    _np = None

    def __new__(cls, *args, **kwargs):
        from ._ops.factory import tensor_constructor
        return tensor_constructor(cls, *args, **kwargs)

    # ---- state ---------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._v.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._v.shape)
        return self._v.shape[_wrap_dim(dim, len(self._v.shape))]

    @property
    def dtype(self):
        return self._v.dtype

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def ndim(self):
        return len(self._v.shape)

    def dim(self):
        return len(self._v.shape)

    ndimension = dim

    def numel(self):
        n = 1
        for s in self._v.shape:
            n *= s
        return n

    nelement = numel

    def element_size(self):
        return self._v.dtype.itemsize

    def is_floating_point(self):
        return self._v.dtype.is_floating_point

    def is_complex(self):
        return self._v.dtype.is_complex

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use "
                    "a computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach().")
            return self
        if requires_grad and self._v.dtype._kind < 2:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad:
            warnings.warn(_NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, g):
        if g is not None:
            if not isinstance(g, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(g).__name__}")
            if g._v.dtype is not self._v.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if g._v.shape != self._v.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = g

    @property
    def retains_grad(self):
        return self._retains_grad

    def retain_grad(self):
        from .autograd.graph import retain_grad
        retain_grad(self)

    @property
    def _version(self):
        return self._vc[0]

    @property
    def _cdata(self):
        return id(self)

    @property
    def data(self):
        from ._ops.shape import alias
        t = alias(self)
        t._vc = [0]  # torch: .data shares storage but not the version counter (detach() does)
        return t

    @data.setter
    def data(self, other):
        self._set_value(other._v)

    @property
    def output_nr(self):
        return self._out_nr

    # ---- observations --------------------------------------------------------------------
    def _array(self):
        """The concrete jax array (computes it if pending)."""
        return data_of(self._v)

    def _host(self):
        """The value as a NumPy array, for observations (see `_packed.host`)."""
        return _packed().host(self._v)

    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if self._np is not None:
            return self._np
        arr = np.array(self._host())
        _share_numpy(self, arr)
        return arr

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a.astype(dtype, copy=False) if dtype is not None else a

    def item(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return self._host().reshape(()).item()

    def tolist(self):
        a = self._host()
        if self._v.dtype is _dtypes.bfloat16:
            a = a.astype(np.float32)
        return a.tolist()

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self):
        self._need_scalar("float")
        from .autograd.grad_mode import state
        if self._requires_grad and state.enabled:
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first. (Triggered "
                          "internally at /__w/pytorch/pytorch/torch/csrc/autograd/generated/"
                          "python_variable_methods.cpp:822.)", UserWarning, stacklevel=2)
        return float(self.item())

    def __int__(self):
        self._need_scalar("int")
        return int(self.item())

    def __complex__(self):
        return complex(self.item())

    def _need_scalar(self, what):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")

    def __index__(self):
        if self._v.dtype._kind != 1 or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __len__(self):
        if not self._v.shape:
            raise TypeError("len() of a 0-d tensor")
        return self._v.shape[0]

    def __iter__(self):
        if not self._v.shape:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __format__(self, spec):
        if not self._v.shape:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import format_tensor
        a = self._host()
        gf = self._grad_fn
        return format_tensor(a, self._v.dtype.name,
                             default_dtype_name=_dtypes.get_default_dtype().name,
                             requires_grad=self._requires_grad and gf is None,
                             grad_fn_name=type(gf).__name__ if gf is not None else None)

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, proto):
        return (_rebuild, (np.asarray(self._array()), self._requires_grad))

    def __deepcopy__(self, memo):
        if self._grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        t = new_tensor(self._v, None, self._requires_grad, 0)
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = t
        return t

    # ---- autograd ------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        if (gradient is None and inputs is None and not create_graph and self._requires_grad
                and self._v.shape == () and self._v.dtype._kind == 2):
            # the common `loss.backward()`: torch's checks on the root hold, go to the engine
            _engine().run_backward([self], [None], None, bool(retain_graph), True)
            return
        from .autograd import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook):
        from .autograd.graph import register_hook
        return register_hook(self, hook)

    def register_post_accumulate_grad_hook(self, hook):
        from .autograd.graph import register_post_accumulate_grad_hook
        return register_post_accumulate_grad_hook(self, hook)

    # ---- in-place and views --------------------------------------------------------------
    def _set_value(self, v):
        """Replace the contents (`.data = ...`, `set_`): no autograd, version unchanged."""
        self._v = v
        v.owner = weakref.ref(self) if v.owner is None else v.owner

    def _assign(self, r):
        """In-place: take the value and grad_fn of freshly recorded `r` and write through views."""
        v = r._v
        self._v = v
        v.owner = weakref.ref(self)
        if r._requires_grad:
            self._grad_fn = r._grad_fn
            self._out_nr = r._out_nr
            self._requires_grad = True
        self._vc[0] += 1
        gf = r._grad_fn
        if gf is not None and gf.saved:
            _rebase_saved(gf, r._vc, self._vc)
        if self._base is not None:
            from ._views import write_through
            write_through(self)
        elif self._views:
            from ._views import refresh_views
            refresh_views(self, None)

    def _set_view_of(self, root, chain):
        self._base = root
        self._chain = chain
        self._vc = root._vc
        # the base's views as plain weakrefs (a WeakSet's callbacks cost a microsecond a view);
        # dead ones are dropped here now and then, and when the views are refreshed
        vs = root._views
        if vs is None:
            root._views = [weakref.ref(self)]
        else:
            vs.append(weakref.ref(self))
            if len(vs) & 63 == 0:
                vs[:] = [r for r in vs if r() is not None]


def _engine():
    global _engine_mod
    if _engine_mod is None:
        from .autograd import engine
        _engine_mod = engine
    return _engine_mod


_engine_mod = None  # autograd.engine, imported on first use (it imports this module)


def _packed():
    global _packed_mod
    if _packed_mod is None:
        from . import _packed as m
        _packed_mod = m
    return _packed_mod


_packed_mod = None  # _packed, imported on first use (the op table it needs imports this module)


def _rebase_saved(node, result_vc, self_vc):
    """An in-place node's saved state: its result is now `self` (at its new version), and torch
    saved a copy of the original `self`, which later writes to `self` cannot touch."""
    from .autograd.graph import RESULT
    node.saved = [(i, self_vc, self_vc[0], m) if vc is result_vc else (i, vc, ver, m)
                  for i, vc, ver, m in node.saved if not (vc is self_vc and i != RESULT)]


def new_tensor(v, grad_fn, requires_grad, out_nr, cls=Tensor):
    """Internal constructor: a tensor holding `v` (no checks, no copies)."""
    t = object.__new__(cls)
    t._v = v
    t._grad_fn = grad_fn
    t._requires_grad = requires_grad
    t._out_nr = out_nr
    t._vc = [0]
    v.owner = weakref.ref(t)
    return t


def from_array(arr, requires_grad=False):
    """A leaf tensor over a concrete jax array."""
    return new_tensor(concrete(arr, _dtypes.from_np(arr.dtype)), None, requires_grad, 0)


def _rebuild(arr, requires_grad):
    import jax.numpy as jnp
    return from_array(jnp.asarray(arr), requires_grad)


def _wrap_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


# ---- NumPy sharing -------------------------------------------------------------------------

class _NumpyShared(Tensor):
    """A tensor whose storage is a NumPy array (from_numpy / numpy()): writes go both ways."""

    __slots__ = ()

    @property
    def _v(self):
        arr = self._np
        v = Tensor._v.__get__(self)
        if not np.array_equal(np.asarray(v.data), arr, equal_nan=arr.dtype.kind in "fc"):
            import jax.numpy as jnp
            v = concrete(jnp.asarray(arr.copy()), v.dtype)
            Tensor._v.__set__(self, v)
            v.owner = weakref.ref(self)
        return v

    @_v.setter
    def _v(self, v):
        Tensor._v.__set__(self, v)
        if self._np is not None:
            materialize([v]) if v.data is None else None
            np.copyto(self._np, np.asarray(v.data))


_NumpyShared.__name__ = _NumpyShared.__qualname__ = "Tensor"


def _share_numpy(t, arr):
    if type(t) is Tensor:
        t.__class__ = _NumpyShared
        t._np = arr
        materialize([Tensor._v.__get__(t)]) if Tensor._v.__get__(t).data is None else None


def from_numpy_shared(arr):
    import jax.numpy as jnp
    dt = _dtypes.from_np(arr.dtype)
    t = new_tensor(Value(tuple(arr.shape), dt, data=jnp.asarray(arr.copy())), None, False, 0,
                   cls=_NumpyShared)
    t._np = arr
    return t
