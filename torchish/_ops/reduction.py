"""Reductions: one row per torch overload (sum vs sum.dim_IntList, max vs max.dim, ...).

Dims are normalized at the call site (torch's IndexError text) and passed as static params.
Sorting, order statistics and the max/min scans live in `sorting.py`, imported at the end.
"""

import builtins

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call
from .._tensor import Size, Tensor, _wrap_dim
from .return_types import return_type
from ._registry import op
from ._surface import function, method

_UNSET = object()  # torch picks another overload (and grad_fn) when `dim` is passed at all


def dims_of(dim, ndim):
    """Normalize `dim` (int, sequence or None) to a sorted tuple, None meaning every dim.
    torch's range and repetition errors; a 0-d tensor accepts dim 0 / -1 and reduces nothing."""
    if dim is None or dim is _UNSET:
        return None
    if isinstance(dim, (list, tuple, Size)):
        if not dim:
            return None
        ds = [_wrap_dim(d, ndim) for d in dim]
        for d in ds:
            if ds.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        return () if ndim == 0 else tuple(sorted(ds))
    d = _wrap_dim(dim, ndim)
    return () if ndim == 0 else (d,)


def _is_int(x):
    return jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_


def _cast(t, dtype):
    from .pointwise import cast
    return cast(t, dtype)


def _sum_impl(x, dims=None, keepdim=False, dtype=None):
    if dtype is None and _is_int(x):
        dtype = _dtypes.int64  # torch: integral sums accumulate in int64
    return jnp.sum(x, axis=dims, keepdims=keepdim, dtype=dtype.np if dtype is not None else None)


_sum0 = op("sum", node="SumBackward0", saves=False, linear=True)(_sum_impl)
_sum1 = op("sum.dim", node="SumBackward1", saves=False, linear=True)(_sum_impl)


_SUM_ALL = (("dims", None), ("keepdim", False), ("dtype", None))  # x.sum(): shared, not rebuilt


@function("sum")
@method("sum")
def sum(input, dim=_UNSET, keepdim=False, *, dtype=None):
    if dim is _UNSET and dtype is None and keepdim is False:
        return call(_sum0, (input,), _SUM_ALL)
    dims = dims_of(dim, input.dim())
    params = (("dims", dims), ("keepdim", keepdim), ("dtype", dtype))
    return call(_sum0 if dim is _UNSET else _sum1, (input,), params)


@op("nansum", node="NansumBackward0", saves=False)
def _nansum(x, dims, keepdim):
    if _is_int(x):
        return jnp.sum(x, axis=dims, keepdims=keepdim, dtype=jnp.int64)
    return jnp.sum(jnp.where(jnp.isnan(x), 0, x), axis=dims, keepdims=keepdim)


@function("nansum")
@method("nansum")
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = _cast(input, dtype)
    return call(_nansum, (input,), (("dims", dims_of(dim, input.dim())), ("keepdim", keepdim)))


def _mean_impl(x, dims=None, keepdim=False, dtype=None):
    if dtype is not None:
        x = x.astype(dtype.np)
    return jnp.mean(x, axis=dims, keepdims=keepdim).astype(x.dtype)


_mean0 = op("mean", node="MeanBackward0", saves=False, linear=True)(_mean_impl)
_mean1 = op("mean.dim", node="MeanBackward1", saves=False, linear=True)(_mean_impl)


def _float_only(what, dt):
    if dt._kind < 2:
        raise RuntimeError(f"{what}(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {_dtypes.SCALAR_NAMES[dt]}")


@function("mean")
@method("mean")
def mean(input, dim=_UNSET, keepdim=False, *, dtype=None):
    _float_only("mean", dtype or input.dtype)
    dims = dims_of(dim, input.dim())
    params = (("dims", dims), ("keepdim", keepdim), ("dtype", dtype))
    return call(_mean0 if dim is _UNSET else _mean1, (input,), params)


