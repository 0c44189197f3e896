"""randperm's vectorised shuffles against the sequential loops torch runs."""

import numpy as np
import pytest


def forward_loop(z):
    p = list(range(len(z) + 1))
    for i, zi in enumerate(z.tolist()):
        j = i + zi
        p[i], p[j] = p[j], p[i]
    return np.array(p)


def inside_out_loop(z):
    p = [0] * len(z)
    for i, zi in enumerate(z.tolist()):
        p[i] = i
        p[i] = p[zi]
        p[zi] = i
    return np.array(p)


def _offsets(rs, n):
    """Forward offsets z_i in [0, n - i) and inside-out picks z_i in [0, i]."""
    fw = rs.randint(0, 2**32, n - 1, dtype=np.uint64) % np.arange(n, 1, -1, dtype=np.uint64)
    io = rs.randint(0, 2**62, n, dtype=np.uint64) % np.arange(1, n + 1, dtype=np.uint64)
    return fw.astype(np.uint32), io


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 16, 17, 100, 1000, 65536, 65537, 100_003])
def test_random_offsets(R, n):
    P = R._perm
    rs = np.random.RandomState(n)
    for _ in range(20 if n < 1000 else 2):
        fw, io = _offsets(rs, n)
        assert np.array_equal(P.forward_shuffle(fw), forward_loop(fw))
        assert np.array_equal(P.inside_out_shuffle(io), inside_out_loop(io))


@pytest.mark.parametrize("n", [2, 7, 64, 5000])
def test_extreme_offsets(R, n):
    """Long chains: never swap, always swap with the last slot, small cycles."""
    P = R._perm
    for fw in (np.zeros(n - 1), np.arange(n - 1, 0, -1) - 1, np.arange(n - 1) % 2,
               (np.arange(n - 1) * 7919) % np.arange(n, 1, -1)):
        fw = fw.astype(np.uint32)
        assert np.array_equal(P.forward_shuffle(fw), forward_loop(fw))
    for io in (np.zeros(n), np.arange(n), np.arange(n) // 2, (np.arange(n) * 31) % (np.arange(n) + 1)):
        io = io.astype(np.uint64)
        assert np.array_equal(P.inside_out_shuffle(io), inside_out_loop(io))


def test_randperm_words(R):
    """randperm(n) draws n - 1 words: z_i = word_i mod (n - i)."""
    g = R.Generator().manual_seed(1)
    p = R.randperm(g, 1000)
    g.manual_seed(1)
    w = g._u32(999)
    assert np.array_equal(p, forward_loop(w % np.arange(1000, 1, -1, dtype=np.uint32)))
    assert sorted(p.tolist()) == list(range(1000))
    assert R.randperm(g, 0).shape == (0,) and R.randperm(g, 1).tolist() == [0]
