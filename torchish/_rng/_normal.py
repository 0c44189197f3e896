"""torch's CPU normal sampling: the 16-wide Box-Muller blocks and the scalar path.

Model: Linux x86-64 torch 2.13 on an AVX2/AVX512 CPU (the AVX2 kernel build,
compiled by GCC with FMA contraction).  Every float32 operation below is
one IEEE operation of that kernel; ``fma`` steps are rounded once.
"""

from __future__ import annotations

import math

import numpy as np

from ._fp import F32, F64, fma32, fma64, libm, sincos

_I32 = np.int32


def _c(bits: int) -> np.float32:
    return np.array(bits, np.uint32).view(F32)[()]


# torch: Cephes-style float32 constants of the AVX2 log/sincos (bit patterns).
SQRTHF = _c(0x3F3504F3)
P = [_c(b) for b in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                     0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA)]
Q1, Q2 = _c(0xB95E8083), _c(0x3F318000)
FOPI = _c(0x3FA2F983)
DP1, DP2, DP3 = _c(0x3F490000), _c(0x397DA000), _c(0x33222169)
C0, C1, C2 = _c(0x37CCF5CE), _c(0xBAB6061A), _c(0x3D2AAAA5)
S0, S1, S2 = _c(0xB94CA1F9), _c(0x3C08839E), _c(0xBE2AAAA3)
TWO_PI = _c(0x40C90FDB)
# theta = TWO_PI * (k * 2^-24) rounds like (TWO_PI * 2^-24) * k: a power-of-two
# scale is exact, so the angle comes straight from the 24-bit integer.
_TP24 = F32(TWO_PI * F32(2.0 ** -24))
_P64 = [F64(p) for p in P]
TWO_PI_64 = 6.283185307179586  # torch: the double 2*pi literal

_SQRTHF_BITS = 0x3F3504F3
_CHUNK = 8192  # pairs per chunk: keeps the temporaries in L2 cache


def _fma(a, b, c, checked):
    """Fused step: exact always; ``checked=False`` skips the half-way test.

    The unchecked form is used only where the float64 sum is exact or was
    shown (exhaustively, tests/_rng) never to fall on a float32 half-way
    point for any 24-bit input.
    """
    if checked:
        return fma32(a, b, c)
    s = np.asarray(a, F64) * np.asarray(b, F64)
    s += np.asarray(c, F64)
    return s.astype(F32)


def radius(k1: np.ndarray, checked: bool = False) -> np.ndarray:
    """``sqrt(-2 * L(1 - k1*2^-24))`` in float32 for 24-bit ints ``k1``."""
    f = ((1 << 24) - k1).astype(F32)  # (1 - U) * 2^24, exact
    bits = f.view(_I32)
    mb = bits & 0x007FFFFF
    mb |= 0x3F000000  # the mantissa m in [0.5, 1) as float bits
    low = mb - _SQRTHF_BITS
    low >>= 31  # -1 where m < SQRTHF (positive floats order like ints)
    # torch: e = biased exponent - 126 of u1 = f * 2^-24, minus 1 when low
    bits >>= 23
    bits += low
    bits -= 150
    e = bits.astype(F32)
    # when low, m becomes (m - 1) + m == 2m - 1: double m via its exponent
    low <<= 23
    mb -= low
    m = mb.view(F32)
    m -= F32(1.0)
    z = m * m
    m64 = m.astype(F64)
    y = _fma(_P64[0], m64, _P64[1], checked)
    for pk in _P64[2:]:
        # Horner steps: y*m + pk is exact in float64 (m has 24 bits, |m| < .42)
        y = _fma(y.astype(F64), m64, pk, checked)
    y *= m
    y = _fma(y, z, e * Q1, checked)
    z *= F32(0.5)
    y -= z
    m += y
    e *= Q2
    m += e
    m *= F32(-2.0)
    return np.sqrt(m, out=m)


def sincos32(k2: np.ndarray, checked: bool = False):
    """torch's AVX2 float32 (sin, cos) of ``theta = TWO_PI * k2*2^-24``."""
    theta = k2.astype(F32)
    theta *= _TP24
    j = (theta * FOPI).astype(_I32)
    j += 1
    j &= ~1
    y = j.astype(F32)
    # fma(y, -DP1, x) and fma(y, -DP2, x): y*DP1, y*DP2 are exact in float32
    # (y <= 8 even, DP1/DP2 have few bits), so a plain subtraction is the fma.
    x = theta - y * DP1
    x -= y * DP2
    x64 = x.astype(F64)
    x64 -= y.astype(F64) * F64(DP3)  # exact in float64 (|x| < 8)
    x = x64.astype(F32)
    x64 = x.astype(F64)
    z = x * x
    z64 = z.astype(F64)
    a = _fma(F64(C0), z64, F64(C1), checked)
    a = _fma(a.astype(F64), z64, F64(C2), checked)
    a *= z
    a = _fma(z64, a.astype(F64), -(z * F32(0.5)).astype(F64), checked)
    a += F32(1.0)
    b = _fma(F64(S0), z64, F64(S1), checked)
    b = _fma(b.astype(F64), z64, F64(S2), checked)
    b *= z
    b = _fma(x64, b.astype(F64), x64, checked)
    # torch: S = s1 + s2, C = (a - s1) + (b - s2) with one of s1/s2 zero: a
    # select (the chosen polynomial is never -0, so the adds are identities).
    # sel is all ones where (j & 2) == 0 (sine polynomial gives S).
    sel = j & 2
    sel >>= 1
    sel -= 1
    av, bv = a.view(_I32), b.view(_I32)
    d = av ^ bv
    d &= sel
    s = (av ^ d).view(F32)  # b where sel else a
    c = (bv ^ d).view(F32)  # a where sel else b
    sv, cv = s.view(_I32), c.view(_I32)
    sv ^= (j & 4) << 29
    j -= 1
    np.negative(j, out=j)  # 1 - j == ~(j - 2)
    j &= 4
    j <<= 29
    cv ^= j
    return s, c


