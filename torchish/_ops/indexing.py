"""Indexing: `Tensor.__getitem__`/`__setitem__`, select/slice/narrow/diagonal views, index_put.

Basic indices (ints, slices, None, ...) become view rows; integer tensors and bool masks one `index`
row. Masks and index bounds are data-dependent: their values are materialized at the call site,
where torch checks them too. Select/slice positions are fed as data, so `x[i]` in a loop compiles
once. The gather/scatter/mask families live in `_ops/scatter.py`.
"""

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtypes
from .._dispatch import call, check_inplace
from .._lazy import apply_op
from .._tensor import Tensor, _wrap_dim, from_array
from ..autograd import grad_mode
from ..autograd.graph import _SAVED
from ._registry import op
from ._surface import function, method
from .shape import STRIDE_RULES, _unsqueeze, expand, view

# ---- view rows ---------------------------------------------------------------------------------
# A dynamic row gets its position as a data operand when called (no recompile per position); its
# view chain entry carries the position as a static param, which the impl also accepts.


@op("select", node="SelectBackward0", saves=False, view=True, arity=1)
def _select(x, index, dim):
    return lax.dynamic_index_in_dim(x, index, dim, keepdims=False)


@op("slice", node="SliceBackward0", saves=False, view=True, arity=1)
def _slice(x, start, dim, length, step):
    if length == 0:
        return lax.slice_in_dim(x, 0, 0, axis=dim)
    y = lax.dynamic_slice_in_dim(x, start, (length - 1) * step + 1, dim)
    return y if step == 1 else lax.slice_in_dim(y, 0, None, step, dim)


_alias = op("alias.getitem", node="AliasBackward0", saves=False, view=True)(lambda x: x)
DYNAMIC = {_select: "index", _slice: "start"}


@op("diagonal", node="DiagonalBackward0", saves=False, view=True)
def _diagonal(x, offset, dim1, dim2):
    return jnp.diagonal(x, offset, dim1, dim2)


def _drop(t, d):
    return t[:d] + t[d + 1:]


def _diag_len(shape, offset, d1, d2):
    if offset >= 0:
        return max(0, min(shape[d1], shape[d2] - offset))
    return max(0, min(shape[d1] + offset, shape[d2]))


def _diag_rule(shape, st, p):
    d1, d2 = p["dim1"], p["dim2"]
    keep = [k for k in range(len(shape)) if k not in (d1, d2)]
    n = _diag_len(shape, p["offset"], d1, d2)
    return (tuple(shape[k] for k in keep) + (n,), tuple(st[k] for k in keep) + (st[d1] + st[d2],))


def _slice_rule(shape, st, p):
    d = p["dim"]
    return (shape[:d] + (p["length"],) + shape[d + 1:], st[:d] + (st[d] * p["step"],) + st[d + 1:])


STRIDE_RULES["select"] = lambda shape, st, p: (_drop(shape, p["dim"]), _drop(st, p["dim"]))
STRIDE_RULES["slice"] = _slice_rule
STRIDE_RULES["alias.getitem"] = lambda shape, st, p: (shape, st)
STRIDE_RULES["diagonal"] = _diag_rule


def apply_step(t, row, pos, params):
    """Record view row `row` on `t` (`pos`: the data position of a dynamic row, else None)."""
    if pos is None:
        return call(row, (t,), params)
    r = call(row, (t, pos), params)
    r._chain = r._chain[:-1] + ((row, params + ((DYNAMIC[row], pos),)),)
    return r


# ---- advanced indexing rows --------------------------------------------------------------------

def _index_tuple(ndim, dims, idx):
    ix = [slice(None)] * ndim
    for d, i in zip(dims, idx):
        ix[d] = i
    return tuple(ix)


@op("index", node="IndexBackward0", arity=1)
def _index(x, *idx, dims):
    # torch's advanced indexing is numpy's, transposition rule included
    return x[_index_tuple(x.ndim, dims, idx)]


def _replay(x, chain, dyn):
    dyn = list(dyn)
    for o, params in chain:
        if o in DYNAMIC:
            x = o.impl(x, dyn.pop(0), **dict(params))
        else:
            (x,) = apply_op(o, dict(params), None, [x])
    return x


def _put(base, value, *rest, chain, ndyn, dims, accumulate):
    """Write `value` into the view `chain` of `base` (at advanced indices `dims` of it)."""
    dyn, idx = rest[:ndyn], rest[ndyn:]
    value = jnp.asarray(value).astype(base.dtype)
    pos = _replay(jnp.arange(base.size).reshape(base.shape), chain, dyn) if chain else None
    target = base if pos is None else base.reshape(-1)[pos]
    if dims is None:
        new = jnp.broadcast_to(value, target.shape)
    else:
        at = target.at[_index_tuple(target.ndim, dims, idx)]
        new = at.add(value) if accumulate else at.set(value)
    if pos is None:
        return new
    return base.reshape(-1).at[pos.reshape(-1)].set(new.reshape(-1)).reshape(base.shape)


