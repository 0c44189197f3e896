"""torch's Bernoulli/dropout, exponential family and multinomial draws."""

from __future__ import annotations

import math

import numpy as np

from . import _normal
from ._dtypes import (BF16, F16, F32, F64, as_shape, fmt, from_f64, is_float, numel,
                      resolve, torch_name)
from ._fp import c_exp, c_log, c_log1p, c_tan, fma64

_REDUCED = (F16, BF16)


def _require_float(dt, what: str):
    if not is_float(dt):
        raise RuntimeError(f"{what} distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{torch_name(dt, cpp=True)}")


# -- Bernoulli and dropout -------------------------------------------------------

def bernoulli(gen, p, shape=None, dtype=None) -> np.ndarray:
    """``bernoulli_(p)`` for a float p, ``torch.bernoulli(probs)`` for an array.

    A float ``p`` (``bernoulli_(p)``, ``torch.bernoulli(x, p)``) draws
    ``u53 < p``; an array of probabilities is broadcast to ``shape`` and
    draws ``u53 < p`` for float64 probabilities, else ``u24 < float(p)``.
    """
    if isinstance(p, np.ndarray):
        shape = p.shape if shape is None else as_shape(shape)
        dt = resolve(dtype) if dtype is not None else p.dtype
        if not is_float(p.dtype):
            raise RuntimeError(f"bernoulli_ expects a floating point p, got {p.dtype}")
        if p.size and not ((p >= 0) & (p <= 1)).all():
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
        pp = np.broadcast_to(p, shape).reshape(-1)
        n = pp.size
        if p.dtype == F64:
            hit = gen._u53(n) < pp
        else:
            hit = gen._u24(n) < pp.astype(F32)  # torch: float uniform vs float(p)
        return hit.astype(dt).reshape(shape)
    shape, dt = as_shape(shape), resolve(dtype if dtype is not None else "float32")
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={fmt(p)}")
    return (gen._u53(numel(shape)) < p).astype(dt).reshape(shape)


def dropout_mask(gen, shape, dtype, p) -> np.ndarray:
    """The scaled mask ``F.dropout``/``nn.Dropout`` multiply the input by (training).

    torch: ``noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p)``; the
    output is ``x * noise``.  For ``dropout2d``/``3d`` pass the noise shape
    ``(N, C, 1, ...)``.  No words are drawn when p is 0 or 1 or the shape is
    empty: then the mask is all ones (torch returns the input itself) or all
    zeros (torch returns ``x * 0``).
    """
    shape, dt = as_shape(shape), resolve(dtype)
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    n = numel(shape)
    if p == 0.0 or n == 0:
        return np.ones(shape, dt)
    if p == 1.0:
        return np.zeros(shape, dt)
    q = 1.0 - p
    keep = gen._u53(n) < q
    if dt in _REDUCED:
        scale = (np.float32(1.0) / np.float32(q)).astype(dt)  # torch: computed in float, rounded
    else:
        scale = dt.type(1.0) / dt.type(q)
    return np.where(keep, scale, dt.type(0)).astype(dt).reshape(shape)


# -- exponential family -----------------------------------------------------------

def _scale_log1p(u: np.ndarray, c: float, dt) -> np.ndarray:
    """``from_f64(c * log1p(-u))`` with the C library's log1p.

    For float64 outputs every element goes through the C library.  Narrower
    outputs use numpy's log1p (within an ulp or two of glibc) and redo only
    the lanes where a few ulps could change the rounded result.
    """
    if dt == F64:
        return c * c_log1p(-u)
    lg = np.log1p(-u)
    v = c * lg
    out = from_f64(v, dt)
    eps = np.abs(lg) * 2.0 ** -49  # >= 8 ulps of lg
    lo, hi = from_f64(c * (lg - eps), dt), from_f64(c * (lg + eps), dt)
    bad = np.flatnonzero(lo != hi)
    if bad.size:
        out[bad] = from_f64(c * c_log1p(-u[bad]), dt)
    return out