def _finish32(v: np.ndarray, mean: np.float32, std: np.float32) -> np.ndarray:
    """torch: ``fma(v, std, mean)`` in float32 (with its exact special cases)."""
    if std == 1:
        return v + mean  # v*1 is exact
    if mean == 0 and not np.signbit(mean):
        v = v * std
        v += F32(0.0)  # fma(v, std, +0) maps -0 to +0
        return v
    return fma32(v, std, mean)


def block32_from_ints(k: np.ndarray, mean, std, checked: bool = False,
                      out: np.ndarray | None = None) -> np.ndarray:
    """float32 Box-Muller over whole 16-blocks of 24-bit ints (len % 16 == 0).

    ``out`` may be ``k``'s own buffer viewed as float32: every chunk is read
    before it is written.
    """
    mean, std = F32(mean), F32(std)  # torch: the kernel takes float mean/std
    nb = k.size // 16
    if out is None:
        out = np.empty(nb * 16, F32)
    kb = k.reshape(nb, 2, 8)
    ob = out.reshape(nb, 2, 8)
    if not checked and nb * 8 >= _xla_min_pairs():
        from . import _xla

        if _xla.available():
            _xla.blocks_into(kb, ob)
            for s in range(0, out.size, _CHUNK * 4):
                o = out[s:s + _CHUNK * 4]
                o[...] = _finish32(o, mean, std)
            return out
    step = max(1, _CHUNK // 8)
    for s in range(0, nb, step):
        blk = kb[s:s + step]
        r = radius(blk[:, 0, :], checked)
        sn, cs = sincos32(blk[:, 1, :], checked)
        cs *= r
        sn *= r
        ob[s:s + step, 0, :] = _finish32(cs, mean, std)  # cosine to the first 8
        ob[s:s + step, 1, :] = _finish32(sn, mean, std)  # sine to the last 8
    return out


def _xla_min_pairs() -> int:
    from ._xla import MIN_PAIRS

    return MIN_PAIRS


def block64(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """float64 Box-Muller over whole 16-blocks of uniforms (len % 16 == 0)."""
    ub = u.reshape(-1, 2, 8)
    u1 = 1.0 - ub[:, 0, :]
    rad = np.sqrt(-2.0 * libm(math.log, u1))
    theta = ub[:, 1, :] * TWO_PI_64
    sn, cs = sincos(theta)
    out = np.empty(ub.shape, F64)
    out[:, 0, :] = rad * cs
    out[:, 1, :] = rad * sn
    # torch: an explicit std::fma(v, std, mean)
    if std == 1.0:
        out += mean
    elif mean == 0.0 and not math.copysign(1.0, mean) < 0:
        out *= std
        out += 0.0
    else:
        out = fma64(out, std, mean)
    return out.reshape(-1)


def scalar_path(gen, n: int, mean: float, std: float) -> np.ndarray:
    """n draws of torch's scalar normal (``normal_distribution<double>``), float64.

    Uses and refills the generator's cached second sample.
    """
    zs = []
    if n > 0 and gen._normal is not None:
        zs.append(gen._normal)
        gen._normal = None
    need = n - len(zs)
    z = np.array(zs, F64)
    if need > 0:
        pairs = (need + 1) // 2
        u = gen._u53(2 * pairs).reshape(pairs, 2)
        # torch: the first uniform is the angle, the second the radius
        r = np.sqrt(-2.0 * libm(math.log1p, -u[:, 1]))
        sn, cs = sincos(u[:, 0] * TWO_PI_64)
        seq = np.empty((pairs, 2), F64)
        seq[:, 0] = r * cs
        seq[:, 1] = r * sn
        seq = seq.reshape(-1)
        if need % 2:
            gen._normal = float(seq[-1])  # the spare sine sample is cached
        z = np.concatenate([z, seq[:need]])
    if std == 1.0:
        return z + mean
    return fma64(z, std, mean)
