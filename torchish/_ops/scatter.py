"""Index-driven ops: gather/scatter, index_*, masked_*, take, and flip/roll/tril/triu/repeat.

Index values are checked on the host at the call site (torch raises there on CPU); the rows take
indices as data operands, so new index values do not recompile.
"""

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import broadcast_shapes, call
from .._tensor import Tensor, _wrap_dim, from_array
from ..autograd.graph import _SAVED
from ._registry import op
from ._surface import function, inplace_method, method
from .indexing import first_out_of_bounds, host

_INDEX_DTYPES = (_dtypes.int32, _dtypes.int64)
# torch prints a mask's dtype by its C++ type name here
_CPP_NAMES = {_dtypes.uint8: "unsigned char", _dtypes.int8: "signed char",
              _dtypes.int16: "short int", _dtypes.int32: "int", _dtypes.int64: "long int",
              _dtypes.float16: "c10::Half", _dtypes.bfloat16: "c10::BFloat16",
              _dtypes.float32: "float", _dtypes.float64: "double"}


# torch (derivatives.yaml): what each node saves, as (operand, saved when operand j needs grad);
# operand order is each row's (input, src/value, index). Never `self` of an in-place variant.
_SAVED.update({
    "GatherBackward0": ((0, 0), (1, None)), "TakeBackward0": ((0, 0), (1, None)),
    "MaskedSelectBackward0": ((0, 0),), "IndexSelectBackward0": ((1, None),),
    **dict.fromkeys(("ScatterBackward0", "ScatterBackward1", "ScatterAddBackward0",
                     "MaskedFillBackward0", "MaskedFillBackward1", "IndexAddBackward0",
                     "IndexCopyBackward0", "IndexFillBackward0", "IndexFillBackward1"),
                    ((2, None),)),
    **dict.fromkeys(("MaskedScatterBackward0", "NotImplemented"), ()),
})


def _along(index, dim):
    """numpy index tuple addressing x[i0, .., index[i], .., in] for every position of `index`."""
    ix = list(jnp.indices(index.shape, sparse=True))
    ix[dim] = index
    return tuple(ix)


def _no_derivative(name):
    """Identity whose derivative raises torch's error (torch records a NotImplemented node)."""
    @jax.custom_vjp
    def f(x):
        return x

    def bwd(_, g):
        raise RuntimeError(f"derivative for aten::{name} is not implemented")
    f.defvjp(lambda x: (x, None), bwd)
    return f


_scatter_no_grad = _no_derivative("scatter")


# ---- gather / scatter --------------------------------------------------------------------------

@op("gather", node="GatherBackward0", arity=1)
def _gather(x, index, dim):
    x = x[tuple(slice(None) if d == dim else slice(0, s) for d, s in enumerate(index.shape))]
    return jnp.take_along_axis(x, index, axis=dim)


def _check_index(fn, input, dim, index, src=None):
    """torch's scatter/gather shape and bound checks; returns the wrapped dim."""
    d = _wrap_dim(dim, input.dim())
    if index.dim() != input.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if fn == 'gather' else 'self'} tensor")
    if src is not None and index.dim() != src.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    ishape, sshape = index._v.shape, input._v.shape
    for k in range(index.dim()):
        if (k != d and ishape[k] > sshape[k]) or (src is not None and ishape[k] > src._v.shape[k]):
            if src is None:
                raise RuntimeError(f"Size does not match at dimension {k} expected index "
                                   f"{list(ishape)} to be no larger than self {list(sshape)} "
                                   f"apart from dimension {d}")
            raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self "
                               f"{list(sshape)} apart from dimension {d} and to be no larger size "
                               f"than src {list(src._v.shape)}")
    bad = first_out_of_bounds([host(index)], [sshape[d]], negative=False)
    if bad is not None:
        raise RuntimeError(f"index {bad[0]} is out of bounds for dimension {d} with size "
                           f"{sshape[d]}")
    return d


@function("gather")
@method("gather")
def gather(input, dim, index, *, sparse_grad=False):
    if index._v.dtype not in _INDEX_DTYPES:
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    d = _check_index("gather", input, dim, index)
    return call(_gather, (input, index), (("dim", d),))


@function("take_along_dim")
@method("take_along_dim")
def take_along_dim(input, indices, dim=None):
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    d = _wrap_dim(dim, input.dim())
    sizes = list(input._v.shape)
    sizes[d] = indices._v.shape[d]
    shape = list(broadcast_shapes(tuple(sizes), indices._v.shape))
    indices = indices.expand(shape)  # torch: both sides go through broadcast_to
    shape[d] = input._v.shape[d]
    return gather(input.expand(shape), d, indices)


def _scatter_impl(kind):
    def impl(x, src, index, dim, reduce=None):
        if hasattr(src, "shape") and src.ndim:
            src = src[tuple(slice(0, s) for s in index.shape)]
        at = x.at[_along(index, dim)]
        src = jnp.asarray(src).astype(x.dtype)
        if kind == "add" or reduce == "add":
            out = at.add(src)
        elif reduce == "multiply":
            out = at.multiply(src)
        else:
            out = at.set(src)
        return _scatter_no_grad(out) if reduce is not None else out
    return impl


