"""Shape and view ops: view/reshape/permute/transpose/squeeze/expand/..., cat/stack/split.

View rows are marked `view=True`, so their outputs share storage with the base (see `_views`).
Strides are not stored; they are derived on demand from a view's chain with torch's stride rules,
which is what `is_contiguous`, `stride()` and view-vs-copy decisions need.
"""

import math

import jax.numpy as jnp

from .._dispatch import call
from .._tensor import Size, Tensor, _wrap_dim
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
    known = math.prod(s for s in shape if s != -1)
    if neg:
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
_unsafe_view = op("unsafe_view", node="UnsafeViewBackward0", saves=False)(
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
_clone = op("clone", node="CloneBackward0", saves=False)(lambda x: x)


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
    "view": _reshape_rule, "squeeze": _reshape_rule, "squeeze.dim": _reshape_rule,
    "squeeze.dims": _reshape_rule, "unsqueeze": _reshape_rule, "permute": _perm_rule,
    "transpose": _perm_rule, "t": _perm_rule, "expand": _expand_rule,
    "alias": lambda shape, st, p: (shape, st),
}


# ---- surfaces ----------------------------------------------------------------------------------

@method("view")
def view(self, *shape):
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, Size, int)):
        from .pointwise import cast  # view(dtype)
        return cast(self, shape[0])
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
    if input._base is not None and not is_contiguous(input):
        if _view_strides(input._v.shape, strides_of(input), new) is None:
            # torch: a reshape that cannot be a view is clone + _unsafe_view
            return call(_unsafe_view, (clone(input),), (("shape", new),))
    return call(_view, (input,), (("shape", new),))


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
    sizes = _infer(tuple(sizes), shape[d])
    return view(input, shape[:d] + sizes + shape[d + 1:])


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
def broadcast_to(input, size):
    return expand(input, size)


def alias(t):
    """A detached tensor sharing `t`'s storage (`.data`, `detach()`)."""
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


# ---- joining and splitting ---------------------------------------------------------------------

@op("cat", node="CatBackward0", promote="default", saves=False)
def _cat(*xs, dim):
    return jnp.concatenate(xs, axis=dim)


@op("stack", node="StackBackward0", promote="default", saves=False)
def _stack(*xs, dim):
    return jnp.stack(xs, axis=dim)


@function("cat", "concat", "concatenate")
def cat(tensors, dim=0):
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ref = next((t for t in tensors if t._v.shape != (0,)), tensors[0])
    n = ref.dim()
    if n == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, n)
    tensors = tuple(t for t in tensors if t._v.shape != (0,) or t is ref)
    for i, x in enumerate(tensors):
        if x.dim() != n:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {n} and "
                               f"{x.dim()}")
        for j in range(n):
            if j != d and x._v.shape[j] != ref._v.shape[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected "
                                   f"size {ref._v.shape[j]} but got size {x._v.shape[j]} for "
                                   f"tensor number {i} in the list.")
    return call(_cat, tensors, (("dim", d),))


@function("stack")
def stack(tensors, dim=0):
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, x in enumerate(tensors):
        if x._v.shape != tensors[0]._v.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{_fmt(tensors[0]._v.shape)} at entry 0 and {_fmt(x._v.shape)} at "
                               f"entry {i}")
    d = _wrap_dim(dim, tensors[0].dim() + 1)
    return call(_stack, tensors, (("dim", d),))


@op("split", node="SplitBackward0", saves=False)
def _split(x, dim, sizes):
    idx, acc = [], 0
    for s in sizes[:-1]:
        acc += s
        idx.append(acc)
    return tuple(jnp.split(x, idx, axis=dim))


@op("unbind", node="UnbindBackward0", saves=False)
def _unbind(x, dim):
    return tuple(jnp.moveaxis(x, dim, 0))


def _multi(row, t, params, n):
    row_n = _rows_by_n(row, n)
    return call(row_n, (t,), params)


_split_rows = {}


def _rows_by_n(row, n):
    """Rows with n outputs (the table needs the output count up front)."""
    key = (row.name, n)
    r = _split_rows.get(key)
    if r is None:
        impl = row.impl if n != 1 else (lambda x, **kw: row.impl(x, **kw)[0])
        r = _split_rows[key] = op(f"{row.name}/{n}", node=row.node, saves=False, nout=n)(impl)
    return r


@function("split")
@method("split")
def split(tensor, split_size_or_sections, dim=0):
    d = _wrap_dim(dim, tensor.dim())
    size = tensor._v.shape[d]
    if isinstance(split_size_or_sections, int):
        s = split_size_or_sections
        sizes = [s] * (size // s) + ([size % s] if size % s else []) if s else [0]
        if size == 0:
            sizes = [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got split_sizes="
                               f"{_fmt(sizes)}")
    out = _multi(_split, tensor, (("dim", d), ("sizes", tuple(sizes))), len(sizes))
    return out if isinstance(out, tuple) else (out,)


@function("chunk")
@method("chunk")
def chunk(input, chunks, dim=0):
    d = _wrap_dim(dim, input.dim())
    size = input._v.shape[d]
    step = -(-size // chunks) if size else 0
    return split(input, step if step else 1, d) if size else (input,)


@function("unbind")
@method("unbind")
def unbind(input, dim=0):
    d = _wrap_dim(dim, input.dim())
    n = input._v.shape[d]
    out = _multi(_unbind, input, (("dim", d),), n)
    return out if isinstance(out, tuple) else (out,)
