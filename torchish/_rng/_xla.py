"""Optional XLA build of the float32 Box-Muller transform (same bits as ``_normal``).

numpy spends ~16 ns per pair on the ~130 separate passes the exact AVX2
arithmetic needs; one fused XLA loop does the same in a few ns.  It is used
only when JAX is already imported with x64 on (as the torchish core runs it),
never imported from here, and it must reproduce the numpy kernel on a probe
set at first use or it is switched off.

Why the bits can match: every fused torch step is computed as a float64
multiply-add of float32 values, which is exact (or rounds once) whether or
not the compiler contracts it into an FMA, then rounded to float32; the few
float32 products that feed an addition go through an opaque integer XOR with
a runtime zero, so no FMA contraction can touch them.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from . import _normal as N

PAIRS = 1 << 16  # pairs per compiled call (one shape: one compilation)
MIN_PAIRS = 1 << 14  # below this numpy is as fast as a padded XLA call
_state = {"ok": None, "fn": None, "dev": None}


def _build():
    import jax
    import jax.numpy as jnp
    from jax import lax

    f32, f64, i32 = jnp.float32, jnp.float64, jnp.int32

    def bar(v, zero):  # opaque identity: the product is rounded on its own
        return lax.bitcast_convert_type(lax.bitcast_convert_type(v, i32) ^ zero, f32)

    def fma(a, b, c):  # float32 fma through float64 (see module docstring)
        return (a.astype(f64) * b.astype(f64) + c.astype(f64)).astype(f32)

    def c32(x):
        return f32(np.float32(x))

    def radius(k1, zero):
        f = ((1 << 24) - k1).astype(f32)
        bits = lax.bitcast_convert_type(f, i32)
        mb = (bits & 0x007FFFFF) | 0x3F000000
        low = (mb - N._SQRTHF_BITS) >> 31
        e = ((bits >> 23) + low - 150).astype(f32)
        m = lax.bitcast_convert_type(mb - (low << 23), f32) - c32(1.0)
        z = bar(m * m, zero)
        y = fma(c32(N.P[0]), m, c32(N.P[1]))
        for pk in N.P[2:]:
            y = fma(y, m, c32(pk))
        y = fma(y * m, z, e * c32(N.Q1))
        y = y - z * c32(0.5)
        m = m + y
        m = m + e * c32(N.Q2)
        return jnp.sqrt(m * c32(-2.0))

    def sincos(k2, zero):
        theta = bar(k2.astype(f32) * c32(N._TP24), zero)
        j = (theta * c32(N.FOPI)).astype(i32)
        j = (j + 1) & ~1
        y = j.astype(f32)
        x = theta - y * c32(N.DP1)
        x = x - y * c32(N.DP2)
        x = (x.astype(f64) - y.astype(f64) * f64(np.float64(N.DP3))).astype(f32)
        z = bar(x * x, zero)
        a = fma(fma(c32(N.C0), z, c32(N.C1)), z, c32(N.C2))
        a = fma(z, z * a, -(z * c32(0.5))) + c32(1.0)
        b = fma(fma(c32(N.S0), z, c32(N.S1)), z, c32(N.S2))
        b = fma(x, z * b, x)
        use_sin = (j & 2) == 0
        s = jnp.where(use_sin, b, a)
        c = jnp.where(use_sin, a, b)
        s = lax.bitcast_convert_type(lax.bitcast_convert_type(s, i32) ^ ((j & 4) << 29), f32)
        c = lax.bitcast_convert_type(lax.bitcast_convert_type(c, i32) ^ (((1 - j) & 4) << 29),
                                     f32)
        return s, c

    def kernel(k, zero):  # k: (2, PAIRS) int32, rows u1-ints and u2-ints
        r = radius(k[0], zero)
        s, c = sincos(k[1], zero)
        return bar(r * c, zero), bar(r * s, zero)

    dev = jax.devices("cpu")[0]
    return jax.jit(kernel), dev


def _probe_ok(fn, dev) -> bool:
    import jax

    k = np.empty((2, PAIRS), np.int32)
    k[0] = np.arange(PAIRS, dtype=np.int64) * ((1 << 24) // PAIRS) + 12345
    k[1] = np.random.RandomState(7).randint(0, 1 << 24, PAIRS)
    k[0, :4] = [0, 1, (1 << 24) - 1, 1 << 23]
    k[1, :4] = [0, 1, (1 << 24) - 1, 1 << 22]
    got = np.stack([np.asarray(v) for v in fn(jax.device_put(k, dev),
                                               jax.device_put(np.int32(0), dev))])
    r = N.radius(k[0])
    s, c = N.sincos32(k[1])
    want = np.stack([c * r, s * r])
    return bool(np.array_equal(got.view(np.int32), want.view(np.int32)))


def available() -> bool:
    """Whether the XLA kernel can be used now (JAX loaded, x64 on, probe passed)."""
    if _state["ok"] is False:
        return False
    if os.environ.get("TORCHISH_RNG_XLA", "1") == "0":
        return False
    jax = sys.modules.get("jax")
    if jax is None:
        return False
    try:
        if not jax.config.read("jax_enable_x64"):
            return False
        if _state["ok"] is None:
            fn, dev = _build()
            _state.update(fn=fn, dev=dev, ok=_probe_ok(fn, dev))
    except Exception:  # noqa: BLE001 - any trouble: stay on numpy
        _state["ok"] = False
    return bool(_state["ok"])


def blocks_into(kb: np.ndarray, ob: np.ndarray) -> None:
    """Write radius*C / radius*S of int blocks ``kb`` (nb, 2, 8) into ``ob``.

    Works chunk by chunk through one reused buffer, so ``ob`` may share
    ``kb``'s memory.
    """
    import jax

    fn, dev = _state["fn"], _state["dev"]
    zero = jax.device_put(np.int32(0), dev)
    nb = kb.shape[0]
    bpc = PAIRS // 8  # blocks per call
    buf = np.zeros((2, bpc, 8), np.int32)
    for s in range(0, nb, bpc):
        m = min(bpc, nb - s)
        buf[:, :m] = kb[s:s + m].transpose(1, 0, 2)  # rows of u1-ints, u2-ints
        rc, rs = fn(jax.device_put(buf.reshape(2, PAIRS), dev), zero)
        ob[s:s + m, 0] = np.asarray(rc).reshape(bpc, 8)[:m]
        ob[s:s + m, 1] = np.asarray(rs).reshape(bpc, 8)[:m]
