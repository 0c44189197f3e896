"""Shape and view ops: view/reshape/permute/transpose/squeeze/unsqueeze/expand/movedim/...
Joining and splitting (cat/stack/split/...) live in `joining.py`, imported at the end.

View rows are marked `view=True`, so their outputs share storage with the base (see `_views`).
Strides are not stored; they are derived on demand from a view's chain with torch's stride rules,
which is what `is_contiguous`, `stride()` and view-vs-copy decisions need.
"""

import math

import jax
import jax.numpy as jnp

from .._dispatch import call
from .._lazy import Value
from .._tensor import Size, Tensor, _wrap_dim, new_tensor
from ._registry import op
from ._surface import function, method


def contiguous_strides(shape):
    st, acc = [], 1
    for s in reversed(shape):
        st.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(st))


def strides_of(t):
    """torch's strides of `t`, replayed from its base along the view chain."""
    if t._base is None:
        return contiguous_strides(t._v.shape)
    shape = t._base._v.shape
    st = contiguous_strides(shape)
    for o, params in t._chain:
        shape, st = STRIDE_RULES[o.name](shape, st, dict(params))
    return st


def is_contiguous(t):
    if 0 in t._v.shape:
        return True  # torch: an empty tensor is contiguous
    exp = 1
    for s, st in zip(reversed(t._v.shape), reversed(strides_of(t))):
        if s != 1 and st != exp:
            return False
        exp *= s
    return True


def _infer(shape, numel):
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_fmt(shape)}")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {_fmt(shape)} "
                               "because the unspecified dimension size -1 can be any value and "
                               "is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_fmt(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _fmt(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def _sizes(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = args[0]
    return tuple(int(a) for a in args)


