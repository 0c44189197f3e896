"""Exact IEEE helpers in numpy: fused multiply-add and C-library calls.

torch's kernels use FMA instructions and the platform C library (glibc);
numpy has neither an fma ufunc nor libm-identical ``log``/``log1p``/``exp``/
``tan``.  These helpers reproduce both exactly, vectorised where possible.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

F32, F64 = np.float32, np.float64
_U64 = np.uint64


def _exact_round32(a: float, b: float, c: float) -> np.float32:
    """RN32(a*b + c) from exact rational arithmetic (slow path)."""
    ex = Fraction(a) * Fraction(b) + Fraction(c)
    if ex == 0:
        return F32(F64(a) * F64(b) + F64(c))  # IEEE signed-zero rules
    r = F32(float(ex))
    best, best_err = r, None
    for cand in (np.nextafter(r, F32(-np.inf)), r, np.nextafter(r, F32(np.inf))):
        if not np.isfinite(cand):
            continue
        err = abs(Fraction(float(cand)) - ex)
        if best_err is None or err < best_err or (
                err == best_err and int(cand.view(np.uint32)) & 1 == 0):
            best, best_err = cand, err
    return best


def fma32(a, b, c) -> np.ndarray:
    """Exact float32 ``fma(a, b, c)`` (one rounding), broadcasting.

    The float32 product is exact in float64; the float64 sum is then rounded
    once more, which is wrong only when it lands exactly on a float32
    half-way point (or in float32's subnormal range): those lanes are redone
    exactly.
    """
    a64 = np.asarray(a, F32).astype(F64)
    b64 = np.asarray(b, F32).astype(F64)
    c64 = np.asarray(c, F32).astype(F64)
    s = a64 * b64
    s += c64
    with np.errstate(over="ignore"):
        out = s.astype(F32)
    bits = s.view(_U64)
    bad = (bits & _U64(0x1FFFFFFF)) == _U64(0x10000000)
    tiny = np.abs(s) < 2.0 ** -125
    tiny &= s != 0
    bad |= tiny
    if bad.any():
        a_b, b_b, c_b = np.broadcast_arrays(a64, b64, c64)
        for i in zip(*np.nonzero(bad)):
            out[i] = _exact_round32(float(a_b[i]), float(b_b[i]), float(c_b[i]))
    return out


def fma32_nocheck(a64, b64, c64) -> np.ndarray:
    """RN32(a*b + c) for float64 inputs where the float64 result is exact."""
    s = a64 * b64
    s += c64
    return s.astype(F32)


# -- float64 fma: Dekker product + round-to-odd (Boldo & Melquiond) ------------
_SPLIT = 134217729.0  # 2^27 + 1


def _two_sum(x, y):
    s = x + y
    bb = s - x
    err = (x - (s - bb)) + (y - bb)
    return s, err


def _split(x):
    c = x * _SPLIT
    hi = c - (c - x)
    return hi, x - hi


def _exact_fma64(a: float, b: float, c: float) -> float:
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    ex = Fraction(a) * Fraction(b) + Fraction(c)
    if ex == 0:
        return a * b + c  # IEEE signed-zero rules
    try:
        return float(ex)  # Fraction -> float rounds correctly
    except OverflowError:
        return math.inf if ex > 0 else -math.inf


def fma64(a, b, c) -> np.ndarray:
    """Exact float64 ``fma(a, b, c)`` (one rounding), broadcasting."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _fma64(a, b, c)


def _fma64(a, b, c) -> np.ndarray:
    a, b, c = np.broadcast_arrays(np.asarray(a, F64), np.asarray(b, F64),
                                  np.asarray(c, F64))
    ph = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl  # a*b = ph + pl exactly
    th, tl = _two_sum(c, ph)
    v, e = _two_sum(tl, pl)
    # round-to-odd: an inexact even result moves one ulp towards the truth
    vb = v.view(_U64)
    fix = (e != 0) & ((vb & _U64(1)) == 0)
    if fix.any():
        v = v.copy()
        v[fix] = np.nextafter(v[fix], np.where(e[fix] > 0, np.inf, -np.inf))
    out = th + v
    # outside Dekker's safe range (overflow in the split, underflowing error
    # terms, non-finite values) use exact rational arithmetic
    mag = np.maximum(np.abs(a), np.abs(b))
    risky = ~np.isfinite(out) | (mag > 2.0 ** 995) | (np.abs(c) > 2.0 ** 1000)
    small = (np.abs(ph) < 2.0 ** -960) & (a != 0) & (b != 0)
    risky |= small
    if risky.any():
        out = np.array(out, copy=True)
        for i in zip(*np.nonzero(risky)):
            out[i] = _exact_fma64(float(a[i]), float(b[i]), float(c[i]))
    return out


def fma64_scalar(a: float, b: float, c: float) -> float:
    """Exact scalar float64 fma."""
    f = getattr(math, "fma", None)  # Python >= 3.13
    if f is not None:
        return f(a, b, c)
    return float(fma64(a, b, c))


# -- C library (glibc) double functions ----------------------------------------
# torch calls glibc's double log/log1p/sin/cos/exp/tan; Python's math module
# calls the same functions, numpy's SIMD versions can differ by an ulp.

def libm(fn, x: np.ndarray) -> np.ndarray:
    """Apply a ``math`` function element-wise (exactly the C library's result)."""
    x = np.asarray(x, F64)
    if x.size == 0:
        return np.empty(x.shape, F64)
    return np.fromiter(map(fn, x.ravel().tolist()), F64, x.size).reshape(x.shape)


def _numpy_is_libm(np_fn, m_fn) -> bool:
    """Whether numpy's float64 ufunc returns the C library's bits (probe)."""
    x = np.linspace(0.0, 2 * math.pi, 4099)[1:] * (1 + 2.0 ** -40)
    x = np.concatenate([x, x * 1e3, x * 1e-5])
    return bool(np.array_equal(np_fn(x), libm(m_fn, x)))


_SIN_OK = None


def sincos(theta: np.ndarray):
    """(sin, cos) of float64 ``theta`` with the C library's exact results."""
    global _SIN_OK
    if _SIN_OK is None:
        # numpy's float64 sin/cos call the C library on common builds; check
        # once, else fall back to per-element math calls.
        _SIN_OK = _numpy_is_libm(np.sin, math.sin) and _numpy_is_libm(np.cos, math.cos)
    if _SIN_OK:
        return np.sin(theta), np.cos(theta)
    return libm(math.sin, theta), libm(math.cos, theta)



def _guarded(fn, npfn, x, ok):
    """C-library ``fn`` where ``ok``; elsewhere numpy's IEEE special values
    (where math raises instead of returning +-inf)."""
    x = np.asarray(x, F64)
    if ok.all():
        return libm(fn, x)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        out = npfn(x)
    out[ok] = libm(fn, x[ok])
    return out


def c_log(x):
    x = np.asarray(x, F64)
    return _guarded(math.log, np.log, x, x > 0)


def c_log1p(x):
    x = np.asarray(x, F64)
    return _guarded(math.log1p, np.log1p, x, x > -1)


def c_exp(x):
    x = np.asarray(x, F64)
    return _guarded(math.exp, np.exp, x, x < 709.0)


def c_tan(x):
    x = np.asarray(x, F64)
    return _guarded(math.tan, np.tan, x, np.isfinite(x))