# torch: IndexBackward0 and IndexPutBackward0 save the indices (internal arrays here), never the
# tensor written to
_SAVED.update({"IndexBackward0": (), "IndexPutBackward0": ()})

# torch: the node is the in-place op's, or CopySlices when it wrote through a view
_copy_slices = op("setitem.slices", node="CopySlices", arity=2, saves=False)(_put)
_index_put = op("index_put", node="IndexPutBackward0", arity=2)(_put)
_fill = op("setitem.fill", node="FillBackward3", arity=2, saves=False)(_put)
_copy = op("setitem.copy", node="CopyBackwards", arity=2, saves=False)(_put)


# ---- parsing an index --------------------------------------------------------------------------

_BAD_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
              "valid indices (got {})")
_ZERO_DIM = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
             "in C++ to convert a 0-dim tensor to a number")


def _is_int(x):
    if isinstance(x, Tensor):
        return x.dim() == 0 and x._v.dtype in (_dtypes.int32, _dtypes.int64)
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _is_bool(x):
    if isinstance(x, Tensor):
        return x.dim() == 0 and x._v.dtype in (_dtypes.bool_, _dtypes.uint8)
    return isinstance(x, (bool, np.bool_))


def _is_mask(x):
    return isinstance(x, Tensor) and x._v.dtype in (_dtypes.bool_, _dtypes.uint8)


def _as_index_tensor(seq):
    from .factory import tensor
    if isinstance(seq, np.ndarray):
        return tensor(seq)
    return tensor(seq) if len(seq) else tensor(seq, dtype=_dtypes.int64)


def _items(index):
    """(tuple of index items, whether it was one bare slice)."""
    if isinstance(index, tuple):
        return index, False
    if isinstance(index, list) and len(index) < 32 and any(
            isinstance(x, (Tensor, list, tuple, slice)) or x is None or x is Ellipsis
            for x in index):
        return tuple(index), False  # torch: numpy's legacy rule, such a list acts as a tuple
    return (index,), isinstance(index, slice)


def _consumes(x):
    if x is None or x is Ellipsis or _is_bool(x):
        return 0
    return x.dim() if _is_mask(x) else 1