_scatter = op("scatter.src", node="ScatterBackward0", arity=2)(_scatter_impl("set"))
_scatter_value = op("scatter.value", node="ScatterBackward1", arity=1)(_scatter_impl("set"))
_scatter_reduce = op("scatter.reduce", node="NotImplemented", arity=2)(_scatter_impl("set"))
_scatter_value_reduce = op("scatter.value_reduce", node="NotImplemented", arity=1)(
    _scatter_impl("set"))
_scatter_add = op("scatter_add", node="ScatterAddBackward0", arity=2)(_scatter_impl("add"))


def _scatter_call(fn, input, dim, index, src, reduce=None):
    if index._v.dtype not in _INDEX_DTYPES:
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    tsrc = src if isinstance(src, Tensor) else None
    if tsrc is not None and tsrc._v.dtype is not input._v.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _check_index(fn, input, dim, index, tsrc)
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        row = _scatter_reduce if tsrc is not None else _scatter_value_reduce
        return call(row, (input, src, index), (("dim", d), ("reduce", reduce)))
    if fn == "scatter_add":
        return call(_scatter_add, (input, src, index), (("dim", d),))
    row = _scatter if tsrc is not None else _scatter_value
    return call(row, (input, src, index), (("dim", d),))


@function("scatter")
@method("scatter")
def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    return _scatter_call("scatter", input, dim, index, value if src is None else src, reduce)


@function("scatter_add")
@method("scatter_add")
def scatter_add(input, dim, index, src):
    return _scatter_call("scatter_add", input, dim, index, src)


inplace_method("scatter_", scatter)
inplace_method("scatter_add_", scatter_add)


# ---- index_select / index_add / index_copy / index_fill / take ----------------------------------

@op("index_select", node="IndexSelectBackward0", arity=1)
def _index_select(x, index, dim):
    return jnp.take(x, index.reshape(-1), axis=dim)


@function("index_select")
@method("index_select")
def index_select(input, dim, index):
    d = _wrap_dim(dim, input.dim())
    if index._v.dtype not in _INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    size = input._v.shape[d] if input.dim() else 1
    bad = first_out_of_bounds([host(index)], [size], negative=False)
    if bad is not None:
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={size}")
    return call(_index_select, (input, index), (("dim", d),))


def _index_update(kind):
    def impl(x, src, index, *alpha, dim):
        at = x.at[(slice(None),) * dim + (index.reshape(-1),)]
        src = jnp.asarray(src).astype(x.dtype)
        if kind == "add":
            return at.add(src * jnp.asarray(alpha[0]).astype(x.dtype) if alpha else src)
        return at.set(src)
    return impl


_index_add = op("index_add", node="IndexAddBackward0", arity=2)(_index_update("add"))
_index_copy = op("index_copy", node="IndexCopyBackward0", arity=2)(_index_update("set"))
_index_fill = op("index_fill.int_Scalar", node="IndexFillBackward0", arity=1)(
    _index_update("set"))
_index_fill_t = op("index_fill.int_Tensor", node="IndexFillBackward1", arity=2)(
    _index_update("set"))


def _index_checks(fn, input, d, index, source=None):
    size = input._v.shape[d] if input.dim() else 1
    if source is not None:
        n = index.numel()
        exp = input._v.shape[:d] + (n,) + input._v.shape[d + 1:]
        if fn == "index_copy" and source.dim() and source._v.shape[d] != n:
            raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to "
                             f"source.size(dim) ({source._v.shape[d]})")
        if source._v.shape != exp:
            raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the "
                               f"specified dimension. Got self.shape = {list(input._v.shape)} "
                               f"source.shape = {list(source._v.shape)}")
    bad = first_out_of_bounds([host(index)], [size], negative=fn == "index_fill")
    if bad is not None:
        exc = IndexError if fn in ("index_fill", "index_copy") else RuntimeError
        pre = "index_copy_(): " if fn == "index_copy" else ""
        raise exc(f"{pre}index {bad[0]} is out of bounds for dimension {d} with size {size}")


@function("index_add")
@method("index_add")
def index_add(input, dim, index, source, *, alpha=1):
    d = _wrap_dim(dim, input.dim())
    _index_checks("index_add", input, d, index, source)
    extra = () if alpha == 1 else (alpha,)
    return call(_index_add, (input, source, index, *extra), (("dim", d),))


@function("index_copy")
@method("index_copy")
def index_copy(input, dim, index, source):
    d = _wrap_dim(dim, input.dim())
    _index_checks("index_copy", input, d, index, source)
    return call(_index_copy, (input, source, index), (("dim", d),))


@function("index_fill")
@method("index_fill")
def index_fill(input, dim, index, value):
    d = _wrap_dim(dim, input.dim())
    _index_checks("index_fill", input, d, index)
    row = _index_fill_t if isinstance(value, Tensor) else _index_fill
    return call(row, (input, value, index), (("dim", d),))


inplace_method("index_add_", index_add)
inplace_method("index_copy_", index_copy)
inplace_method("index_fill_", index_fill)


