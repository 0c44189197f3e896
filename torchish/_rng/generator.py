"""MT19937 generator with torch's CPU seeding, state bytes and normal cache.

Pure host code on numpy; no JAX, no torch.  The engine is numpy's
``MT19937`` bit generator, which produces the same 32-bit words as torch's
``at::mt19937`` once its 624-word key is set the way torch seeds it.
"""

from __future__ import annotations

import os
import struct

import numpy as np

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state", "STATE_SIZE",
]

# torch: sizeof(CPUGeneratorImplState) on x86-64 Linux.
STATE_SIZE = 5056
# torch: the seed a fresh torch.Generator() starts from.
_DEFAULT_SEED = 67280421310721
_U64 = 1 << 64

# torch: CPUGeneratorImplState byte offsets (little-endian).
_OFF_SEED, _OFF_LEFT, _OFF_SEEDED, _OFF_NEXT, _OFF_KEY = 0, 8, 12, 16, 24
_OFF_NORMAL, _OFF_NORMAL_OK = 5024, 5040
_OFF_FNORMAL, _OFF_FNORMAL_OK = 5048, 5052


def _normalize_seed(seed) -> int:
    """torch's ``Generator.manual_seed`` argument rules: an integer (not bool),
    range-checked, wrapped to u64."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        # torch: only torch.manual_seed converts with int(); Generator.manual_seed doesn't
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = int(seed)
    if not (-(1 << 63) <= seed <= _U64 - 1):
        # torch: message from pybind's unpack, a ValueError (not RuntimeError)
        raise ValueError("Overflow when unpacking long long")
    return seed % _U64


def _mt_key(seed32: int) -> np.ndarray:
    """The 624-word MT19937 key for a 32-bit seed (Knuth's multiplier)."""
    # numpy's legacy RandomState uses the same init_genrand recurrence as
    # torch's mt19937 constructor; let it do the sequential recurrence in C.
    return np.random.RandomState(seed32).get_state(legacy=True)[1]


class Generator:
    """A CPU random generator with torch's stream, seeding and state bytes."""

    __slots__ = ("_bg", "_rs", "_seed", "_fresh", "_normal", "_fnormal")

    def __init__(self, device: str = "cpu"):
        if str(device) != "cpu":
            raise RuntimeError(f"torchish random generators are host (cpu) only, got {device!r}")
        self._bg = np.random.MT19937()
        # RandomState over the same bit generator: its masked bounded-int path
        # returns raw words (or their low bits) in order, in one C loop.
        self._rs = np.random.RandomState(self._bg)
        self._fnormal = None
        self.manual_seed(_DEFAULT_SEED)

    # -- torch API -----------------------------------------------------------
    @property
    def device(self) -> str:
        return "cpu"

    def manual_seed(self, seed) -> "Generator":
        seed = _normalize_seed(seed)
        self._seed = seed
        # torch: the engine only sees the low 32 bits of the seed.
        self._bg.state = {"bit_generator": "MT19937",
                          "state": {"key": _mt_key(seed & 0xFFFFFFFF), "pos": 624}}
        self._fresh = True  # torch: next_ = 0 until the first draw
        self._normal = None  # torch: seeding clears both normal caches
        self._fnormal = None
        return self

    def seed(self) -> int:
        """Reseed from the OS entropy source and return the new seed."""
        # torch: readURandomLong, 8 bytes of /dev/urandom
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> np.ndarray:
        """The 5056-byte state, laid out exactly like torch's ``get_state()``."""
        st = self._bg.state["state"]
        pos = int(st["pos"])
        buf = bytearray(STATE_SIZE)
        nxt = 0 if self._fresh else pos
        struct.pack_into("<QiiQ", buf, _OFF_SEED, self._seed, 625 - pos, 1, nxt)
        key = np.asarray(st["key"], dtype=np.uint32).astype("<u8")
        buf[_OFF_KEY:_OFF_KEY + 624 * 8] = key.tobytes()
        if self._normal is not None:
            struct.pack_into("<d", buf, _OFF_NORMAL, self._normal)
            struct.pack_into("<i", buf, _OFF_NORMAL_OK, 1)
        if self._fnormal is not None:
            struct.pack_into("<f", buf, _OFF_FNORMAL, self._fnormal)
            buf[_OFF_FNORMAL_OK] = 1
        return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def set_state(self, state) -> "Generator":
        """Restore a state produced by ``get_state`` (ours or torch's bytes)."""
        raw = np.ascontiguousarray(np.asarray(state)).view(np.uint8).tobytes()
        if len(raw) != STATE_SIZE:
            raise RuntimeError(
                "Expected a CPUGeneratorImplState of size 5056 but found the input "
                f"RNG state size to be {len(raw)}")
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, _OFF_SEED)
        if seeded == 0 or not (0 < left <= 624) or nxt > 624:
            raise RuntimeError("Invalid mt19937 state")  # torch's message
        fresh = left == 1 and nxt == 0
        if not fresh and left + nxt != 625:
            # torch would read words state[next..] then regenerate; numpy's
            # engine keeps one index, so only consistent pairs are supported.
            raise RuntimeError(
                f"unsupported mt19937 state: left={left} and next={nxt} disagree")
        key = np.frombuffer(raw, dtype="<u8", count=624, offset=_OFF_KEY)
        self._bg.state = {"bit_generator": "MT19937",
                          "state": {"key": key.astype(np.uint32), "pos": 625 - left}}
        self._seed = seed
        self._fresh = fresh
        ok = struct.unpack_from("<i", raw, _OFF_NORMAL_OK)[0]
        self._normal = struct.unpack_from("<d", raw, _OFF_NORMAL)[0] if ok else None
        self._fnormal = (struct.unpack_from("<f", raw, _OFF_FNORMAL)[0]
                         if raw[_OFF_FNORMAL_OK] else None)
        return self

    def __repr__(self) -> str:
        return "<torchish Generator device='cpu'>"

    # -- raw draws (used by distributions) -------------------------------------
    # Every helper consumes words strictly in stream order.
    def _u32(self, n: int) -> np.ndarray:
        """``n`` words as uint32 (torch ``random()``)."""
        if n <= 0:
            return np.empty(0, np.uint32)
        self._fresh = False
        # torch: masked path with rng == 0xffffffff returns the raw word
        return self._rs.randint(0, 1 << 32, size=n, dtype=np.uint32)

    def _low24(self, n: int) -> np.ndarray:
        """Low 24 bits of ``n`` words, as int32."""
        if n <= 0:
            return np.empty(0, np.int32)
        self._fresh = False
        # numpy's masked bounded draw is ``word & 0xffffff``, never rejecting
        return self._rs.randint(0, 1 << 24, size=n, dtype=np.int32)

    def _u64(self, n: int) -> np.ndarray:
        """``n`` torch ``random64()`` values (two words each, first word high)."""
        w = self._u32(2 * n).view(np.uint64)  # little-endian: low half = first word
        for s in range(0, n, _CHUNK):  # swap the halves in place, chunk by chunk
            c = w[s:s + _CHUNK]
            c[...] = (c << np.uint64(32)) | (c >> np.uint64(32))
        return w

    def _u53(self, n: int) -> np.ndarray:
        """``n`` float64 uniforms ``(random64() mod 2^53) * 2^-53``."""
        w = self._u32(2 * n).view(np.uint64)
        out = w.view(np.float64)  # converted in place: no second large buffer
        for s in range(0, n, _CHUNK):
            c = w[s:s + _CHUNK]
            d = ((c & np.uint64(0x1FFFFF)) << np.uint64(32)) | (c >> np.uint64(32))
            o = out[s:s + _CHUNK]
            o[...] = d
            o *= 2.0 ** -53
        return out

    def _u24(self, n: int) -> np.ndarray:
        """``n`` float32 uniforms ``(random() mod 2^24) * 2^-24``."""
        k = self._low24(n)
        return int24_to_unit(k)


# Large temporaries cost page faults on every call; work in cache-sized chunks
# and convert buffers in place instead.
_CHUNK = 1 << 15


def int24_to_unit(k: np.ndarray) -> np.ndarray:
    """``k * 2^-24`` as float32, written over ``k``'s own int32 buffer."""
    out = k.view(np.float32)
    for s in range(0, k.size, _CHUNK):
        o = out[s:s + _CHUNK]
        o[...] = k[s:s + _CHUNK]
        o *= np.float32(2.0 ** -24)
    return out


default_generator = Generator()
default_generator.seed()  # torch: the default generator starts nondeterministic


def manual_seed(seed) -> Generator:
    """Seed the default generator (``torch.manual_seed``: floats truncate, bools are 0/1)."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Reseed the default generator nondeterministically (``torch.seed``)."""
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> np.ndarray:
    return default_generator.get_state()


def set_rng_state(state) -> None:
    default_generator.set_state(state)