@function("nanmean")
@method("nanmean")
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    # torch: nansum(...) / (~isnan).sum(...), recorded as such
    _float_only("nanmean", dtype or input.dtype)
    count = sum(input.isnan().logical_not(), dim if dim is not None else (), keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def _binary():
    from . import binary  # imported late: binary imports pointwise, which comes after us
    return binary


@function("count_nonzero")
@method("count_nonzero")
def count_nonzero(input, dim=None):
    return call(_count_nonzero, (input,), (("dims", dims_of(dim, input.dim())),))


_count_nonzero = op("count_nonzero")(
    lambda x, dims: jnp.sum(x != 0, axis=dims, dtype=jnp.int64))


# ---- max / min ---------------------------------------------------------------------------------

def _empty_all(name, input):
    if input.numel() == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")


def _empty_dim(name, input, d, error=IndexError):
    if input.dim() and input.shape[d] == 0:
        raise error(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _extreme(name, jfn, argfn, node_all, node_dim):
    all_row = op(name, node=node_all)(lambda x: jfn(x))

    def by_index(x, dim, keepdim):
        # torch: max(dim) sends the whole gradient to the chosen index, even on ties
        if x.ndim == 0:
            return x, jnp.zeros((), jnp.int64)
        idx = argfn(x, axis=dim, keepdims=True)
        vals = jnp.take_along_axis(x, idx, axis=dim)
        if not keepdim:
            vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
        return vals, idx.astype(jnp.int64)

    dim_row = op(name + ".dim", node=node_dim, nout=2, out_diff=(True, False))(by_index)
    binary = {"max": "maximum", "min": "minimum"}[name]

    def fn(input, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return getattr(_binary(), binary)(input, dim)
        if dim is None:
            _empty_all(name, input)
            _kernel_error(input, f"{name}_all", 3)
            return call(all_row, (input,))
        _no_complex(input, f"{name}(): does not support complex input")
        d = _wrap_dim(dim, input.dim())
        _empty_dim(name, input, d)
        vals, idx = call(dim_row, (input,), (("dim", d), ("keepdim", keepdim)))
        return return_type(name, (vals, idx))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


max = _extreme("max", jnp.max, jnp.argmax, "MaxBackward1", "MaxBackward0")
min = _extreme("min", jnp.min, jnp.argmin, "MinBackward1", "MinBackward0")


def _kernel_error(t, kernel, *kinds):
    from .pointwise import kernel_error
    kernel_error(t, kernel, *kinds)


def _no_complex(t, message, error=RuntimeError):
    if t._v.dtype._kind == 3:
        raise error(message)


def _simple(name, impl, node, empty_check=False, kernel=None):
    row = op(name, node=node)(impl)

    def fn(input, dim=None, keepdim=False):
        if kernel:
            _kernel_error(input, kernel, 3)
        dims = dims_of(dim, input.dim())
        if empty_check:
            if dims is None:
                _empty_all(name, input)
            for d in dims or ():
                _empty_dim(name, input, d, RuntimeError)
        return call(row, (input,), (("dims", dims), ("keepdim", keepdim)))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


def _all_any(jfn):
    def impl(x, dims, keepdim):
        r = jfn(x, axis=dims, keepdims=keepdim)
        return r.astype(jnp.uint8) if x.dtype == jnp.uint8 else r  # torch: uint8 stays uint8
    return impl


def _lse(x, dims, keepdim):
    import jax.scipy.special as sp
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(_dtypes.get_default_dtype().np)
    return sp.logsumexp(x, axis=dims, keepdims=keepdim)


amax = _simple("amax", lambda x, dims, keepdim: jnp.max(x, axis=dims, keepdims=keepdim),
               "AmaxBackward0", empty_check=True, kernel="max_values_cpu")
amin = _simple("amin", lambda x, dims, keepdim: jnp.min(x, axis=dims, keepdims=keepdim),
               "AminBackward0", empty_check=True, kernel="min_values_cpu")
all = _simple("all", _all_any(jnp.all), None)
any = _simple("any", _all_any(jnp.any), None)
logsumexp = _simple("logsumexp", _lse, "LogsumexpBackward0")


@op("aminmax", node="AminmaxBackward0", nout=2)
def _aminmax(x, dims, keepdim):
    return jnp.min(x, axis=dims, keepdims=keepdim), jnp.max(x, axis=dims, keepdims=keepdim)


@function("aminmax")
@method("aminmax")
def aminmax(input, *, dim=None, keepdim=False):
    if dim is None:
        _empty_all("aminmax", input)
    dims = None if dim is None else dims_of(dim, input.dim())
    return return_type("aminmax", call(_aminmax, (input,), (("dims", dims), ("keepdim", keepdim))))


def _arg(name, jfn):
    row = op(name)(lambda x, dim, keepdim: jfn(x, axis=dim, keepdims=keepdim).astype(jnp.int64))

    def fn(input, dim=None, keepdim=False):
        _no_complex(input, f"{name}(): does not support complex input")
        if input.dtype is _dtypes.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        d = None if dim is None else _wrap_dim(dim, input.dim())
        if d is None:
            _empty_all(name, input)
        elif input.dim() == 0:
            d = None
        return call(row, (input,), (("dim", d), ("keepdim", keepdim)))
    function(name)(fn)
    method(name)(fn)
    return fn


argmax = _arg("argmax", jnp.argmax)
argmin = _arg("argmin", jnp.argmin)


def _prod_impl(x, dims=None, keepdim=False):
    if _is_int(x):
        return jnp.prod(x, axis=dims, keepdims=keepdim, dtype=jnp.int64)
    return jnp.prod(x, axis=dims, keepdims=keepdim)


_prod0 = op("prod", node="ProdBackward0")(_prod_impl)
_prod1 = op("prod.dim_int", node="ProdBackward1")(_prod_impl)


@function("prod")
@method("prod")
def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = _cast(input, dtype)
    if dim is None:
        return call(_prod0, (input,), (("dims", None), ("keepdim", False)))
    return call(_prod1, (input,), (("dims", dims_of(dim, input.dim())), ("keepdim", keepdim)))


# ---- moments -----------------------------------------------------------------------------------

def _var_impl(x, dims, correction, keepdim):
    return jnp.var(x, axis=dims, ddof=correction, keepdims=keepdim)


def _std_impl(x, dims, correction, keepdim):
    return jnp.sqrt(_var_impl(x, dims, correction, keepdim))


def _moment_params(input, dim, unbiased, keepdim, correction):
    if input.dtype._kind < 2:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    if correction is None:
        correction = 0 if unbiased is False else 1
    return (("dims", dims_of(dim, input.dim())), ("correction", correction),
            ("keepdim", keepdim))


def _moments(name, node, impl, nout=1):
    row = op(name, node=node, nout=nout)(impl)

    def fn(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return call(row, (input,), _moment_params(input, dim, unbiased, keepdim, correction))
    function(name)(fn)
    method(name)(fn)
    return fn


var = _moments("var", "VarBackward0", _var_impl)
std = _moments("std", "StdBackward0", _std_impl)
var_mean = _moments("var_mean", "VarMeanBackward0", lambda x, dims, correction, keepdim: (
    _var_impl(x, dims, correction, keepdim), jnp.mean(x, axis=dims, keepdims=keepdim)), 2)
std_mean = _moments("std_mean", "StdMeanBackward0", lambda x, dims, correction, keepdim: (
    _std_impl(x, dims, correction, keepdim), jnp.mean(x, axis=dims, keepdims=keepdim)), 2)


# ---- scans -------------------------------------------------------------------------------------

def _cum(name, jfn, node):
    row = op(name, node=node)(lambda x, dim: x if x.ndim == 0 else jfn(x, axis=dim))

    def fn(input, dim, *, dtype=None):
        if dtype is not None:
            input = _cast(input, dtype)
        elif input.dtype._kind < 2:
            input = _cast(input, _dtypes.int64)
        return call(row, (input,), (("dim", _wrap_dim(dim, input.dim())),))
    function(name)(fn)
    method(name)(fn)
    return fn


cumsum = _cum("cumsum", jnp.cumsum, "CumsumBackward0")
cumprod = _cum("cumprod", jnp.cumprod, "CumprodBackward0")


# ---- norms -------------------------------------------------------------------------------------

@op("linalg_vector_norm", node="LinalgVectorNormBackward0")
def _vector_norm(x, ord=2, dims=None, keepdim=False):
    return _norm_impl(x, ord, dims, keepdim)


def _norm_impl(x, ord, dims, keepdim):
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        x = jnp.abs(x)  # torch: the norm of a complex tensor is real
    if ord == float("inf"):
        return jnp.max(jnp.abs(x), axis=dims, keepdims=keepdim)
    if ord == float("-inf"):
        return jnp.min(jnp.abs(x), axis=dims, keepdims=keepdim)
    if ord == 0:
        return jnp.sum(x != 0, axis=dims, keepdims=keepdim).astype(x.dtype)
    a = x * jnp.sign(x)  # torch: |x| with gradient 0 at 0
    if ord == 1:
        return jnp.sum(a, axis=dims, keepdims=keepdim)
    s = jnp.sum(a ** ord, axis=dims, keepdims=keepdim)
    # torch: the gradient of a p-norm at the zero vector is 0, not nan (and nan stays nan)
    safe = jnp.where(s == 0, 1, s)
    return jnp.where(s == 0, 0, safe ** (1.0 / ord))


@function("norm")
@method("norm")
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    ord = 2 if p in ("fro", None) else p
    if input.dtype._kind < 2:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_dtypes.SCALAR_NAMES[input.dtype]}")
    return call(_vector_norm, (input,), (("ord", float(ord)), ("dims", dims_of(dim, input.dim())),
                                         ("keepdim", keepdim)))


@op("dist", node="DistBackward0", promote="default", broadcast=True)
def _dist(x, y, p):
    return _norm_impl(x - y, p, None, False)


@function("dist")
@method("dist")
def dist(input, other, p=2):
    return call(_dist, (input, other), (("p", float(p)),))


# ---- sum_to_size -------------------------------------------------------------------------------

@method("sum_to_size")
def sum_to_size(self, *size):
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    shape = self._v.shape
    lead = len(shape) - len(size)
    ok = lead >= 0 and builtins.all(s == t or s == 1 for s, t in zip(size, shape[lead:]))
    if not ok:
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    dims = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(size) if s == 1 and shape[i + lead] != 1)
    out = sum(self, dims, keepdim=True) if dims else self
    if lead:
        from .shape import view
        out = view(out, size)
    return out


from . import sorting  # noqa: E402,F401 - sort/topk/median/mode/cummax/...
