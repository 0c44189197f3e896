"""The float32 Box-Muller kernels against a plain re-statement of torch's AVX2
arithmetic, over every one of the 2^24 possible inputs (the whole domain)."""

import importlib
from fractions import Fraction

import numpy as np
import pytest

F32, F64, I32 = np.float32, np.float64, np.int32
CHUNK = 1 << 21


def _round32(x: Fraction) -> F32:
    """Round an exact rational to float32, ties to even (normal range)."""
    r = F32(float(x))
    cands = [np.nextafter(r, F32(-np.inf)), r, np.nextafter(r, F32(np.inf))]
    err = [abs(Fraction(float(c)) - x) for c in cands]
    best = min(err)
    ties = [c for c, e in zip(cands, err) if e == best]
    return min(ties, key=lambda c: int(c.view(np.uint32)) & 1)


def _fma(a, b, c):
    """Exact fma32: float32 products are exact in float64; a float64 sum that
    lands on a float32 half-way point is redone with rationals."""
    a, b, c = np.broadcast_arrays(np.asarray(a, F32), np.asarray(b, F32), np.asarray(c, F32))
    s = a.astype(F64) * b.astype(F64) + c.astype(F64)
    out = s.astype(F32)
    for i in np.flatnonzero((s.view(np.uint64) & 0x1FFFFFFF) == 0x10000000):
        exact = Fraction(float(a.flat[i])) * Fraction(float(b.flat[i])) + Fraction(float(c.flat[i]))
        out.flat[i] = _round32(exact)
    return out


def plain_radius(N, k):
    """sqrt(-2 L(1 - k 2^-24)) written the way the spec states it."""
    u1 = F32(1) - k.astype(F32) * F32(2.0**-24)
    m, e = np.frexp(u1)  # u1 = m 2^e, m in [0.5, 1)
    e = e.astype(F32)
    low = m < N.SQRTHF
    e = np.where(low, e - F32(1), e)
    m = np.where(low, (m - F32(1)) + m, m - F32(1))
    z = m * m
    y = np.full_like(m, N.P[0])
    for pk in N.P[1:]:
        y = _fma(y, m, pk)
    y = y * m
    y = _fma(y, z, e * N.Q1)
    y = y - z * F32(0.5)
    m = m + y
    return np.sqrt(F32(-2) * (m + e * N.Q2))


def plain_sincos(N, k):
    theta = N.TWO_PI * (k.astype(F32) * F32(2.0**-24))
    j = (theta * N.FOPI).astype(I32)
    j = (j + 1) & ~1
    y = j.astype(F32)
    x = _fma(y, -N.DP1, theta)
    x = _fma(y, -N.DP2, x)
    x = _fma(y, -N.DP3, x)
    z = x * x
    a = _fma(_fma(N.C0, z, N.C1), z, N.C2)
    a = _fma(z, z * a, -(z * F32(0.5))) + F32(1)
    b = _fma(_fma(N.S0, z, N.S1), z, N.S2)
    b = _fma(x, z * b, x)
    use_sin = (j & 2) == 0
    s1 = np.where(use_sin, F32(0), a)
    s2 = np.where(use_sin, b, F32(0))
    s = s1 + s2
    c = (a - s1) + (b - s2)
    s = (s.view(I32) ^ ((j & 4) << 29)).view(F32)
    c = (c.view(I32) ^ ((~(j - 2) & 4) << 29)).view(F32)
    return s, c


def _same(a, b):
    return np.array_equal(np.asarray(a).view(I32), np.asarray(b).view(I32))


def test_numpy_kernel_whole_domain(R):
    N = R._normal
    for start in range(0, 1 << 24, CHUNK):
        k = np.arange(start, start + CHUNK, dtype=I32)
        assert _same(N.radius(k), plain_radius(N, k)), start
        s, c = N.sincos32(k)
        ps, pc = plain_sincos(N, k)
        assert _same(s, ps) and _same(c, pc), start


def test_unchecked_fma_steps_equal_checked_whole_domain(R):
    """The kernel skips the half-way test on fused steps: justified here."""
    N = R._normal
    for start in range(0, 1 << 24, CHUNK):
        k = np.arange(start, start + CHUNK, dtype=I32)
        assert _same(N.radius(k), N.radius(k, checked=True))
        s, c = N.sincos32(k)
        s2, c2 = N.sincos32(k, checked=True)
        assert _same(s, s2) and _same(c, c2)


def test_xla_kernel_whole_domain(R):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)  # as the torchish core runs
    X = importlib.import_module(R.__name__ + "._xla")
    assert X.available(), "XLA kernel disabled (probe mismatch)"
    N = R._normal
    for start in range(0, 1 << 24, CHUNK):
        k = np.arange(start, start + CHUNK, dtype=I32)
        kb = np.stack([k, k[::-1]]).reshape(2, -1, 8).transpose(1, 0, 2)
        out = np.empty((kb.shape[0], 2, 8), F32)
        X.blocks_into(kb, out)
        r = N.radius(kb[:, 0, :])
        s, c = N.sincos32(kb[:, 1, :])
        assert _same(out[:, 0, :], c * r) and _same(out[:, 1, :], s * r), start


def test_block_tail(R):
    """randn(n) for n % 16 != 0 redoes its last 16 outputs from 16 fresh draws."""
    g = R.Generator().manual_seed(5)
    a = R.normal(g, (17,), "float32")
    g.manual_seed(5)
    b = R.normal(g, (32,), "float32")
    assert a[0] == b[0]  # the spec's example
    g.manual_seed(5)
    k = g._low24(33)  # 17 uniforms, then 16 fresh ones
    assert _same(a[1:], R._normal.block32_from_ints(k[17:], 0.0, 1.0))
    assert _same(a[:1], R._normal.block32_from_ints(k[:16], 0.0, 1.0)[:1])