def _view_strides(old_shape, old_st, new_shape):
    """torch's computeStride: strides for viewing, or None when a copy is needed."""
    if math.prod(old_shape) == 0:
        return contiguous_strides(new_shape)
    new_st = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = old_st[-1] if old_st else 1
    tensor_numel, view_numel = 1, 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and old_st[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_st[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = old_st[d - 1]
                tensor_numel, view_numel = 1, 1
    if view_d != -1:
        return None
    return tuple(new_st)


# ---- rows --------------------------------------------------------------------------------------

_view = op("view", node="ViewBackward0", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_unsafe_view = op("unsafe_view", node="UnsafeViewBackward0", saves=False, linear=True)(
    lambda x, shape: x.reshape(shape))
_reshape_alias = op("reshape_alias", node="ReshapeAliasBackward0", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_permute = op("permute", node="PermuteBackward0", saves=False, view=True)(
    lambda x, dims: jnp.transpose(x, dims))
_transpose = op("transpose", node="TransposeBackward0", saves=False, view=True)(
    lambda x, dims: jnp.transpose(x, dims))
_t = op("t", node="TBackward0", saves=False, view=True)(lambda x, dims: jnp.transpose(x, dims))
_squeeze = op("squeeze", node="SqueezeBackward0", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_squeeze_dim = op("squeeze.dim", node="SqueezeBackward1", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_squeeze_dims = op("squeeze.dims", node="SqueezeBackward2", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_unsqueeze = op("unsqueeze", node="UnsqueezeBackward0", saves=False, view=True)(
    lambda x, shape: x.reshape(shape))
_expand = op("expand", node="ExpandBackward0", saves=False, view=True)(
    lambda x, shape: jnp.broadcast_to(x, shape))
_alias = op("alias", saves=False, view=True)(lambda x: x)
_clone = op("clone", node="CloneBackward0", saves=False, linear=True)(lambda x: x)


def _reshape_rule(shape, st, p):
    new = p["shape"]
    return new, _view_strides(shape, st, new) or contiguous_strides(new)


def _perm_rule(shape, st, p):
    d = p["dims"]
    return tuple(shape[i] for i in d), tuple(st[i] for i in d)


def _expand_rule(shape, st, p):
    new = p["shape"]
    k = len(new) - len(shape)
    out = [0] * k + [s if shape[i] == new[k + i] else 0 for i, s in enumerate(st)]
    return new, tuple(out)


STRIDE_RULES = {
    "view": _reshape_rule, "reshape_alias": _reshape_rule, "squeeze": _reshape_rule,
    "squeeze.dim": _reshape_rule,
    "squeeze.dims": _reshape_rule, "unsqueeze": _reshape_rule, "permute": _perm_rule,
    "transpose": _perm_rule, "t": _perm_rule, "expand": _expand_rule,
    "alias": lambda shape, st, p: (shape, st),
}


# ---- surfaces ----------------------------------------------------------------------------------

@op("view.dtype", saves=False)
def _view_dtype(x, dtype):
    a, b = x.dtype.itemsize, dtype.itemsize
    if a < b:  # to a wider type: group the last dim
        x = x.reshape(x.shape[:-1] + (x.shape[-1] * a // b, b // a))
    y = jax.lax.bitcast_convert_type(x, dtype.np)
    if a > b:  # to a narrower type: the new trailing axis folds into the last dim
        y = y.reshape(x.shape[:-1] + (-1,))
    return y


def view_dtype(self, dtype):
    """Tensor.view(dtype): the same bytes read as `dtype` (never differentiable)."""
    from .. import _dtypes
    old = self._v.dtype
    if dtype is old:
        return self
    if old.itemsize != dtype.itemsize:
        names = _dtypes.SCALAR_NAMES
        what = f"to view {names[old]} as {names[dtype]} (different element sizes)"
        if self.dim() == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if strides_of(self)[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got "
                               f"{strides_of(self)[-1]}")
        if dtype.itemsize > old.itemsize and self.shape[-1] % (dtype.itemsize // old.itemsize):
            raise RuntimeError(f"self.size(-1) must be divisible by "
                               f"{dtype.itemsize // old.itemsize} {what}, but got "
                               f"{self.shape[-1]}")
    return call(_view_dtype, (self,), (("dtype", dtype),))


@method("view")
def view(self, *shape):
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, Size, int)):
        return view_dtype(self, shape[0])
    new = _infer(_sizes(shape), self.numel())
    if self._base is not None and not is_contiguous(self):
        if _view_strides(self._v.shape, strides_of(self), new) is None:
            raise RuntimeError("view size is not compatible with input tensor's size and stride "
                               "(at least one dimension spans across two contiguous subspaces). "
                               "Use .reshape(...) instead.")
    return call(_view, (self,), (("shape", new),))


@function("reshape")
@method("reshape")
def reshape(input, *shape):
    new = _infer(_sizes(shape), input.numel())
    if input._base is None or is_contiguous(input):
        return call(_view, (input,), (("shape", new),))
    if _view_strides(input._v.shape, strides_of(input), new) is None:
        # torch: a reshape that cannot be a view is clone + _unsafe_view
        return call(_unsafe_view, (clone(input),), (("shape", new),))
    # torch: a non-contiguous input that can be viewed goes through _reshape_alias
    return call(_reshape_alias, (input,), (("shape", new),))


@method("view_as")
def view_as(self, other):
    return view(self, other.shape)


@method("reshape_as")
def reshape_as(self, other):
    return reshape(self, other.shape)


@function("clone")
@method("clone")
def clone(input, *, memory_format=None):
    return call(_clone, (input,))


@method("contiguous")
def contiguous(self, memory_format=None):
    return self if is_contiguous(self) else clone(self)


Tensor.is_contiguous = lambda self, memory_format=None: is_contiguous(self)
Tensor.stride = lambda self, dim=None: (strides_of(self) if dim is None
                                        else strides_of(self)[_wrap_dim(dim, self.dim())])


@function("permute")
@method("permute")
def permute(input, *dims):
    dims = _sizes(dims)
    if len(dims) != input.dim():
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {input.dim()} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, input.dim()) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return call(_permute, (input,), (("dims", dims),))


def _swap(n, a, b):
    d = list(range(n))
    d[a], d[b] = d[b], d[a]
    return tuple(d)


@function("transpose", "swapaxes", "swapdims")
@method("transpose", "swapaxes", "swapdims")
def transpose(input, dim0, dim1):
    n = input.dim()
    return call(_transpose, (input,), (("dims", _swap(n, _wrap_dim(dim0, n), _wrap_dim(dim1, n))),))


@function("t")
@method("t")
def t(input):
    n = input.dim()
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return call(_t, (input,), (("dims", tuple(reversed(range(n)))),))


def _T(self):
    n = self.dim()
    if n == 2:
        return permute(self, 1, 0)
    return permute(self, *reversed(range(n)))


Tensor.T = property(_T)
Tensor.mT = property(lambda self: transpose(self, -2, -1))
Tensor.H = property(_T)
Tensor.mH = Tensor.mT


@function("squeeze")
@method("squeeze")
def squeeze(input, dim=None):
    shape = input._v.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
        return call(_squeeze, (input,), (("shape", new),))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    ds = {_wrap_dim(d, len(shape)) for d in dims}
    new = tuple(s for i, s in enumerate(shape) if not (i in ds and s == 1))
    row = _squeeze_dims if isinstance(dim, (tuple, list)) else _squeeze_dim
    return call(row, (input,), (("shape", new),))


@function("unsqueeze")
@method("unsqueeze")
def unsqueeze(input, dim):
    shape = list(input._v.shape)
    d = _wrap_dim(dim, len(shape) + 1)
    shape.insert(d, 1)
    return call(_unsqueeze, (input,), (("shape", tuple(shape)),))


@function("flatten")
@method("flatten")
def flatten(input, start_dim=0, end_dim=-1):
    shape = input._v.shape
    if not shape:
        return reshape(input, (1,))
    s, e = _wrap_dim(start_dim, len(shape)), _wrap_dim(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    new = shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:]
    return reshape(input, new)


@function("unflatten")
@method("unflatten")
def unflatten(input, dim, sizes):
    shape = input._v.shape
    d = _wrap_dim(dim, len(shape))
    sizes = tuple(sizes)
    known = math.prod(s for s in sizes if s != -1)
    if (-1 not in sizes and known != shape[d]) or (-1 in sizes and (known == 0 or
                                                                    shape[d] % known)):
        raise RuntimeError(f"unflatten: Provided sizes {_fmt(sizes)} don't multiply up to the "
                           f"size of dim {d} ({shape[d]}) in the input tensor")
    sizes = _infer(sizes, shape[d])
    return view(input, shape[:d] + sizes + shape[d + 1:])


@function("ravel")
@method("ravel")
def ravel(input):
    return reshape(input, -1)


@function("movedim", "moveaxis")
@method("movedim", "moveaxis")
def movedim(input, source, destination):
    n = input.dim()
    src = tuple(source) if isinstance(source, (tuple, list)) else (source,)
    dst = tuple(destination) if isinstance(destination, (tuple, list)) else (destination,)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({_fmt(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({_fmt(dst)} dims)")
    src = tuple(_wrap_dim(d, n) for d in src)
    dst = tuple(_wrap_dim(d, n) for d in dst)
    for what, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{what}` ({_fmt(ds)})")
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(n) if i not in src)
    order = tuple(o if o is not None else next(rest) for o in order)
    # torch: movedim is a permute (PermuteBackward0), even when nothing moves
    return call(_permute, (input,), (("dims", order),))


def _atleast(n):
    def fn(*tensors):
        ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)) else tensors
        out = []
        for t in ts:
            if t.dim() == 0:
                t = reshape(t, (1,) * n)
            elif n >= 2 and t.dim() == 1:
                t = unsqueeze(t, 0)
                if n == 3:
                    t = unsqueeze(t, -1)
            elif n == 3 and t.dim() == 2:
                t = unsqueeze(t, -1)
            out.append(t)
        return out[0] if len(tensors) == 1 and not isinstance(tensors[0], (tuple, list)) else \
            tuple(out)
    return fn


for _n in (1, 2, 3):
    function(f"atleast_{_n}d")(_atleast(_n))


@method("expand")
def expand(self, *sizes):
    sizes = _sizes(sizes)
    shape = self._v.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand(torch.FloatTensor{{{_fmt(shape)}}}, size={_fmt(sizes)}): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal to "
                           f"the number of dimensions in the tensor ({len(shape)})")
    k = len(sizes) - len(shape)
    new = []
    for i, s in enumerate(sizes):
        old = shape[i - k] if i >= k else None
        if s == -1:
            if old is None:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            s = old
        elif old is not None and old != 1 and old != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({old}) at non-singleton dimension {i}.  Target sizes: "
                               f"{_fmt(sizes)}.  Tensor sizes: {_fmt(shape)}")
        new.append(s)
    return call(_expand, (self,), (("shape", tuple(new)),))


@method("expand_as")
def expand_as(self, other):
    return expand(self, other.shape)


@function("broadcast_to")
@method("broadcast_to")
def broadcast_to(input, size):
    return expand(input, size)


def alias(t):
    """A detached tensor sharing `t`'s storage (`.data`, `detach()`)."""
    v = t._v
    if v.data is not None:  # computed already: share the array, no op to run for it
        a = new_tensor(Value(v.shape, v.dtype, v.data), None, False, 0)
        root = t._base if t._base is not None else t
        a._set_view_of(root, t._chain + ((_alias, ()),))
        return a
    from ..autograd import grad_mode
    with grad_mode.no_grad():
        return call(_alias, (t,))


@function("detach")
@method("detach")
def detach(input):
    return alias(input)


@method("detach_")
def detach_(self):
    self._grad_fn = None
    self._requires_grad = False
    return self


from .joining import cat, chunk, split, stack, unbind  # noqa: E402,F401 - re-exported
