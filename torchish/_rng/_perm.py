"""torch's ``randperm`` shuffles, computed without a per-swap Python loop.

torch runs a sequential swap loop.  Its result can be read off two linked
structures that numpy builds in a few vector passes: for each step, the
previous step that chose the same slot (a stable sort by slot), and chains of
"who last wrote this slot" resolved by pointer doubling.
"""

from __future__ import annotations

import numpy as np

# torch: randperm switches to the 64-bit inside-out shuffle from this n on
# (std::numeric_limits<uint32_t>::max() / 20).
LARGE_N = 0xFFFFFFFF // 20


def _prev_same(key: np.ndarray, bound: int, it):
    """For each i, the largest j < i with key[j] == key[i], else -1.

    Also returns the (key, index) sort order and the sorted keys.
    """
    n = key.size
    # sort unique (key, index) words instead of a stable argsort: numpy's
    # SIMD sort of plain integers is several times faster
    shift = 16 if bound <= 1 << 16 and n <= 1 << 16 else 32
    u = np.uint32 if shift == 16 else np.uint64
    words = key.astype(u)
    words <<= u(shift)
    words |= np.arange(n, dtype=u)
    words.sort()
    order = (words & u((1 << shift) - 1)).astype(it)
    ks = (words >> u(shift)).astype(it)
    new = ks[1:] != ks[:-1]
    # previous element of the sorted run, -1 where a new key starts (values are
    # non-negative, so OR-ing with an all-ones word sets -1)
    ps = new.astype(it)
    np.negative(ps, out=ps)
    ps |= order[:-1]
    prev = np.empty(n, it)
    prev[order[0]] = -1
    prev[order[1:]] = ps
    return prev, order, ks, new


def _resolve(ptr: np.ndarray) -> np.ndarray:
    """Follow ``ptr`` to its fixed points (pointer doubling on the unresolved)."""
    nxt = ptr[ptr]
    todo = np.flatnonzero(nxt != ptr)
    ptr = nxt
    while todo.size:
        p = ptr[todo]
        q = ptr[p]
        ptr[todo] = q
        todo = todo[q != p]
    return ptr


def forward_shuffle(z: np.ndarray) -> np.ndarray:
    """Result of ``p = arange(n); for i: swap(p[i], p[i + z[i]])``, n = len(z) + 1.

    Step i fixes p[i] to what slot t_i = i + z_i holds just before step i:
    that is the value carried there by the previous step that chose t_i, or
    t_i itself if none did.  The value a step carries, A_i (what slot i held
    before step i), follows the chain of last writers of slot i.
    """
    n = z.size + 1
    it = np.int32 if n < (1 << 31) - 1 else np.int64
    idx = np.arange(n, dtype=it)
    t = np.empty(n, it)
    np.add(z, idx[:-1], out=t[:-1], casting="unsafe")
    t[-1] = n - 1  # a virtual last step that keeps slot n-1
    prev, order, ts, new = _prev_same(t, n, it)
    # last writer of slot q before step q: the last step choosing q, unless
    # that is step q itself (z_q == 0), then the one before it
    last = idx.copy()
    ends = np.flatnonzero(new)
    last[ts[ends]] = order[ends]
    last[ts[-1]] = order[-1]
    ptr = np.where(t == idx, prev, last)
    np.copyto(ptr, idx, where=ptr < 0)
    carried = _resolve(ptr)  # A_i as the index of the chain's root slot
    return np.where(prev >= 0, carried[prev], t).astype(np.int64, copy=False)


def inside_out_shuffle(z: np.ndarray) -> np.ndarray:
    """Result of ``for i: p[i] = p[z[i]]; p[z[i]] = i`` with z[i] <= i."""
    n = z.size
    it = np.int64
    z = z.astype(it, copy=False)
    idx = np.arange(n, dtype=it)
    prev, order, zs, new = _prev_same(z, n, it)
    # last step that wrote i into slot k (the largest j with z_j == k)
    last = np.full(n, -1, it)
    ends = np.flatnonzero(new)
    last[zs[ends]] = order[ends]
    last[zs[-1]] = order[-1]
    # otherwise slot k holds what slot z_k held before step k: the previous
    # step writing z_k, or (none) recursively what z_k got at its own step
    ptr = np.where(prev >= 0, idx, z)
    root = _resolve(ptr)
    return np.where(last >= 0, last, prev[root])
