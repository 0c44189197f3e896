"""Sorting and order statistics: sort/argsort/topk/kthvalue/median/nanmedian/mode and the
cummax/cummin/logcumsumexp scans, with torch's return_types and grad_fn names.

Values are gathered at the chosen indices, so the gradient goes to exactly those elements, as
torch's backward does. Orders are stable, with NaN sorting as the largest value (torch's rule).
Where torch's CPU kernels leave the order of ties unspecified (topk, mode), ties keep input order.
"""

import jax
import jax.numpy as jnp

from .._dispatch import call
from .._tensor import _wrap_dim
from .return_types import return_type
from ._registry import op
from ._surface import function, method


def _order(x, dim, descending):
    """Stable argsort along `dim`; NaN is the largest value."""
    nan = jnp.isnan(x) if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.zeros(x.shape, bool)
    key = x.astype(jnp.int16) if x.dtype in (jnp.bool_, jnp.uint8) else x
    if descending:
        k0, k1 = (~nan).astype(jnp.int8), -key
    else:
        k0, k1 = nan.astype(jnp.int8), key
    iota = jax.lax.broadcasted_iota(jnp.int64, x.shape, dim)
    return jax.lax.sort((k0, k1, iota), dimension=dim, num_keys=2, is_stable=True)[2]


def _gather(x, idx, dim):
    return jnp.take_along_axis(x, idx, axis=dim), idx


def _scalar_pair(x):
    return x, jnp.zeros((), jnp.int64)


@op("sort", node="SortBackward0", nout=2, out_diff=(True, False))
def _sort(x, dim, descending):
    if x.ndim == 0:
        return _scalar_pair(x)
    return _gather(x, _order(x, dim, descending), dim)


@function("sort")
@method("sort")
def sort(input, dim=-1, descending=False, *, stable=False):
    if input.dtype.is_complex:
        raise RuntimeError(" Sort does not support complex dtypes on CPU")
    d = _wrap_dim(dim, input.dim())
    return return_type("sort", call(_sort, (input,), (("dim", d), ("descending", descending))))


@function("msort")
@method("msort")
def msort(input):
    return sort(input, 0).values


def _searchsorted_impl(seq, values, right, out_int32):
    side = "right" if right else "left"
    if seq.ndim <= 1:
        out = jnp.searchsorted(seq, values, side=side)
    else:  # one sorted row per leading index
        flat_s = seq.reshape(-1, seq.shape[-1])
        flat_v = values.reshape(-1, values.shape[-1])
        out = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))(flat_s, flat_v)
        out = out.reshape(values.shape)
    return out.astype(jnp.int32 if out_int32 else jnp.int64)


_searchsorted = op("searchsorted", promote="default")(_searchsorted_impl)


@function("searchsorted")
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    if sorter is not None:
        sorted_sequence = sorted_sequence.gather(-1, sorter)
    if side is not None:
        right = side == "right"
    if sorted_sequence.dim() > 1 and sorted_sequence.shape[:-1] != getattr(input, "shape",
                                                                             ())[:-1]:
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           f"first N-1 dimensions of boundaries tensor and input value tensor "
                           f"must match, but we got boundaries tensor {list(sorted_sequence.shape)}"
                           f" and input value tensor {list(input.shape)}")
    return call(_searchsorted, (sorted_sequence, input), (("right", right),
                                                          ("out_int32", out_int32)))


@function("bucketize")
@method("bucketize")
def bucketize(input, boundaries, *, out_int32=False, right=False):
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    return call(_searchsorted, (boundaries, input), (("right", right), ("out_int32", out_int32)))


@op("argsort")
def _argsort(x, dim, descending):
    return jnp.zeros((), jnp.int64) if x.ndim == 0 else _order(x, dim, descending)


@function("argsort")
@method("argsort")
def argsort(input, dim=-1, descending=False, *, stable=False):
    d = _wrap_dim(dim, input.dim())
    return call(_argsort, (input,), (("dim", d), ("descending", descending)))


@op("topk", node="TopkBackward0", nout=2, out_diff=(True, False))
def _topk(x, k, dim, largest):
    if x.ndim == 0:
        return _scalar_pair(x)
    idx = jax.lax.slice_in_dim(_order(x, dim, largest), 0, k, axis=dim)
    return _gather(x, idx, dim)


@function("topk")
@method("topk")
def topk(input, k, dim=-1, largest=True, sorted=True):
    d = _wrap_dim(dim, input.dim())
    n = input.shape[d] if input.dim() else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    return return_type("topk", call(_topk, (input,), (("k", k), ("dim", d), ("largest", largest))))


def _at_position(x, pos, dim, keepdim):
    """(values, indices) of the elements at sorted position `pos` (an array or int) along dim."""
    order = _order(x, dim, False)
    pos = jnp.broadcast_to(jnp.asarray(pos, jnp.int64), order.shape[:dim] + (1,)
                           + order.shape[dim + 1:])
    idx = jnp.take_along_axis(order, pos, axis=dim)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx


@op("kthvalue", node="KthvalueBackward0", nout=2, out_diff=(True, False))
def _kthvalue(x, k, dim, keepdim):
    if x.ndim == 0:
        return _scalar_pair(x)
    return _at_position(x, k - 1, dim, keepdim)


@function("kthvalue")
@method("kthvalue")
def kthvalue(input, k, dim=-1, keepdim=False):
    d = _wrap_dim(dim, input.dim())
    n = input.shape[d] if input.dim() else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return return_type("kthvalue", call(_kthvalue, (input,), (("k", k), ("dim", d),
                                                              ("keepdim", keepdim))))