def parse(t, index, setting):
    """Basic steps [(row, pos, params)], the shape after them, advanced entries [(dim, index)]."""
    items, single_slice = _items(index)
    items = [_as_index_tensor(x) if isinstance(x, (list, tuple, np.ndarray)) else x
             for x in items]
    shape = list(t._v.shape)
    ndim = len(shape)
    if ndim == 0 and len(items) == 1:
        if _is_int(items[0]):
            raise IndexError(_ZERO_DIM)
        if isinstance(items[0], slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    used = sum(_consumes(x) for x in items)
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    steps, adv, dim = [], [], 0
    for real, x in enumerate(items):
        if x is None or _is_bool(x):
            shape.insert(dim, 1)
            steps.append((_unsqueeze, None, (("shape", tuple(shape)),)))
            if x is not None:  # torch: a bool indexes a new unit dim with [True] or [False]
                adv.append((dim, np.zeros(int(bool(x)), np.int64)))
            dim += 1
        elif x is Ellipsis:
            dim += ndim - used  # torch: at each ellipsis, repeated ones included
        elif _is_int(x):
            i, size = int(x), shape[dim]
            if not -size <= i < size:  # torch: names the index's position in the tuple
                raise IndexError(f"index {i} is out of bounds for dimension {real} with size "
                                 f"{size}")
            steps.append((_select, i % size, (("dim", dim),)))
            del shape[dim]
        elif isinstance(x, slice):
            size = shape[dim]
            start, stop, step = x.indices(size)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            length = max(0, -(-(stop - start) // step))
            # torch: a full slice inside a tuple (or any, when assigning) is skipped
            if (single_slice and not setting) or (start, length, step) != (0, size, 1):
                steps.append((_slice, start, (("dim", dim), ("length", length), ("step", step))))
                shape[dim] = length
            dim += 1
        elif isinstance(x, Tensor):
            if _is_mask(x):
                adv.append((dim, x))
                dim += x.dim()
            elif x._v.dtype in (_dtypes.int32, _dtypes.int64):
                adv.append((dim, x))
                dim += 1
            else:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        elif isinstance(x, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise IndexError(_BAD_INDEX.format(type(x).__name__))
    return steps, tuple(shape), adv


def host(t):
    """The values of `t` as a NumPy array (materializes it)."""
    return np.asarray(t._array())


def first_out_of_bounds(arrs, sizes, negative=True):
    """(value, k) of the first index (in broadcast order) outside its size, or None."""
    arrs = np.broadcast_arrays(*arrs)
    bad = [((a < -s) if negative else (a < 0)) | (a >= s) for a, s in zip(arrs, sizes)]
    if not bad or not bad[0].size:
        return None
    anyb = np.logical_or.reduce([b.reshape(-1) for b in bad])
    if not anyb.any():
        return None
    p = int(np.argmax(anyb))
    k = next(k for k, b in enumerate(bad) if b.reshape(-1)[p])
    return int(arrs[k].reshape(-1)[p]), k


def advanced(shape, adv):
    """Integer index tensors and the dims they index (masks become their nonzero positions)."""
    dims, idx = [], []
    for d, x in adv:
        if isinstance(x, Tensor) and _is_mask(x):
            for j, s in enumerate(x._v.shape):
                if s != shape[d + j]:
                    raise IndexError(f"The shape of the mask {list(x._v.shape)} at index {j} does "
                                     f"not match the shape of the indexed tensor {list(shape)} at "
                                     f"index {d + j}")
            for j, p in enumerate(np.nonzero(host(x).reshape(x._v.shape))):
                dims.append(d + j)
                idx.append(p.astype(np.int64))
        else:
            dims.append(d)
            idx.append(x)
    shapes = [tuple(i.shape) for i in idx]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         "shapes " + ", ".join(str(list(s)) for s in shapes)) from None
    bad = first_out_of_bounds([host(i) if isinstance(i, Tensor) else i for i in idx],
                              [shape[d] for d in dims])
    if bad is not None:
        # torch: the dimension named is the index's position among the index tensors
        raise IndexError(f"index {bad[0]} is out of bounds for dimension {bad[1]} with size "
                         f"{shape[dims[bad[1]]]}")
    idx = [i if isinstance(i, Tensor) else from_array(jnp.asarray(i)) for i in idx]
    return tuple(dims), idx


def index_shape(shape, dims, idx):
    b = np.broadcast_shapes(*(tuple(i.shape) for i in idx))
    ds = sorted(dims)
    if ds == list(range(ds[0], ds[0] + len(ds))):
        return tuple(shape[:ds[0]]) + b + tuple(shape[ds[-1] + 1:])
    return b + tuple(s for d, s in enumerate(shape) if d not in dims)


# ---- __getitem__ / __setitem__ -----------------------------------------------------------------

def getitem(self, index):
    steps, shape, adv = parse(self, index, setting=False)
    t = self
    for row, pos, params in steps:
        t = apply_step(t, row, pos, params)
    if adv:
        dims, idx = advanced(shape, adv)
        return call(_index, (t, *idx), (("dims", dims),))
    return call(_alias, (self,)) if t is self else t


def _type_name(x):
    ty = type(x)
    return ty.__qualname__ if ty.__module__ == "builtins" else f"{ty.__module__}.{ty.__qualname__}"


def _operand(self, value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (Tensor, bool, int, float, complex)):
        return value
    raise TypeError(f"can't assign a {_type_name(value)} to a "
                    f"torch.{_dtypes.SCALAR_NAMES[self._v.dtype]}Tensor")


def _static_chain(chain):
    """Chain entries with the positions of dynamic rows moved out into a data list."""
    static, dyn = [], []
    for o, params in chain:
        if o in DYNAMIC:
            key = DYNAMIC[o]
            dyn.append(dict(params)[key])
            params = tuple(p for p in params if p[0] != key)
        static.append((o, params))
    return static, dyn


def put(self, steps, shape, adv, value, accumulate=False):
    """The in-place write `self[steps][adv] = value`: rebinds the root base, bumps the version."""
    if (steps and self._base is None and grad_mode.state.enabled and self._requires_grad
            and self._grad_fn is None):
        # torch: a basic index writes through a view of the leaf
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    check_inplace(self)
    root = self._base if self._base is not None else self
    chain, dyn = _static_chain(self._chain)
    chain += [(row, params) for row, _, params in steps]
    dyn += [pos for _, pos, _ in steps if pos is not None]
    dims, idx = None, []
    if adv:
        dims, idx = advanced(shape, adv)
        if isinstance(value, Tensor):
            if value._v.dtype is not self._v.dtype:
                names = _dtypes.SCALAR_NAMES
                raise RuntimeError(f"Index put requires the source and destination dtypes match, "
                                   f"got {names[self._v.dtype]} for the destination and "
                                   f"{names[value._v.dtype]} for the source.")
            res = index_shape(shape, dims, idx)
            vs = value._v.shape
            if len(vs) > len(res) or any(v not in (1, r) for v, r in zip(vs[::-1], res[::-1])):
                raise RuntimeError(f"shape mismatch: value tensor of shape {list(vs)} cannot be "
                                   f"broadcast to indexing result of shape {list(res)}")
        row = _copy_slices if chain else _index_put
    else:
        row = _fill
        if isinstance(value, Tensor) and value._v.shape == shape:
            row = _copy
        elif isinstance(value, Tensor) and value.dim():
            # torch's copy_to: drop leading unit dims with a view, then expand
            vs = list(value._v.shape)
            while vs and vs[0] == 1:
                vs.pop(0)
            value = view(value, tuple(vs))
            if value._v.shape != shape:
                value = expand(value, shape)
            row = _copy
        row = _copy_slices if chain else row
    params = (("chain", tuple(chain)), ("ndyn", len(dyn)), ("dims", dims),
              ("accumulate", accumulate))
    root._assign(call(row, (root, value, *dyn, *idx), params))
    return self


def setitem(self, index, value):
    value = _operand(self, value)
    steps, shape, adv = parse(self, index, setting=True)
    put(self, steps, shape, adv, value)


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem


def _put_indices(self, indices):
    adv, dim = [], 0
    for x in indices:
        if x is not None:
            if not isinstance(x, Tensor):
                x = _as_index_tensor(x)
            adv.append((dim, x))
        dim += x.dim() if _is_mask(x) else 1
    return adv


@function("index_put")
@method("index_put")
def index_put(input, indices, values, accumulate=False):
    dims, idx = advanced(input._v.shape, _put_indices(input, indices))
    params = (("chain", ()), ("ndyn", 0), ("dims", dims), ("accumulate", bool(accumulate)))
    return call(_index_put, (input, values, *idx), params)


@method("index_put_")
def index_put_(self, indices, values, accumulate=False):
    return put(self, [], self._v.shape, _put_indices(self, indices), values, bool(accumulate))


# ---- select / narrow / diagonal ----------------------------------------------------------------

def _int(x):
    return int(x.item()) if isinstance(x, Tensor) else int(x)


@function("select")
@method("select")
def select(input, dim, index):
    shape = input._v.shape
    d = _wrap_dim(dim, len(shape))
    i = _int(index)
    if not -shape[d] <= i < shape[d]:
        raise IndexError(f"select(): index {i} out of range for tensor of size {list(shape)} at "
                         f"dimension {d}")
    return apply_step(input, _select, i % shape[d], (("dim", d),))


@function("narrow")
@method("narrow")
def narrow(input, dim, start, length):
    shape = input._v.shape
    d = _wrap_dim(dim, len(shape))
    size, start = shape[d], _int(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but "
                         f"got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return apply_step(input, _slice, start, (("dim", d), ("length", length), ("step", 1)))


@function("diagonal")
@method("diagonal")
def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input.dim()
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return call(_diagonal, (input,), (("offset", offset), ("dim1", d1), ("dim2", d2)))


_diag_embed = op("diag_embed", node="DiagEmbedBackward0", saves=False)(
    lambda x, k: jnp.diag(x, k))
_diagonal_copy = op("diagonal_copy", node="DiagonalBackward0_copy", saves=False)(
    lambda x, k: jnp.diagonal(x, k))


@function("diag")
@method("diag")
def diag(input, diagonal=0):
    n = input.dim()
    if n == 1:
        return call(_diag_embed, (input,), (("k", diagonal),))
    if n == 2:
        return call(_diagonal_copy, (input,), (("k", diagonal),))  # torch: diag() copies
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")


# ---- nonzero -----------------------------------------------------------------------------------

@function("nonzero")
@method("nonzero")
def nonzero(input, *, out=None, as_tuple=False):
    arr = host(input)
    if as_tuple:
        return tuple(from_array(jnp.asarray(p.astype(np.int64)))
                     for p in np.nonzero(arr.reshape(arr.shape or (1,))))
    return from_array(jnp.asarray(np.argwhere(arr).astype(np.int64)))


@function("argwhere")
@method("argwhere")
def argwhere(input):
    return nonzero(input)


from . import scatter  # noqa: E402,F401 - the gather/scatter/mask families

__all__ = ["getitem", "setitem", "select", "narrow", "diagonal", "diag", "nonzero", "argwhere",
           "index_put", "index_put_", "put", "parse", "advanced", "host"]