def exponential(gen, shape, dtype="float32", lambd=1.0) -> np.ndarray:
    """``Tensor.exponential_(lambd)``: ``-1/lambd * log1p(-u53)`` in double."""
    shape, dt = as_shape(shape), resolve(dtype)
    _require_float(dt, "Exponential")
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={fmt(lambd)}")
    u = gen._u53(numel(shape))
    return _scale_log1p(u, -1.0 / lambd, dt).reshape(shape)


def log_normal(gen, shape, dtype="float32", mean=1.0, std=2.0) -> np.ndarray:
    """``Tensor.log_normal_(mean, std)``: exp of scalar-path normals (shares the cache)."""
    shape, dt = as_shape(shape), resolve(dtype)
    if not is_float(dt):
        raise NotImplementedError(f'"log_normal_cpu" not implemented for {torch_name(dt)!r}')
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={fmt(std)}")
    z = _normal.scalar_path(gen, numel(shape), mean, std)
    return from_f64(c_exp(z), dt).reshape(shape)


def geometric(gen, shape, dtype="float32", p=0.5) -> np.ndarray:
    """``Tensor.geometric_(p)``: ``ceil(log(u53) / log1p(-p))``."""
    shape, dt = as_shape(shape), resolve(dtype)
    p = float(p)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={fmt(p)}")
    u = gen._u53(numel(shape))
    v = np.ceil(c_log(u) / math.log1p(-p))
    with np.errstate(invalid="ignore"):
        return from_f64(v, dt).reshape(shape)


def cauchy(gen, shape, dtype="float32", median=0.0, sigma=1.0) -> np.ndarray:
    """``Tensor.cauchy_(median, sigma)``: ``median + sigma * tan(pi * (u53 - 0.5))``."""
    shape, dt = as_shape(shape), resolve(dtype)
    _require_float(dt, "Cauchy")
    median, sigma = float(median), float(sigma)
    u = gen._u53(numel(shape))
    t = c_tan(math.pi * (u - 0.5))
    if sigma == 1.0:
        v = t + median
    else:
        v = fma64(sigma, t, median)  # torch: contracted to one fma
    return from_f64(v, dt).reshape(shape)


# -- multinomial ------------------------------------------------------------------

def multinomial(gen, probs, num_samples, replacement=False) -> np.ndarray:
    """``torch.multinomial(probs, num_samples, replacement)`` (int64 indices)."""
    probs = np.asarray(probs)
    dt = probs.dtype
    if not is_float(dt):
        raise RuntimeError("multinomial only supports floating-point dtypes for input, "
                           f"got: {torch_name(dt)}")
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    k = int(num_samples)
    if k <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    ncat = probs.shape[-1]
    if not replacement and k > ncat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if ncat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = probs.reshape(-1, ncat)
    p32 = rows.astype(F64)
    if not (np.isfinite(p32).all() and (p32 >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if rows.shape[0] and not (p32.sum(axis=1) > 0).all():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    out_shape = (k,) if probs.ndim == 1 else (probs.shape[0], k)
    if not replacement or k == 1:
        # torch: argmax / topk of probs / q with q ~ Exp(1) in probs' dtype
        q = exponential(gen, rows.shape, dt, 1.0)
        if dt in _REDUCED:
            r = (rows.astype(F32) / q.astype(F32)).astype(dt).astype(F32)
        else:
            r = rows / q
        if k == 1:
            res = np.argmax(r, axis=1)[:, None]
        else:
            # descending; exactly equal ratios keep index order (torch leaves
            # their order unspecified)
            res = np.argsort(-r, axis=1, kind="stable")[:, :k]
        return res.astype(np.int64).reshape(out_shape)
    acc = F32 if dt in _REDUCED else dt  # torch: float sums for half/bfloat16
    cum = np.cumsum(rows.astype(acc), axis=1, dtype=acc)  # sequential, like torch
    cum /= cum[:, -1:]
    cum[:, -1] = 1  # torch: the last bucket is exactly 1
    u = gen._u53(rows.shape[0] * k).reshape(rows.shape[0], k)
    res = np.empty((rows.shape[0], k), np.int64)
    for i in range(rows.shape[0]):
        res[i] = np.searchsorted(cum[i].astype(F64), u[i], side="left")
    return res.reshape(out_shape)