@op("take", node="TakeBackward0", arity=1)
def _take(x, index):
    return x.reshape(-1)[index]


@function("take")
@method("take")
def take(input, index):
    if index._v.dtype is not _dtypes.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got "
                           f"{_dtypes.SCALAR_NAMES[index._v.dtype]}")
    n = input.numel()
    bad = first_out_of_bounds([host(index)], [n])
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad[0]} on a tensor of {n} "
                         f"elements.")
    return call(_take, (input, index))


# ---- masks -------------------------------------------------------------------------------------

@op("masked_fill.Scalar", node="MaskedFillBackward0", arity=1, broadcast=True)
def _masked_fill(x, value, mask):
    return jnp.where(mask, jnp.asarray(value).astype(x.dtype), x)


_masked_fill_t = op("masked_fill.Tensor", node="MaskedFillBackward1", arity=2, broadcast=True)(
    _masked_fill.impl)


@function("masked_fill")
@method("masked_fill")
def masked_fill(input, mask, value):
    if mask._v.dtype is not _dtypes.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_CPP_NAMES.get(mask._v.dtype, mask._v.dtype.name)}")
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.dim()} dimension(s).")
        row = _masked_fill_t
    else:
        row = _masked_fill
    broadcast_shapes(mask._v.shape, input._v.shape)
    return call(row, (input, value, mask))


inplace_method("masked_fill_", masked_fill)


def _mask_positions(mask, shape):
    """Flat positions where `mask`, broadcast to `shape`, is set (a concrete int64 tensor)."""
    m = np.broadcast_to(host(mask).reshape(mask._v.shape), shape)
    return from_array(jnp.asarray(np.flatnonzero(m).astype(np.int64)))


@op("masked_select", node="MaskedSelectBackward0", arity=1)
def _masked_select(x, pos, shape):
    return jnp.broadcast_to(x, shape).reshape(-1)[pos]


@function("masked_select")
@method("masked_select")
def masked_select(input, mask):
    if mask._v.dtype is not _dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(input._v.shape, mask._v.shape)
    return call(_masked_select, (input, _mask_positions(mask, shape)), (("shape", shape),))


@op("masked_scatter", node="MaskedScatterBackward0", arity=2)
def _masked_scatter(x, src, pos):
    flat = x.reshape(-1).at[pos].set(src.reshape(-1)[:pos.shape[0]].astype(x.dtype))
    return flat.reshape(x.shape)


@function("masked_scatter")
@method("masked_scatter")
def masked_scatter(input, mask, source):
    if mask._v.dtype is not _dtypes.bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{_CPP_NAMES.get(mask._v.dtype, mask._v.dtype.name)}")
    shape = broadcast_shapes(input._v.shape, mask._v.shape)
    if shape != input._v.shape:
        input = input.expand(shape)
    pos = _mask_positions(mask, shape)
    if pos.numel() > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return call(_masked_scatter, (input, source, pos))


inplace_method("masked_scatter_", masked_scatter)


# ---- flip / roll / tril / triu / repeat --------------------------------------------------------

def _dims(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


_flip = op("flip", node="FlipBackward0", saves=False)(lambda x, dims: jnp.flip(x, dims))


@function("flip")
@method("flip")
def flip(input, *dims):
    n = input.dim()
    ds = tuple(_wrap_dim(d, n) for d in _dims(dims))
    for d in ds:
        if ds.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return call(_flip, (input,), (("dims", ds),))


_roll = op("roll", node="RollBackward0", saves=False)(
    lambda x, shifts, dims: jnp.roll(x, shifts, dims))


@function("roll")
@method("roll")
def roll(input, shifts, dims=None):
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return call(_roll, (input,), (("shifts", shifts[0]), ("dims", None)))
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    dims = tuple(_wrap_dim(d, input.dim()) for d in dims)
    return call(_roll, (input,), (("shifts", shifts), ("dims", dims)))


_tril = op("tril", node="TrilBackward0", saves=False)(lambda x, k: jnp.tril(x, k))
_triu = op("triu", node="TriuBackward0", saves=False)(lambda x, k: jnp.triu(x, k))


def _triangle(name, row):
    def fn(input, diagonal=0):
        if input.dim() < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return call(row, (input,), (("k", int(diagonal)),))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    inplace_method(name + "_", fn)
    return fn


tril = _triangle("tril", _tril)
triu = _triangle("triu", _triu)


@op("repeat", node="RepeatBackward0", saves=False)
def _repeat(x, sizes):
    x = x.reshape((1,) * (len(sizes) - x.ndim) + x.shape)
    return jnp.tile(x, sizes)


@method("repeat")
def repeat(self, *sizes):
    sizes = tuple(int(s) for s in _dims(sizes))
    if len(sizes) < self.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    return call(_repeat, (self,), (("sizes", sizes),))


__all__ = ["gather", "scatter", "scatter_add", "index_select", "index_add", "index_copy",
           "index_fill", "take", "masked_fill", "masked_select", "masked_scatter", "flip", "roll",
           "tril", "triu", "repeat"]
