"""Exact fused multiply-add emulation against rational arithmetic."""

import math
from fractions import Fraction

import numpy as np
import pytest

F32, F64 = np.float32, np.float64


def exact32(a, b, c):
    x = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    if x == 0:
        return None  # sign rules checked separately
    r = F32(float(x))
    cands = [np.nextafter(r, F32(-np.inf)), r, np.nextafter(r, F32(np.inf))]
    cands = [c for c in cands if np.isfinite(c)]
    err = [abs(Fraction(float(c)) - x) for c in cands]
    ties = [c for c, e in zip(cands, err) if e == min(err)]
    return min(ties, key=lambda c: int(c.view(np.uint32)) & 1)


def _halfway_cases(rs, count):
    """a*b + c landing exactly on / next to a float32 half-way point."""
    a = rs.randint(1 << 23, 1 << 24, count).astype(F32) * F32(2.0**-23)
    b = rs.randint(1 << 23, 1 << 24, count).astype(F32) * F32(2.0**-23)
    p = a.astype(F64) * b.astype(F64)  # exact
    # c so that p + c is a float32 half-way point plus a tiny offset in p's tail
    base = p.astype(F32).astype(F64)
    c = (base + math.ldexp(1.0, -24) - p).astype(F32)
    return a, b, c


def test_fma32_random_and_halfway(R):
    fma32 = R._fp.fma32
    rs = np.random.RandomState(0)
    a = (rs.standard_normal(3000) * 10).astype(F32)
    b = (rs.standard_normal(3000) * 10).astype(F32)
    c = (rs.standard_normal(3000) * 10).astype(F32)
    ha, hb, hc = _halfway_cases(rs, 3000)
    a, b, c = np.concatenate([a, ha]), np.concatenate([b, hb]), np.concatenate([c, hc])
    got = fma32(a, b, c)
    for i in range(a.size):
        want = exact32(a[i], b[i], c[i])
        if want is not None:
            assert got[i] == want, (a[i], b[i], c[i])


def test_fma32_zero_and_tiny(R):
    fma32 = R._fp.fma32
    z = F32(0.0)
    assert np.signbit(fma32(np.array([-1.0], F32), z, F32(-0.0))[0])  # -0 + -0
    assert not np.signbit(fma32(np.array([-1.0], F32), z, z)[0])
    tiny = np.array([1e-30], F32)
    got = fma32(tiny, np.array([1e-10], F32), np.array([1e-45], F32))[0]
    assert got == exact32(tiny[0], F32(1e-10), F32(1e-45))


def test_fma64_random_and_cancellation(R):
    fma64 = R._fp.fma64
    rs = np.random.RandomState(1)
    a = rs.standard_normal(4000) * 3
    b = rs.standard_normal(4000) * 3
    c = -(a * b) * (1 + rs.choice([0.0, 2.0**-52, -(2.0**-52), 1e-9], 4000))
    c[:1000] = rs.standard_normal(1000)
    got = fma64(a, b, c)
    for i in range(a.size):
        want = Fraction(float(a[i])) * Fraction(float(b[i])) + Fraction(float(c[i]))
        assert got[i] == float(want), (a[i], b[i], c[i])


def test_fma64_edges(R):
    fma64 = R._fp.fma64
    a = np.array([1e300, 1e-300, np.inf, 0.0, 2.0**-1070, 1.5])
    b = np.array([1e10, 1e-30, 1.0, -1.0, 3.0, 2.0**1000])
    c = np.array([1.0, 0.0, 1.0, 0.0, 0.0, -1.0])
    got = fma64(a, b, c)
    assert got[0] == np.inf and got[2] == np.inf
    assert got[1] == float(Fraction(1e-300) * Fraction(1e-30))
    assert got[3] == 0.0 and not np.signbit(got[3])
    assert got[4] == float(Fraction(2.0**-1070) * 3)
    assert got[5] == 1.5 * 2.0**1000 - 1.0


@pytest.mark.parametrize("fn", ["log", "log1p", "exp", "tan"])
def test_c_library_wrappers_match_math(R, fn):
    w = getattr(R._fp, "c_" + fn)
    x = np.random.RandomState(2).random_sample(500) - 0.25
    ok = {"log": x > 0, "log1p": x > -1, "exp": x < 700, "tan": np.isfinite(x)}[fn]
    got = w(x)
    for xi, gi, oki in zip(x, got, ok):
        if oki:
            assert gi == getattr(math, fn)(xi)
    assert R._fp.c_log(np.array([0.0]))[0] == -np.inf
    assert R._fp.c_exp(np.array([1000.0]))[0] == np.inf
