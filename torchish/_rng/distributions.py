"""torch's CPU random draws, bit for bit, as numpy arrays.

Every function takes a :class:`Generator` first and returns values in torch's
fill order reshaped to ``shape``: row-major for contiguous outputs.  For a
non-contiguous destination torch fills in increasing storage offset, so the
caller places the flat values in that order (and for ``normal`` passes
``contiguous=False``, which selects torch's scalar path).
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _normal
from ._dtypes import (F32, F64, digits, finfo, from_f64, from_i64, is_float, name, resolve,
                      torch_name)
from ._dtypes import as_shape as _shape, fmt as _fmt, numel as _numel
from ._fp import fma32, fma64
from ._perm import LARGE_N, forward_shuffle, inside_out_shuffle
from .generator import Generator

__all__ = ["uniform", "normal", "randint", "randperm", "random_"]


# -- uniform -------------------------------------------------------------------

def uniform(gen: Generator, shape, dtype="float32", low=0.0, high=1.0) -> np.ndarray:
    """``torch.rand`` / ``Tensor.uniform_(low, high)``."""
    shape, dt = _shape(shape), resolve(dtype)
    if not is_float(dt):
        raise RuntimeError(f'"uniform_kernel_cpu" not implemented for {torch_name(dt)!r}')
    low, high = float(low), float(high)
    if not low <= high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={_fmt(low)} > to={_fmt(high)}")
    info = finfo(dt)
    for name, v in (("from", low), ("to", high)):
        if not float(info.min) <= v <= float(info.max):
            raise RuntimeError(f"{name} is out of bounds for {torch_name(dt, cpp=True)}")
    if high - low > float(info.max):
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                           f"{torch_name(dt, cpp=True)}>::max(), but found to={_fmt(high)} "
                           f"and from={_fmt(low)} which result in to-from to exceed the limit")
    n = _numel(shape)
    if dt == F64:
        v = gen._u53(n)
        r = high - low
        if not (low == 0.0 and r == 1.0):  # else fma(x, 1, 0) == x, and x < 1
            for s in range(0, n, _CHUNK):
                o = v[s:s + _CHUNK]
                o[...] = fma64(o, r, low)  # torch: x * (to - from) + from, fused
                _replace(o, high, low)  # torch: never return `to`
        return v.reshape(shape)
    f, t = np.float32(low), np.float32(high)  # torch: bounds as float32 (accscalar)
    v = gen._u24(n)
    r = np.float32(t - f)
    if not (f == 0 and r == 1):
        for s in range(0, n, _CHUNK):
            o = v[s:s + _CHUNK]
            o[...] = fma32(o, r, f)
            _replace(o, t, f)
    if dt == F32:
        return v.reshape(shape)
    out = v.astype(dt)  # float16/bfloat16: rounded once more
    _replace(out, t.astype(dt), f.astype(dt))
    return out.reshape(shape)


_CHUNK = 1 << 15  # elements per pass: temporaries stay in cache, no page faults


def _replace(a: np.ndarray, old, new) -> None:
    hit = a == old
    if hit.any():
        a[hit] = new


# -- normal --------------------------------------------------------------------

def _normal_fill(gen, n, dt, mean, std, contiguous):
    """``n`` values of ``empty(n, dt).normal_(mean, std)`` (flat)."""
    if n == 0:
        return np.empty(0, dt)
    if not (contiguous and n >= 16):  # torch: scalar path
        return from_f64(_normal.scalar_path(gen, n, mean, std), dt)
    rem = n % 16
    if dt == F64:
        u = gen._u53(n + (16 if rem else 0))
        whole = n - rem
        u[:whole] = _normal.block64(u[:whole], mean, std)  # in place
        if rem:  # torch: 16 fresh uniforms redo the last 16 outputs
            u[n - 16:n] = _normal.block64(u[n:], mean, std)
        return u[:n]
    # float32 and float16/bfloat16: the ints' own buffer receives the floats.
    # float16/bfloat16 draw only whole blocks (into a float scratch in torch).
    whole = n - rem
    k = gen._low24((n if dt == F32 else whole) + (16 if rem else 0))
    buf = k.view(F32)
    _normal.block32_from_ints(k[:whole], mean, std, out=buf[:whole])
    if rem:  # the 16 fresh ints sit past everything the tail overwrites
        tail_k = k[k.size - 16:].copy()
        buf[n - 16:n] = _normal.block32_from_ints(tail_k, mean, std)
    out = buf[:n]
    return out if dt == F32 else out.astype(dt)


def _float_binop(op, a: np.ndarray, b, out_dt):
    """torch's in-place ``a.mul_(b)`` / ``a.add_(b)`` stored as ``out_dt``.

    Tensors compute in the promoted type (float for float16 with bfloat16).
    float16/bfloat16 compute in float and round; a Python scalar added to
    them is first rounded to their dtype (torch's add_, checked against 2.13).
    """
    reduced = (resolve("float16"), resolve("bfloat16"))
    if isinstance(b, np.ndarray):
        ct = np.promote_types(a.dtype, b.dtype) if a.dtype != b.dtype else a.dtype
        if {a.dtype, b.dtype} == set(reduced):
            ct = F32
        bb = b.astype(F32 if ct in reduced else ct)
    else:
        ct = a.dtype
        bb = np.asarray(b).astype(ct)
        if ct in reduced:
            bb = bb.astype(F32)
    if ct in reduced:
        return op(a.astype(F32), bb).astype(out_dt)
    return op(a.astype(ct), bb).astype(out_dt)


def normal(gen: Generator, shape=None, dtype=None, mean=0.0, std=1.0,
           contiguous: bool = True) -> np.ndarray:
    """``torch.randn`` / ``normal_(mean, std)`` and the tensor forms of ``torch.normal``.

    ``mean``/``std`` may be arrays (torch.normal(Tensor, ...) forms); then
    ``shape`` defaults to their broadcast shape and ``dtype`` to mean's dtype
    (std's when only std is an array).
    """
    m_arr, s_arr = isinstance(mean, np.ndarray), isinstance(std, np.ndarray)
    if m_arr or s_arr:
        return _normal_tensor(gen, mean, std, shape, dtype)
    shape = _shape(shape)
    dt = resolve(dtype if dtype is not None else "float32")
    if not is_float(dt):
        raise RuntimeError(f'"normal_kernel_cpu" not implemented for {torch_name(dt)!r}')
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    return _normal_fill(gen, _numel(shape), dt, mean, std, contiguous).reshape(shape)


def _normal_tensor(gen, mean, std, shape, dtype):
    m_arr, s_arr = isinstance(mean, np.ndarray), isinstance(std, np.ndarray)
    if s_arr and std.size and not (std >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if m_arr and s_arr:
        bshape = np.broadcast_shapes(mean.shape, std.shape)
        dt = resolve(dtype) if dtype is not None else mean.dtype
        # torch: normal_(0, 1) on the broadcast shape, then * std, then + mean
        out = _normal_fill(gen, _numel(bshape), dt, 0.0, 1.0, True).reshape(bshape)
        out = _float_binop(np.multiply, out, std, dt)
        return _float_binop(np.add, out, mean, dt)
    if m_arr:
        std = float(std)
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
        dt = resolve(dtype) if dtype is not None else mean.dtype
        # torch: empty_like(mean).normal_(0, std) then + mean
        out = _normal_fill(gen, mean.size, dt, 0.0, std, True).reshape(mean.shape)
        return _float_binop(np.add, out, mean, dt)
    dt = resolve(dtype) if dtype is not None else std.dtype
    # torch: normal_(0, 1) on std's shape, then * std, then + mean
    out = _normal_fill(gen, std.size, dt, 0.0, 1.0, True).reshape(std.shape)
    out = _float_binop(np.multiply, out, std, dt)
    return _float_binop(np.add, out, float(mean), dt)


# -- integers ------------------------------------------------------------------

def _int_limits(dt):
    if dt == np.bool_:
        return 0, 1
    info = np.iinfo(dt)
    return int(info.min), int(info.max)


def _update_from(frm: int, dt) -> int:
    """torch: move ``from`` up so that from+1 survives the cast to ``dt``."""
    fp1 = int(from_i64(np.array([frm + 1], np.int64), dt).astype(F64)[0])
    if fp1 < frm:
        nbits = abs(frm + 1).bit_length() - 1
        frm = fp1 + (1 << (nbits - digits(dt) + 1))
    return frm


def _update_to(to: int, dt) -> int:
    """torch: move ``to`` down so that to-1 survives the cast to ``dt``."""
    tm1 = int(from_i64(np.array([to - 1], np.int64), dt).astype(F64)[0])
    if tm1 >= to:
        nbits = abs(to - 1).bit_length() - 1
        to = tm1 - (1 << (nbits - digits(dt) + 1))
    return to


def _check_range(frm: int, to_inc: int, dt):
    if is_float(dt):
        lo, hi = float(finfo(dt).min), float(finfo(dt).max)
    else:
        lo, hi = _int_limits(dt)
    for what, v in (("from", frm), ("to - 1", to_inc)):
        if not lo <= v <= hi:
            raise RuntimeError(f"{what} is out of bounds for {torch_name(dt, cpp=True)}")
    if is_float(dt):
        d = digits(dt)
        for what, v in (("from", frm), ("to - 1", to_inc)):
            if not -(1 << d) <= v <= 1 << d:
                warnings.warn(  # torch: WARN_OUT_OF_BOUNDS, word for word
                    f"{what} is out of bounds [-(2^{d}), 2^{d}]. Due to precision limitations "
                    f"{torch_name(dt, cpp=True)} can support discrete uniform distribution "
                    "only within this range. This warning will become an error in version "
                    "1.7 release, please fix the code in advance", UserWarning, stacklevel=4)


def _from_to(gen, n, rng: int, base: int, dt):
    """torch ``uniform_int_from_to``: (d mod range) + base, wrapped to int64."""
    if rng >= 1 << 28:  # torch: two words per value from 2^28 on
        d = gen._u64(n)
        np.remainder(d, np.uint64(rng), out=d)
        d += np.uint64(base % (1 << 64))  # wraps like torch's uint64 sum
        return from_i64(d.view(np.int64), dt)
    w = gen._u32(n)
    out = np.empty(n, np.int64)
    for s in range(0, n, _CHUNK):
        o = out[s:s + _CHUNK]
        o[...] = w[s:s + _CHUNK] % np.uint32(rng)
        o += base  # in range: (d mod range) + from stays within [from, to)
    return from_i64(out, dt)


def random_(gen: Generator, shape, dtype="int64", low=None, high=None) -> np.ndarray:
    """``Tensor.random_`` in its forms.

    ``random_()``: low=high=None; ``random_(to)``: high=to; ``random_(from, to)``;
    ``random_(from, None)``: low=from, high=None.
    """
    shape, dt = _shape(shape), resolve(dtype)
    n = _numel(shape)
    if low is None and high is None:
        return _random_plain(gen, n, dt).reshape(shape)
    frm = 0 if low is None else int(low)
    if high is not None:
        to = int(high)
        if not frm < to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={frm} >= to={to}")
        if is_float(dt):
            frm, to = _update_from(frm, dt), _update_to(to, dt)
            if not frm < to:
                raise RuntimeError("random_ expects 'from' casted to dtype to be less than "
                                   f"'to' casted to dtype, but got from={frm} >= to={to}")
        _check_range(frm, to - 1, dt)
        return _from_to(gen, n, to - frm, frm, dt).reshape(shape)
    if frm != -(1 << 63):
        if is_float(dt):
            to_inc = min(1 << digits(dt), (1 << 63) - 1)
            frm = _update_from(frm, dt)
            if not frm < to_inc:
                raise RuntimeError("random_ expects 'from' casted to dtype to be less than or "
                                   f"equal to 'to_inc' casted to dtype, but got from={frm} > "
                                   f"to_inc={to_inc}")
        else:
            to_inc = _int_limits(dt)[1]
        _check_range(frm, to_inc, dt)
        return _from_to(gen, n, to_inc - frm + 1, frm, dt).reshape(shape)
    # torch: the full 64-bit range, only for these types
    if dt == resolve("float16"):  # torch: passes the check, missing from the dispatch
        raise NotImplementedError('"random_full_64_bits_range_kernel_cpu" not implemented '
                                  "for 'Half'")
    if dt not in (np.dtype(np.int64), F64, F32, resolve("bfloat16")):
        raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, "
                           "double, float and bfloat16")
    return from_i64(gen._u64(n).view(np.int64), dt).reshape(shape)


def _random_plain(gen, n, dt):
    """``random_()`` without bounds (see torch's uniform_int)."""
    if dt == np.int64:
        return (gen._u64(n) % np.uint64(1 << 63)).view(np.int64)
    if dt == F64:
        return (gen._u64(n) % np.uint64((1 << 53) + 1)).astype(F64)
    w = gen._u32(n)
    if dt == np.bool_:
        return (w & 1).astype(np.bool_)
    if is_float(dt):
        return from_i64((w % np.uint32((1 << digits(dt)) + 1)).astype(np.int64), dt)
    return (w % np.uint32(_int_limits(dt)[1] + 1)).astype(dt)


def randint(gen: Generator, low, high, shape, dtype="int64") -> np.ndarray:
    """``torch.randint(low, high, shape)`` (= ``random_(low, high)``)."""
    return random_(gen, shape, dtype, low=int(low), high=int(high))


def randperm(gen: Generator, n: int, dtype="int64") -> np.ndarray:
    """``torch.randperm(n)``."""
    n, dt = int(n), resolve(dtype)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if dt == np.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    limits = {"float16": "2049", "float32": "2^24+1", "float64": "2^53+1"}  # torch's text
    if name(dt) in limits:
        if n > (1 << digits(dt)) + 1:
            raise RuntimeError(f"n cannot be greater than {limits[name(dt)]} for "
                               f"{torch_name(dt)} type.")
    elif not is_float(dt) and n > 0 and n - 1 > _int_limits(dt)[1]:
        # torch: checked conversion of n - 1 to the result type
        raise RuntimeError(f"value cannot be converted to type {torch_name(dt, stdint=True)} "
                           "without overflow")
    if n < LARGE_N:
        if n <= 1:
            return np.zeros(n, dt)
        z = gen._u32(n - 1) % np.arange(n, 1, -1, dtype=np.uint32)
        p = forward_shuffle(z)
    else:
        z = gen._u64(n) % np.arange(1, n + 1, dtype=np.uint64)
        p = inside_out_shuffle(z)
    return from_i64(p, dt)
