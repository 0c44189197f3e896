"""Reductions: one row per torch overload (sum vs sum.dim_IntList, max vs max.dim, ...).

Dims are normalized at the call site (torch's IndexError text) and passed as static params.
"""

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call
from .._tensor import Tensor, _wrap_dim
from .return_types import return_type
from ._registry import op
from ._surface import function, method


def dims_of(dim, ndim):
    """Normalize `dim` (int, sequence or None) to a sorted tuple, with torch's range error."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        return tuple(sorted(_wrap_dim(d, ndim) for d in dim)) if dim else None
    return (_wrap_dim(dim, ndim),)


def _axis(dims):
    return None if dims is None else dims


def _sum_impl(x, dims=None, keepdim=False, dtype=None):
    if dtype is None and (jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_):
        dtype = _dtypes.int64  # torch: integral sums accumulate in int64
    return jnp.sum(x, axis=_axis(dims), keepdims=keepdim,
                   dtype=dtype.np if dtype is not None else None)


_sum0 = op("sum", node="SumBackward0", saves=False)(_sum_impl)
_sum1 = op("sum.dim", node="SumBackward1", saves=False)(_sum_impl)


@function("sum")
@method("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None):
    dims = dims_of(dim, input.dim())
    params = (("dims", dims), ("keepdim", keepdim), ("dtype", dtype))
    return call(_sum0 if dim is None else _sum1, (input,), params)


def _mean_impl(x, dims=None, keepdim=False, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    return jnp.mean(x, axis=_axis(dims), keepdims=keepdim).astype(x.dtype)


_mean0 = op("mean", node="MeanBackward0", saves=False)(_mean_impl)
_mean1 = op("mean.dim", node="MeanBackward1", saves=False)(_mean_impl)


@function("mean")
@method("mean")
def mean(input, dim=None, keepdim=False, *, dtype=None):
    dt = dtype or input.dtype
    if dt._kind < 2:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: " + _dtypes.SCALAR_NAMES[dt])
    dims = dims_of(dim, input.dim())
    params = (("dims", dims), ("keepdim", keepdim), ("dtype", dtype))
    return call(_mean0 if dim is None else _mean1, (input,), params)


def _extreme(name, jfn, argfn, node_all, node_dim):
    all_row = op(name, node=node_all)(lambda x: jfn(x))
    def by_index(x, dim, keepdim):
        # torch: max(dim) sends the whole gradient to the chosen index, even on ties
        idx = argfn(x, axis=dim, keepdims=True)
        vals = jnp.take_along_axis(x, idx, axis=dim)
        if not keepdim:
            vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
        return vals, idx.astype(jnp.int64)

    dim_row = op(name + ".dim", node=node_dim, nout=2, out_diff=(True, False))(by_index)
    binary = {"max": "maximum", "min": "minimum"}[name]

    def fn(input, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            from . import pointwise
            return getattr(pointwise, binary)(input, dim)
        if dim is None:
            if input.numel() == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                   "input.numel() == 0. Specify the reduction dim with the 'dim' "
                                   "argument.")
            return call(all_row, (input,))
        d = _wrap_dim(dim, input.dim())
        vals, idx = call(dim_row, (input,), (("dim", d), ("keepdim", keepdim)))
        return return_type(name, (vals, idx))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


max = _extreme("max", jnp.max, jnp.argmax, "MaxBackward1", "MaxBackward0")
min = _extreme("min", jnp.min, jnp.argmin, "MinBackward1", "MinBackward0")


def _simple(name, impl, node, promote_int=False):
    row = op(name, node=node)(impl)

    def fn(input, dim=None, keepdim=False):
        return call(row, (input,), (("dims", dims_of(dim, input.dim())), ("keepdim", keepdim)))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


amax = _simple("amax", lambda x, dims, keepdim: jnp.max(x, axis=dims, keepdims=keepdim),
               "AmaxBackward0")
amin = _simple("amin", lambda x, dims, keepdim: jnp.min(x, axis=dims, keepdims=keepdim),
               "AminBackward0")
all = _simple("all", lambda x, dims, keepdim: jnp.all(x, axis=dims, keepdims=keepdim), None)
any = _simple("any", lambda x, dims, keepdim: jnp.any(x, axis=dims, keepdims=keepdim), None)
logsumexp = _simple("logsumexp", lambda x, dims, keepdim: _lse(x, dims, keepdim),
                    "LogsumexpBackward0")


def _lse(x, dims, keepdim):
    import jax.scipy.special as sp
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(_dtypes.get_default_dtype().np)
    return sp.logsumexp(x, axis=dims, keepdims=keepdim)


def _arg(name, jfn):
    row = op(name)(lambda x, dim, keepdim: jfn(x, axis=dim, keepdims=keepdim).astype(jnp.int64))

    def fn(input, dim=None, keepdim=False):
        d = None if dim is None else _wrap_dim(dim, input.dim())
        if d is None:
            keepdim = False
        return call(row, (input,), (("dim", d), ("keepdim", keepdim)))
    function(name)(fn)
    method(name)(fn)
    return fn


argmax = _arg("argmax", jnp.argmax)
argmin = _arg("argmin", jnp.argmin)


@op("prod", node="ProdBackward0")
def _prod(x, dims=None, keepdim=False):
    if jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_:
        return jnp.prod(x, axis=dims, keepdims=keepdim, dtype=jnp.int64)
    return jnp.prod(x, axis=dims, keepdims=keepdim)


@function("prod")
@method("prod")
def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        from .pointwise import cast
        input = cast(input, dtype)
    return call(_prod, (input,), (("dims", dims_of(dim, input.dim())), ("keepdim", keepdim)))


def _moments(name, node, root):
    @op(name, node=node)
    def impl(x, dims, correction, keepdim):
        v = jnp.var(x, axis=dims, ddof=correction, keepdims=keepdim)
        return jnp.sqrt(v) if root else v

    def fn(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
        if isinstance(dim, bool):
            unbiased, dim = dim, None
        if correction is None:
            correction = 0 if unbiased is False else 1
        return call(impl, (input,), (("dims", dims_of(dim, input.dim())),
                                     ("correction", correction), ("keepdim", keepdim)))
    function(name)(fn)
    method(name)(fn)
    return fn


var = _moments("var", "VarBackward0", False)
std = _moments("std", "StdBackward0", True)


def _cum(name, jfn, node):
    row = op(name, node=node)(lambda x, dim: jfn(x, axis=dim))

    def fn(input, dim, *, dtype=None):
        if dtype is not None:
            from .pointwise import cast
            input = cast(input, dtype)
        elif input.dtype._kind < 2:
            from .pointwise import cast
            input = cast(input, _dtypes.int64)
        return call(row, (input,), (("dim", _wrap_dim(dim, input.dim())),))
    function(name)(fn)
    method(name)(fn)
    return fn


cumsum = _cum("cumsum", jnp.cumsum, "CumsumBackward0")
cumprod = _cum("cumprod", jnp.cumprod, "CumprodBackward0")


@op("linalg_vector_norm", node="LinalgVectorNormBackward0")
def _vector_norm(x, ord=2, dims=None, keepdim=False):
    if ord == 2:
        sq = jnp.sum(x * x, axis=dims, keepdims=keepdim)
        # torch: the gradient of the 2-norm at 0 is 0, not nan
        safe = jnp.where(sq > 0, sq, 1)
        return jnp.where(sq > 0, jnp.sqrt(safe), 0)
    if ord == float("inf"):
        return jnp.max(jnp.abs(x), axis=dims, keepdims=keepdim)
    if ord == 0:
        return jnp.sum(x != 0, axis=dims, keepdims=keepdim).astype(x.dtype)
    a = x * jnp.sign(x)
    if ord == 1:
        return jnp.sum(a, axis=dims, keepdims=keepdim)
    return jnp.sum(a ** ord, axis=dims, keepdims=keepdim) ** (1.0 / ord)


@function("norm")
@method("norm")
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    ord = 2 if p in ("fro", None) else p
    if input.dtype._kind < 2:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_dtypes.SCALAR_NAMES[input.dtype]}")
    return call(_vector_norm, (input,), (("ord", float(ord)), ("dims", dims_of(dim, input.dim())),
                                         ("keepdim", keepdim)))
