"""torchish._rng against torch 2.13's recorded CPU random streams: bit for bit.

Replays every case of compat/refs/rng/*.json (written by compat/gen_rng.py under
real torch) with torchish's host random streams and requires exactly equal
bytes: every output, torch's error type and message, initial seeds, and the
sha256 of the generator's 5056 state bytes after each op.  No tolerance.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFS = HERE / "refs" / "rng"


def _load(name: str, path: Path, package_dir: Path | None = None):
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(package_dir)] if package_dir else None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _rng_package():
    """torchish._rng; while the torchish package itself does not import, the
    subpackage alone, loaded by path (it depends on nothing else in torchish)."""
    try:
        from torchish import _rng
    except Exception:  # noqa: BLE001 - the core is optional for these tests
        for k in [k for k in sys.modules if k == "torchish" or k.startswith("torchish.")]:
            del sys.modules[k]
        pkg = ROOT / "torchish" / "_rng"
        _rng = _load("torchish_rng_standalone", pkg / "__init__.py", pkg)
    return _rng


R = _rng_package()
GEN = _load("compat_gen_rng", HERE / "gen_rng.py")
DTYPES = {"float16": np.float16, "bfloat16": R._dtypes.BF16, "float32": np.float32,
          "float64": np.float64, "int8": np.int8, "int16": np.int16, "int32": np.int32,
          "int64": np.int64, "uint8": np.uint8, "bool": np.bool_}


def _cases():
    out = []
    for path in sorted(REFS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(case, id=case["name"]))
    return out


def _arr(spec):
    v = GEN.build_array(spec)
    return v.astype(DTYPES[spec["dtype"]])


def _linear(g, fan_in, fan_out):
    # torch: nn.Linear.reset_parameters, evaluated in Python doubles exactly so
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
    bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    w = R.uniform(g, (fan_out, fan_in), "float32", -bound, bound)
    b_bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    b = R.uniform(g, (fan_out,), "float32", -b_bound, b_bound)
    return np.concatenate([w.reshape(-1), b])


def _call(g, op):
    fn, dt = op["fn"], op.get("dtype")
    if fn == "rand":
        return R.uniform(g, op["shape"], dt)
    if fn == "randn":
        return R.normal(g, op["shape"], dt)
    if fn == "uniform_":
        return R.uniform(g, op["shape"], dt, op["lo"], op["hi"])
    if fn == "normal_":
        return R.normal(g, op["shape"], dt, op["mean"], op["std"])
    if fn == "normal_strided":  # values in storage order; non-contiguous: scalar path
        return R.normal(g, (int(np.prod(op["shape"])),), dt, op["mean"], op["std"],
                        contiguous=False)
    if fn == "uniform_strided":
        return R.uniform(g, (int(np.prod(op["shape"])),), dt, op["lo"], op["hi"])
    if fn == "normal_tt":
        return R.normal(g, mean=_arr(op["mean"]), std=_arr(op["std"]))
    if fn == "normal_tf":
        return R.normal(g, mean=_arr(op["mean"]), std=op["std"])
    if fn == "normal_ft":
        return R.normal(g, mean=op["mean"], std=_arr(op["std"]))
    if fn == "normal_ffs":
        return R.normal(g, op["shape"], dt, op["mean"], op["std"])
    if fn == "randint":
        return R.randint(g, op["lo"], op["hi"], op["shape"], dt)
    if fn == "randperm":
        return R.randperm(g, op["n"], dt)
    if fn == "random_":
        form = op["form"]
        if form == "plain":
            return R.random_(g, op["shape"], dt)
        if form == "to":
            return R.random_(g, op["shape"], dt, high=op["hi"])
        if form == "from":
            return R.random_(g, op["shape"], dt, low=op["lo"])
        return R.random_(g, op["shape"], dt, op["lo"], op["hi"])
    if fn == "bernoulli_p":
        return R.bernoulli(g, op["p"], op["shape"], dt)
    if fn == "bernoulli_probs":
        return R.bernoulli(g, _arr(op["probs"]))
    if fn == "exponential_":
        return R.exponential(g, op["shape"], dt, op["lambd"])
    if fn == "log_normal_":
        return R.log_normal(g, op["shape"], dt, op["mean"], op["std"])
    if fn == "geometric_":
        return R.geometric(g, op["shape"], dt, op["p"])
    if fn == "cauchy_":
        return R.cauchy(g, op["shape"], dt, op["median"], op["sigma"])
    if fn == "multinomial":
        return R.multinomial(g, _arr(op["probs"]), op["k"], op["replacement"])
    if fn == "dropout":  # ones * mask == mask
        return R.dropout_mask(g, op["shape"], dt, op["p"])
    if fn == "dropout2d":
        n, c, *rest = op["shape"]
        mask = R.dropout_mask(g, (n, c) + (1,) * len(rest), dt, op["p"])
        return np.broadcast_to(mask, op["shape"])
    if fn == "linear":
        return _linear(g, op["fan_in"], op["fan_out"])
    raise ValueError(f"unknown fn {fn}")


def _record(a: np.ndarray) -> dict:
    a = np.ascontiguousarray(a).reshape(-1)
    return {"dtype": R._dtypes.name(a.dtype), "n": a.size,
            **GEN.encode(a.tobytes(), a.dtype.itemsize, a.size)}


def _sha_state(g) -> str:
    return hashlib.sha256(g.get_state().tobytes()).hexdigest()


def _first_diff(ref: dict, got: dict) -> str:
    if "hex" in ref and "hex" in got:
        rb, gb = bytes.fromhex(ref["hex"]), bytes.fromhex(got["hex"])
        size = max(1, len(rb) // max(ref["n"], 1))
        for i in range(0, min(len(rb), len(gb)), size):
            if rb[i:i + size] != gb[i:i + size]:
                return (f"element {i // size}: torch {rb[i:i + size].hex()} "
                        f"torchish {gb[i:i + size].hex()}")
    for key in ("head", "tail"):
        if ref.get(key) != got.get(key):
            return f"{key}: torch {ref.get(key)} torchish {got.get(key)}"
    return "hash differs (head and tail agree)"


def _replay_op(gens, op, case):
    kind = op["op"]
    if kind == "generator":
        gens[op["name"]] = R.Generator()
        return {"initial_seed": gens[op["name"]].initial_seed()}
    g = gens[op["gen"]]
    if kind == "manual_seed":
        r = R.manual_seed(op["seed"]) if op["gen"] == "default" else g.manual_seed(op["seed"])
        assert r is g
        return {"initial_seed": r.initial_seed(), "state": _sha_state(g)}
    if kind == "get_state":
        return {"state_hex": g.get_state().tobytes().hex()}
    if kind == "set_state":
        if "from_ref" in op:  # torch's own bytes
            raw = bytes.fromhex(case["ops"][op["from_ref"]]["result"]["state_hex"])
            st = np.frombuffer(raw, np.uint8)
        else:
            st = gens[op["from"]].get_state()
        g.set_state(st)
        return {"state": _sha_state(g)}
    if kind == "set_state_bad":
        g.set_state(np.zeros(op["size"], np.uint8))
        return {"state": _sha_state(g)}
    if kind == "call":
        return {"out": _record(_call(g, op)), "state": _sha_state(g)}
    raise ValueError(kind)


@pytest.mark.parametrize("case", _cases())
def test_rng_case(case):
    gens = {"default": R.default_generator}
    for i, op in enumerate(case["ops"]):
        ref = op["result"]
        where = f"op {i} {json.dumps({k: v for k, v in op.items() if k != 'result'})[:200]}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                got = _replay_op(gens, op, case)
            except Exception as e:  # noqa: BLE001
                if "error" not in ref:
                    raise AssertionError(f"{where}: raised {type(e).__name__}: {e}") from e
                assert [type(e).__name__, str(e).split("\n")[0]] == ref["error"], where
                got = None
        assert GEN.warning_texts(caught) == ref.get("warnings", []), f"{where}: warnings"
        if got is None:
            continue
        assert "error" not in ref, f"{where}: torch raised {ref['error']}, torchish did not"
        if "out" in ref:
            r, o = ref["out"], got["out"]
            assert (o["dtype"], o["n"]) == (r["dtype"], r["n"]), where
            assert o == r, f"{where}: {_first_diff(r, o)}"
        for key in ("initial_seed", "state_hex", "state"):
            if key in ref:
                assert got[key] == ref[key], f"{where}: {key} differs"


def test_refs_present_and_stamped():
    files = sorted(REFS.glob("*.json"))
    assert files, "no references: run .venv-torch/bin/python compat/gen_rng.py"
    for path in files:
        meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
        assert meta["torch"].startswith("2.13."), path.name