def _median_all(x, ignore_nan):
    flat = x.reshape(-1)
    nan = jnp.isnan(flat) if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.zeros(flat.shape, bool)
    n = jnp.sum(~nan) if ignore_nan else flat.size
    v = jnp.sort(flat)[jnp.maximum((n - 1) // 2, 0)]
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return v
    if not ignore_nan:
        v = jnp.where(nan.any(), jnp.asarray(jnp.nan, x.dtype), v)
    v = jax.lax.stop_gradient(v)
    # torch: median() of all elements spreads the gradient evenly over the elements equal to it
    hit = flat == v
    count = jnp.maximum(jnp.sum(hit), 1).astype(x.dtype)
    return v + jnp.sum(jnp.where(hit, flat - v, 0)) / count


def _median_dim(x, dim, keepdim, ignore_nan):
    if x.ndim == 0:
        return _scalar_pair(x)
    nan = jnp.isnan(x) if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.zeros(x.shape, bool)
    n = jnp.sum(~nan, axis=dim, keepdims=True) if ignore_nan else x.shape[dim]
    vals, idx = _at_position(x, jnp.maximum((n - 1) // 2, 0), dim, True)
    if not ignore_nan:  # torch: a NaN in the slice is its median
        first_nan = jnp.argmax(nan, axis=dim, keepdims=True).astype(jnp.int64)
        idx = jnp.where(nan.any(axis=dim, keepdims=True), first_nan, idx)
        vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx


_median0 = op("median", node="MedianBackward0")(lambda x: _median_all(x, False))
_median1 = op("median.dim", node="MedianBackward1", nout=2, out_diff=(True, False))(
    lambda x, dim, keepdim: _median_dim(x, dim, keepdim, False))
_nanmedian0 = op("nanmedian", node="NanmedianBackward0")(lambda x: _median_all(x, True))
_nanmedian1 = op("nanmedian.dim", node="NanmedianBackward1", nout=2, out_diff=(True, False))(
    lambda x, dim, keepdim: _median_dim(x, dim, keepdim, True))


def _median_fn(name, all_row, dim_row):
    def fn(input, dim=None, keepdim=False):
        if dim is None:
            return call(all_row, (input,))
        d = _wrap_dim(dim, input.dim())
        return return_type(name, call(dim_row, (input,), (("dim", d), ("keepdim", keepdim))))
    function(name)(fn)
    method(name)(fn)
    return fn


median = _median_fn("median", _median0, _median1)
nanmedian = _median_fn("nanmedian", _nanmedian0, _nanmedian1)


@op("mode", node="ModeBackward0", nout=2, out_diff=(True, False))
def _mode(x, dim, keepdim):
    if x.ndim == 0:
        return _scalar_pair(x)
    m = jnp.moveaxis(x, dim, -1)
    counts = jnp.sum(m[..., :, None] == m[..., None, :], axis=-1)
    best = counts == counts.max(-1, keepdims=True)
    big = jnp.asarray(jnp.inf if jnp.issubdtype(x.dtype, jnp.inexact) else jnp.iinfo(x.dtype).max,
                      x.dtype)
    v = jnp.min(jnp.where(best, m, big), axis=-1, keepdims=True)  # the smallest most frequent
    pos = jnp.arange(m.shape[-1])
    idx = jnp.max(jnp.where(m == v, pos, -1), axis=-1, keepdims=True).astype(jnp.int64)
    idx = jnp.moveaxis(idx, -1, dim)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx


@function("mode")
@method("mode")
def mode(input, dim=-1, keepdim=False):
    d = _wrap_dim(dim, input.dim())
    return return_type("mode", call(_mode, (input,), (("dim", d), ("keepdim", keepdim))))


def _cum_extreme(take_later):
    def impl(x, dim):
        if x.ndim == 0:
            return _scalar_pair(x)
        nan = jnp.isnan if jnp.issubdtype(x.dtype, jnp.inexact) else (
            lambda a: jnp.zeros(a.shape, bool))

        def combine(a, b):
            # torch: a NaN takes over; on ties the later index wins
            take = nan(b[0]) | (~nan(a[0]) & take_later(b[0], a[0]))
            return jnp.where(take, b[0], a[0]), jnp.where(take, b[1], a[1])
        iota = jax.lax.broadcasted_iota(jnp.int64, x.shape, dim)
        _, idx = jax.lax.associative_scan(combine, (x, iota), axis=dim)
        return _gather(x, idx, dim)
    return impl


def _cum_fn(name, node, take_later):
    row = op(name, node=node, nout=2, out_diff=(True, False))(_cum_extreme(take_later))

    def fn(input, dim):
        from .pointwise import kernel_error
        kernel_error(input, f"{name}_cpu", 3)
        d = _wrap_dim(dim, input.dim())
        return return_type(name, call(row, (input,), (("dim", d),)))
    function(name)(fn)
    method(name)(fn)
    return fn


cummax = _cum_fn("cummax", "CummaxBackward0", jnp.greater_equal)
cummin = _cum_fn("cummin", "CumminBackward0", jnp.less_equal)


@op("logcumsumexp", node="LogcumsumexpBackward0")
def _logcumsumexp(x, dim):
    return x if x.ndim == 0 else jax.lax.cumlogsumexp(x, axis=dim)


@function("logcumsumexp")
@method("logcumsumexp")
def logcumsumexp(input, dim):
    return call(_logcumsumexp, (input,), (("dim", _wrap_dim(dim, input.dim())),))
