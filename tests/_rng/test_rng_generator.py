"""Generator: the MT19937 stream, seeding rules and torch's state byte layout."""

import struct

import numpy as np
import pytest


def test_words_are_numpy_legacy_mt19937(R):
    for seed in (0, 1, 42, 2**32 - 1, 2**32 + 5, 2**64 - 1, -7):
        g = R.Generator().manual_seed(seed)
        rs = np.random.RandomState((seed % 2**64) & 0xFFFFFFFF)
        want = rs.randint(0, 2**32, 2000, dtype=np.uint64)
        assert np.array_equal(g._u32(1000), want[:1000])
        # random64: first word high; u53 keeps its low 53 bits
        d = g._u64(500)
        assert np.array_equal(d, (want[1000::2] << 32) | want[1001::2])


def test_default_seed_and_initial_seed(R):
    g = R.Generator()
    assert g.initial_seed() == 67280421310721 and g.device == "cpu"
    assert g.manual_seed(-1).initial_seed() == 2**64 - 1
    assert R.manual_seed(3.9).initial_seed() == 3  # torch.manual_seed truncates
    with pytest.raises(RuntimeError, match="expected a long, but got float"):
        g.manual_seed(3.9)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        g.manual_seed(2**64)
    s = R.seed()
    assert R.initial_seed() == s and 0 <= s < 2**64


def test_state_layout(R):
    g = R.Generator().manual_seed(2**40 + 9)
    st = g.get_state()
    assert st.dtype == np.uint8 and st.size == R.STATE_SIZE == 5056
    seed, left, seeded, nxt = struct.unpack_from("<QiiQ", st.tobytes())
    assert (seed, left, seeded, nxt) == (2**40 + 9, 1, 1, 0)  # fresh: regenerate first
    key = np.frombuffer(st.tobytes(), "<u8", 624, 24)
    assert np.array_equal(key, np.random.RandomState(9).get_state()[1])
    g._u32(0)  # an empty draw keeps the fresh marker
    assert struct.unpack_from("<iiQ", g.get_state().tobytes(), 8)[2] == 0
    g._u32(5)
    assert struct.unpack_from("<iiQ", g.get_state().tobytes(), 8) == (620, 1, 5)


def test_normal_cache_in_state_and_round_trip(R):
    g = R.Generator().manual_seed(7)
    R.normal(g, (3,), "float64")  # two pairs: one sample left in the cache
    raw = g.get_state().tobytes()
    assert struct.unpack_from("<i", raw, 5040)[0] == 1
    cached = struct.unpack_from("<d", raw, 5024)[0]
    h = R.Generator().set_state(g.get_state())
    a, b = R.normal(g, (5,), "float64"), R.normal(h, (5,), "float64")
    assert np.array_equal(a, b) and a[0] == cached
    g.manual_seed(7)  # seeding clears the cache
    assert struct.unpack_from("<i", g.get_state().tobytes(), 5040)[0] == 0


def test_set_state_validation(R):
    g = R.Generator()
    with pytest.raises(RuntimeError, match="size 5056 but found the input RNG state size to be 3"):
        g.set_state(np.zeros(3, np.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(np.zeros(5056, np.uint8))


def test_generators_are_independent(R):
    a, b = R.Generator().manual_seed(1), R.Generator().manual_seed(1)
    x = R.uniform(a, (10,))
    R.normal(R.default_generator, (100,))
    assert np.array_equal(x, R.uniform(b, (10,)))


def test_no_jax_or_torch_import():
    import subprocess
    import sys
    from pathlib import Path

    pkg = Path(__file__).resolve().parents[2] / "torchish" / "_rng"
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('r', {str(pkg / '__init__.py')!r}, "
        f"submodule_search_locations=[{str(pkg)!r}])\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['r'] = m; spec.loader.exec_module(m)\n"
        "g = m.Generator().manual_seed(0); m.normal(g, (100000,)); m.randperm(g, 10)\n"
        "print('jax' in sys.modules, 'torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
