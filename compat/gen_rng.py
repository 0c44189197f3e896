"""Record torch 2.13's exact CPU random streams for compat/test_rng.py.

    .venv-torch/bin/python compat/gen_rng.py

Each case is a list of ops on named generators ("default" is torch's global
generator): seeding, state get/set, and calls of the random functions.  The
generator runs every op under real torch and stores what it saw next to the
op: outputs in full when small (hex of the raw little-endian bytes), else a
sha256 of the bytes plus the first and last 8 elements, and the sha256 of the
generator's 5056 state bytes after every call.  Writes compat/refs/rng/.
torch is imported only by main(): compat/test_rng.py imports this module for
the case inputs (build_array) without torch.
"""

from __future__ import annotations

import hashlib
import json
import platform
import random
import sys
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "refs" / "rng"
SIZES = [1, 15, 16, 17, 1000, 100_000]
FULL_MAX = 64  # outputs with at most this many elements are stored whole
EDGE = 8  # elements kept from each end of a hashed output
FLOATS = ["float16", "bfloat16", "float32", "float64"]
SEEDS = [0, 1, 42, 1234, 2**32 - 1, 2**32 + 5, 2**63 + 11, 2**64 - 1, -7, 67280421310721]


# -- shared with compat/test_rng.py (no torch here) ---------------------------------

def build_array(spec: dict) -> np.ndarray:
    """Input values of a case: float64 for float64 specs, else float32 (then each
    side rounds float32 to float16/bfloat16 itself, both round-to-nearest-even)."""
    n = int(np.prod(spec["shape"], dtype=np.int64))
    lo, hi = spec.get("lo", 0.0), spec.get("hi", 1.0)
    if spec.get("kind", "lin") == "lin":
        v = np.linspace(lo, hi, n)
    else:
        v = np.random.RandomState(spec["seed"]).random_sample(n) * (hi - lo) + lo
    for i in spec.get("zeros", []):
        v[i] = 0.0
    v = v.reshape(spec["shape"])
    return v if spec["dtype"] == "float64" else v.astype(np.float32)


def encode(raw: bytes, itemsize: int, n: int) -> dict:
    """A recorded output: whole when small, else hash plus both ends."""
    if n <= FULL_MAX:
        return {"hex": raw.hex()}
    k = EDGE * itemsize
    return {"sha256": hashlib.sha256(raw).hexdigest(), "head": raw[:k].hex(),
            "tail": raw[-k:].hex()}


def sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# -- the cases ------------------------------------------------------------------------

def call(fn, gen="default", **kw) -> dict:
    return {"op": "call", "fn": fn, "gen": gen, **kw}


def seeded(name, seed, ops, gen="default", new=False):
    head = [{"op": "generator", "name": gen}] if new else []
    return {"name": name, "ops": head + [{"op": "manual_seed", "gen": gen, "seed": seed}] + ops}


def _families():
    """One case per function x dtype x size: seed, call twice (the second call
    checks where the first left the stream and the normal cache)."""
    cases = []
    k = 0

    def add(name, mk, dtypes, sizes=SIZES):
        nonlocal k
        for dt in dtypes:
            for n in sizes:
                if dt in ("float16", "bfloat16") and n > 1000:
                    continue
                seed = SEEDS[k % len(SEEDS)]
                # dropout has no generator argument: always the default generator
                explicit = k % 2 == 1 and not name.startswith("dropout")
                gen, new = ("g", True) if explicit else ("default", False)
                k += 1
                cases.append(seeded(f"{name}/{dt}/n={n}", seed,
                                    [mk(dt, n, gen), mk(dt, n, gen)], gen, new))

    add("rand", lambda dt, n, g: call("rand", g, shape=[n], dtype=dt), FLOATS)
    add("randn", lambda dt, n, g: call("randn", g, shape=[n], dtype=dt), FLOATS)
    add("randn2d", lambda dt, n, g: call("randn", g, shape=[n, 3], dtype=dt),
        ["float32", "float64"], [1, 5, 6, 333])
    add("uniform_", lambda dt, n, g: call("uniform_", g, shape=[n], dtype=dt, lo=-0.37,
                                          hi=1.9), FLOATS)
    add("uniform_kaiming", lambda dt, n, g: call("uniform_", g, shape=[n], dtype=dt,
                                                 lo=-0.5773502691896258,
                                                 hi=0.5773502691896258), FLOATS)
    add("normal_", lambda dt, n, g: call("normal_", g, shape=[n], dtype=dt, mean=0.3,
                                         std=2.7), FLOATS)
    add("normal_std0", lambda dt, n, g: call("normal_", g, shape=[n], dtype=dt, mean=-1.5,
                                             std=0.0), ["float32", "float64"], [15, 17])
    add("randint", lambda dt, n, g: call("randint", g, lo=0, hi=10, shape=[n], dtype=dt),
        ["int64", "int32", "float32", "float64"])
    add("randint_wide", lambda dt, n, g: call("randint", g, lo=-5, hi=2**40, shape=[n],
                                              dtype=dt), ["int64", "float64"])
    add("randperm", lambda dt, n, g: call("randperm", g, n=n, dtype=dt), ["int64"])
    add("randperm_dt", lambda dt, n, g: call("randperm", g, n=n, dtype=dt),
        ["int32", "float32", "float64", "float16"], [1, 2, 17, 1000])
    add("bernoulli_p", lambda dt, n, g: call("bernoulli_p", g, shape=[n], dtype=dt, p=0.3),
        FLOATS + ["int64", "bool"])
    add("bernoulli_probs", lambda dt, n, g: call(
        "bernoulli_probs", g, probs={"shape": [n], "dtype": dt, "kind": "rand", "seed": n}),
        FLOATS)
    add("exponential_", lambda dt, n, g: call("exponential_", g, shape=[n], dtype=dt,
                                              lambd=1.5), FLOATS)
    add("log_normal_", lambda dt, n, g: call("log_normal_", g, shape=[n], dtype=dt,
                                             mean=0.2, std=0.7), FLOATS)
    add("geometric_", lambda dt, n, g: call("geometric_", g, shape=[n], dtype=dt, p=0.2),
        ["float32", "float64", "int64"])
    add("cauchy_", lambda dt, n, g: call("cauchy_", g, shape=[n], dtype=dt, median=0.5,
                                         sigma=2.0), FLOATS)
    add("dropout", lambda dt, n, g: call("dropout", shape=[n], dtype=dt, p=0.5), FLOATS)
    add("dropout_p", lambda dt, n, g: call("dropout", shape=[n], dtype=dt, p=0.1),
        ["float32"], [17, 1000])
    add("dropout_p8", lambda dt, n, g: call("dropout", shape=[n], dtype=dt, p=0.8),
        ["float32", "float64"], [17, 1000])
    add("normal_tt", lambda dt, n, g: call(
        "normal_tt", g, mean={"shape": [n], "dtype": dt, "lo": -2.0, "hi": 3.0},
        std={"shape": [n], "dtype": dt, "lo": 0.1, "hi": 2.0}), ["float32", "float64"])
    add("normal_tf", lambda dt, n, g: call(
        "normal_tf", g, mean={"shape": [n], "dtype": dt, "lo": -2.0, "hi": 3.0}, std=0.7),
        ["float32", "float64"])
    add("normal_ft", lambda dt, n, g: call(
        "normal_ft", g, mean=1.25, std={"shape": [n], "dtype": dt, "lo": 0.1, "hi": 2.0}),
        ["float32", "float64"])
    add("normal_ffs", lambda dt, n, g: call("normal_ffs", g, mean=-0.5, std=1.5, shape=[n],
                                            dtype=dt), ["float32", "float64"])
    add("multinomial", lambda dt, n, g: call(
        "multinomial", g, probs={"shape": [n], "dtype": dt, "kind": "rand", "seed": 7 + n},
        k=1, replacement=False), ["float32", "float64"])
    add("multinomial_norep", lambda dt, n, g: call(
        "multinomial", g, probs={"shape": [n], "dtype": dt, "kind": "rand", "seed": n},
        k=min(n, 5), replacement=False), ["float32", "float64"])
    add("multinomial_rep", lambda dt, n, g: call(
        "multinomial", g, probs={"shape": [n], "dtype": dt, "kind": "rand", "seed": n},
        k=70, replacement=True), ["float32", "float64"])
    add("random_", lambda dt, n, g: call("random_", g, shape=[n], dtype=dt, form="plain"),
        FLOATS + ["int64", "int32", "int16", "int8", "uint8", "bool"], [1, 17, 1000])
    return cases


def _specials():
    cases = []
    # seeding rules: range, wrapping, truncation, the default seed of Generator()
    for i, s in enumerate([0, 1, -1, -7, 2**32 - 1, 2**32, 2**32 + 5, 2**63, 2**64 - 1,
                           -(2**63), 3.7, True, 2**64, -(2**63) - 1]):
        for gen in ("default", "g"):
            # seed 99 first: a seed that raises must leave the stream at seed 99
            ops = [{"op": "manual_seed", "gen": gen, "seed": 99},
                   {"op": "manual_seed", "gen": gen, "seed": s},
                   call("rand", gen, shape=[3], dtype="float32")]
            if gen == "g":
                ops.insert(0, {"op": "generator", "name": "g"})
            cases.append({"name": f"seeding/{gen}/{i}", "ops": ops})
    cases.append({"name": "generator/default_seed", "ops": [
        {"op": "generator", "name": "g"}, {"op": "get_state", "gen": "g"},
        call("randn", "g", shape=[20], dtype="float32"), call("rand", "g", shape=[5],
                                                              dtype="float64")]})
    # full state bytes: fresh, with a pending normal, after crossing a regeneration,
    # then torch's bytes loaded into another generator and our own bytes copied
    cases.append(seeded("state/roundtrip", 2024, [
        {"op": "get_state", "gen": "default"},
        call("randn", shape=[3], dtype="float64"),
        {"op": "get_state", "gen": "default"},
        call("rand", shape=[700], dtype="float32"),
        {"op": "get_state", "gen": "default"},
        call("randn", shape=[5], dtype="float32"),
        {"op": "get_state", "gen": "default"},
        {"op": "generator", "name": "h"},
        {"op": "set_state", "gen": "h", "from_ref": 3},
        call("randn", "h", shape=[3], dtype="float64"),
        call("rand", "h", shape=[700], dtype="float32"),
        {"op": "generator", "name": "k"},
        {"op": "set_state", "gen": "k", "from": "default"},
        call("randn", "k", shape=[7], dtype="float32"),
        call("randn", shape=[7], dtype="float32"),
        {"op": "set_state", "gen": "default", "from_ref": 5},
        call("randn", shape=[5], dtype="float32"),
        {"op": "set_state_bad", "gen": "h", "size": 10},
        {"op": "set_state_bad", "gen": "h", "size": 5056},
    ]))
    # independent generators interleaved with the default one
    cases.append({"name": "generators/interleaved", "ops": [
        {"op": "manual_seed", "gen": "default", "seed": 5},
        {"op": "generator", "name": "a"}, {"op": "manual_seed", "gen": "a", "seed": 5},
        {"op": "generator", "name": "b"}, {"op": "manual_seed", "gen": "b", "seed": 6},
        call("randn", "a", shape=[3], dtype="float32"),
        call("randn", shape=[3], dtype="float32"),
        call("randn", "b", shape=[40], dtype="float32"),
        call("randn", "a", shape=[3], dtype="float32"),
        call("randperm", "b", n=50, dtype="int64"),
        call("randn", shape=[3], dtype="float32"),
        call("rand", "a", shape=[17], dtype="float64"),
    ]})
    # the scalar normal path: non-contiguous outputs of any size, cache carry-over
    for dt in ("float32", "float64", "float16"):
        cases.append(seeded(f"normal/strided/{dt}", 11, [
            call("normal_strided", shape=[7, 5], dtype=dt, mean=0.0, std=1.0),
            call("normal_strided", shape=[40, 3], dtype=dt, mean=1.0, std=0.5),
            call("randn", shape=[1], dtype=dt),
            call("uniform_strided", shape=[9, 4], dtype=dt, lo=-1.0, hi=1.0),
            call("randn", shape=[16], dtype=dt), call("randn", shape=[3], dtype=dt)]))
    # integer forms, the 2^28 two-word switch and torch's bounds nudging for floats
    ints = ["int64", "int32", "int16", "int8", "uint8", "bool"]
    for dt in FLOATS + ints:
        ops = [call("random_", shape=[17], dtype=dt, form="to", hi=100),
               call("random_", shape=[17], dtype=dt, form="from", lo=5)]
        if dt in ("int64", "float32", "float64", "bfloat16", "int32"):
            ops.append(call("random_", shape=[17], dtype=dt, form="from", lo=-(2**63)))
        ops.append(call("randint", lo=0, hi=2, shape=[17], dtype=dt))
        cases.append(seeded(f"random_forms/{dt}", 77, ops))
    cases.append(seeded("randint/word_switch", 3, [
        call("randint", lo=0, hi=2**28 - 1, shape=[17], dtype="int64"),
        call("randint", lo=0, hi=2**28, shape=[17], dtype="int64"),
        call("randint", lo=-(2**62), hi=2**62, shape=[17], dtype="int64"),
        call("randint", lo=0, hi=2**29, shape=[17], dtype="int32"),
        call("randint", lo=2**30 + 3, hi=2**31 - 5, shape=[17], dtype="float32"),
        call("randint", lo=3000, hi=5000, shape=[17], dtype="float16"),
        call("randint", lo=-(2**40), hi=2**40, shape=[17], dtype="float64"),
        call("randint", lo=0, hi=300, shape=[3], dtype="uint8"),
        call("randint", lo=5, hi=5, shape=[3], dtype="int64"),
    ]))
    cases.append(seeded("normal/tensor_forms_dtypes", 13, [
        call("normal_tt", mean={"shape": [40], "dtype": "float16", "lo": -2.0, "hi": 3.0},
             std={"shape": [40], "dtype": "float16", "lo": 0.1, "hi": 2.0}),
        call("normal_tt", mean={"shape": [40], "dtype": "bfloat16", "lo": -2.0, "hi": 3.0},
             std={"shape": [40], "dtype": "bfloat16", "lo": 0.1, "hi": 2.0}),
        call("normal_tt", mean={"shape": [33], "dtype": "float32", "lo": -2.0, "hi": 3.0},
             std={"shape": [33], "dtype": "float64", "lo": 0.1, "hi": 2.0}),
        call("normal_tt", mean={"shape": [33], "dtype": "float64", "lo": -2.0, "hi": 3.0},
             std={"shape": [33], "dtype": "float32", "lo": 0.1, "hi": 2.0}),
        call("normal_tt", mean={"shape": [5, 1], "dtype": "float32", "lo": -2.0, "hi": 3.0},
             std={"shape": [1, 7], "dtype": "float32", "lo": 0.1, "hi": 2.0}),
        call("normal_tt", mean={"shape": [6], "dtype": "float32", "lo": -2.0, "hi": 3.0},
             std={"shape": [6], "dtype": "float32", "lo": -1.0, "hi": 2.0}),
        call("normal_tf", mean={"shape": [20], "dtype": "float16", "lo": -2.0, "hi": 3.0},
             std=0.3),
        call("normal_ft", mean=1.1, std={"shape": [20], "dtype": "bfloat16", "lo": 0.1,
                                         "hi": 2.0}),
        call("normal_ft", mean=1.1, std={"shape": [7], "dtype": "float16", "lo": 0.1,
                                         "hi": 2.0}),
    ]))
    cases.append(seeded("uniform/bounds", 8, [
        call("uniform_", shape=[17], dtype="float32", lo=-1e30, hi=1e30),
        call("uniform_", shape=[17], dtype="float16", lo=-100.0, hi=100.0),
        call("uniform_", shape=[17], dtype="float64", lo=2.5, hi=2.5),
        call("uniform_", shape=[17], dtype="float32", lo=2.5, hi=2.5),
        call("uniform_", shape=[3], dtype="float32", lo=2.0, hi=1.0),
        call("uniform_", shape=[3], dtype="float16", lo=-1e6, hi=1e6),
        call("uniform_", shape=[0], dtype="float32", lo=0.0, hi=1.0),
    ]))
    cases.append(seeded("dropout/no_draw", 9, [
        call("dropout", shape=[17], dtype="float32", p=0.0),
        call("dropout", shape=[17], dtype="float32", p=1.0),
        call("dropout", shape=[0], dtype="float32", p=0.5),
        call("dropout", shape=[3], dtype="float32", p=1.5),
        call("dropout2d", shape=[2, 3, 4, 5], dtype="float32", p=0.5),
        call("dropout2d", shape=[4, 8, 3, 3], dtype="bfloat16", p=0.3),
        call("rand", shape=[2], dtype="float32"),
    ]))
    cases.append(seeded("multinomial/2d", 10, [
        call("multinomial", probs={"shape": [4, 30], "dtype": "float32", "kind": "rand",
                                   "seed": 1, "zeros": [3, 17]}, k=5, replacement=False),
        call("multinomial", probs={"shape": [3, 12], "dtype": "float64", "kind": "rand",
                                   "seed": 2}, k=1, replacement=True),
        call("multinomial", probs={"shape": [3, 12], "dtype": "float32", "kind": "rand",
                                   "seed": 3}, k=50, replacement=True),
        call("multinomial", probs={"shape": [27], "dtype": "float16", "kind": "rand",
                                   "seed": 4}, k=20, replacement=True),
        call("multinomial", probs={"shape": [27], "dtype": "bfloat16", "kind": "rand",
                                   "seed": 5}, k=3, replacement=False),
        call("multinomial", probs={"shape": [5], "dtype": "float32", "lo": 0.0, "hi": 0.0},
             k=1, replacement=False),
        call("multinomial", probs={"shape": [5], "dtype": "float32"}, k=6, replacement=False),
    ]))
    cases.append(seeded("errors", 12, [
        call("normal_", shape=[3], dtype="float32", mean=0.0, std=-1.0),
        call("bernoulli_p", shape=[3], dtype="float32", p=1.5),
        call("exponential_", shape=[3], dtype="float32", lambd=0.0),
        call("geometric_", shape=[3], dtype="float32", p=1.0),
        call("log_normal_", shape=[3], dtype="float32", mean=0.0, std=-1.0),
        call("randperm", n=3000, dtype="float16"),
        call("randperm", n=300, dtype="int8"),
        call("random_", shape=[3], dtype="float16", form="from", lo=-(2**63)),
        call("random_", shape=[3], dtype="int8", form="from_to", lo=-(2**40), hi=5),
        call("rand", shape=[4], dtype="float32"),
    ]))
    # torch.nn.Linear's default initialisation: kaiming_uniform_(a=sqrt(5)) then bias
    cases.append(seeded("nn/linear", 0, [
        call("linear", fan_in=784, fan_out=128), call("linear", fan_in=128, fan_out=10),
        call("linear", fan_in=3, fan_out=1)]))
    return cases


_PROGRAM_FNS = ["rand", "randn", "uniform_", "normal_", "randint", "randperm", "random_",
                "bernoulli_p", "bernoulli_probs", "exponential_", "log_normal_", "geometric_",
                "cauchy_", "multinomial", "normal_tt", "dropout", "state"]
_PROGRAM_SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 257, 1000, 2000]


def _programs(count=60, length=14):
    """Random interleaved programs over the default and two explicit generators."""
    rng = random.Random(20240613)
    cases = []
    for p in range(count):
        ops = [{"op": "manual_seed", "gen": "default", "seed": rng.choice(SEEDS)},
               {"op": "generator", "name": "g1"},
               {"op": "manual_seed", "gen": "g1", "seed": rng.randrange(-2**63, 2**64)},
               {"op": "generator", "name": "g2"}]
        for _ in range(length):
            fn = rng.choice(_PROGRAM_FNS)
            gen = rng.choice(["default", "default", "g1", "g2"])
            n = rng.choice(_PROGRAM_SIZES)
            dt = rng.choice(["float32", "float32", "float64", "float16", "bfloat16"])
            if fn == "state":
                ops.append({"op": "set_state", "gen": rng.choice(["g1", "g2"]), "from": gen})
                continue
            if fn in ("rand", "randn"):
                ops.append(call(fn, gen, shape=[n], dtype=dt))
            elif fn == "uniform_":
                ops.append(call(fn, gen, shape=[n], dtype=dt, lo=-rng.random(),
                                hi=rng.random() * 3))
            elif fn == "normal_":
                ops.append(call(fn, gen, shape=[n], dtype=dt, mean=rng.uniform(-2, 2),
                                std=rng.uniform(0, 3)))
            elif fn == "randint":
                lo = rng.randrange(-1000, 1000)
                ops.append(call(fn, gen, lo=lo, hi=lo + rng.choice([1, 2, 10, 2**20, 2**33]),
                                shape=[n], dtype="int64"))
            elif fn == "randperm":
                ops.append(call(fn, gen, n=n, dtype="int64"))
            elif fn == "random_":
                ops.append(call(fn, gen, shape=[n], dtype=rng.choice(["int64", "int32",
                                                                       "float32", "uint8"]),
                                form="plain"))
            elif fn == "bernoulli_p":
                ops.append(call(fn, gen, shape=[n], dtype=dt, p=rng.random()))
            elif fn == "bernoulli_probs":
                ops.append(call(fn, gen, probs={"shape": [n], "dtype": dt, "kind": "rand",
                                                "seed": rng.randrange(1000)}))
            elif fn == "exponential_":
                ops.append(call(fn, gen, shape=[n], dtype=dt, lambd=rng.uniform(0.1, 5)))
            elif fn == "log_normal_":
                ops.append(call(fn, gen, shape=[n], dtype=dt, mean=rng.uniform(-1, 1),
                                std=rng.uniform(0.1, 1)))
            elif fn == "geometric_":
                ops.append(call(fn, gen, shape=[n], dtype="float32",
                                p=rng.uniform(0.05, 0.95)))
            elif fn == "cauchy_":
                ops.append(call(fn, gen, shape=[n], dtype=dt, median=rng.uniform(-1, 1),
                                sigma=rng.uniform(0.1, 2)))
            elif fn == "multinomial":
                rep = rng.random() < 0.5
                ops.append(call(fn, gen, probs={"shape": [n], "dtype": rng.choice(
                    ["float32", "float64"]), "kind": "rand", "seed": rng.randrange(1000)},
                    k=rng.randint(1, 40) if rep else rng.randint(1, min(n, 8)),
                    replacement=rep))
            elif fn == "normal_tt":
                d = rng.choice(["float32", "float64"])
                ops.append(call(fn, gen, mean={"shape": [n], "dtype": d, "lo": -1, "hi": 1},
                                std={"shape": [n], "dtype": d, "lo": 0.5, "hi": 1.5}))
            elif fn == "dropout":
                ops.append(call(fn, shape=[n], dtype=dt, p=rng.choice([0.1, 0.5, 0.9])))
        cases.append({"name": f"program/{p}", "ops": ops})
    return cases


def all_cases():
    return {"streams": _families(), "special": _specials(), "programs": _programs()}


# -- running them under torch -------------------------------------------------------------

def _run_call(torch, g, op):
    F = torch.nn.functional
    dt = getattr(torch, op["dtype"]) if "dtype" in op else None
    kw = {"generator": g}

    def arr(spec):
        v = torch.from_numpy(build_array(spec))
        return v.to(getattr(torch, spec["dtype"]))

    fn = op["fn"]
    if fn == "rand":
        return torch.rand(*op["shape"], dtype=dt, **kw)
    if fn == "randn":
        return torch.randn(*op["shape"], dtype=dt, **kw)
    if fn == "uniform_":
        return torch.empty(op["shape"], dtype=dt).uniform_(op["lo"], op["hi"], **kw)
    if fn == "normal_":
        return torch.empty(op["shape"], dtype=dt).normal_(op["mean"], op["std"], **kw)
    if fn in ("normal_strided", "uniform_strided"):
        a, b = op["shape"]
        base = torch.empty(b, a, dtype=dt)
        view = base.t()
        if fn == "normal_strided":
            view.normal_(op["mean"], op["std"], **kw)
        else:
            view.uniform_(op["lo"], op["hi"], **kw)
        return base  # storage order
    if fn == "normal_tt":
        return torch.normal(arr(op["mean"]), arr(op["std"]), **kw)
    if fn == "normal_tf":
        return torch.normal(arr(op["mean"]), op["std"], **kw)
    if fn == "normal_ft":
        return torch.normal(op["mean"], arr(op["std"]), **kw)
    if fn == "normal_ffs":
        return torch.normal(op["mean"], op["std"], size=op["shape"], dtype=dt, **kw)
    if fn == "randint":
        return torch.randint(op["lo"], op["hi"], op["shape"], dtype=dt, **kw)
    if fn == "randperm":
        return torch.randperm(op["n"], dtype=dt, **kw)
    if fn == "random_":
        t = torch.empty(op["shape"], dtype=dt)
        form = op["form"]
        if form == "plain":
            return t.random_(**kw)
        if form == "to":
            return t.random_(op["hi"], **kw)
        if form == "from":
            return t.random_(op["lo"], None, **kw)
        return t.random_(op["lo"], op["hi"], **kw)
    if fn == "bernoulli_p":
        return torch.empty(op["shape"], dtype=dt).bernoulli_(op["p"], **kw)
    if fn == "bernoulli_probs":
        return torch.bernoulli(arr(op["probs"]), **kw)
    if fn == "exponential_":
        return torch.empty(op["shape"], dtype=dt).exponential_(op["lambd"], **kw)
    if fn == "log_normal_":
        return torch.empty(op["shape"], dtype=dt).log_normal_(op["mean"], op["std"], **kw)
    if fn == "geometric_":
        return torch.empty(op["shape"], dtype=dt).geometric_(op["p"], **kw)
    if fn == "cauchy_":
        return torch.empty(op["shape"], dtype=dt).cauchy_(op["median"], op["sigma"], **kw)
    if fn == "multinomial":
        return torch.multinomial(arr(op["probs"]), op["k"], op["replacement"], **kw)
    if fn == "dropout":  # F.dropout has no generator argument: the default one
        return F.dropout(torch.ones(op["shape"], dtype=dt), op["p"], training=True)
    if fn == "dropout2d":
        return F.dropout2d(torch.ones(op["shape"], dtype=dt), op["p"], training=True)
    if fn == "linear":
        lin = torch.nn.Linear(op["fan_in"], op["fan_out"])
        return torch.cat([lin.weight.detach().reshape(-1), lin.bias.detach()])
    raise ValueError(f"unknown fn {fn}")


def _tensor_record(torch, t) -> dict:
    t = t.detach().contiguous().reshape(-1)
    raw = t.view(torch.uint8).numpy().tobytes() if t.numel() else b""
    return {"dtype": str(t.dtype).removeprefix("torch."), "n": t.numel(),
            **encode(raw, t.element_size(), t.numel())}


def _state(torch, g) -> bytes:
    st = torch.get_rng_state() if g is None else g.get_state()
    return st.numpy().tobytes()


def warning_texts(caught) -> list:
    """Warning messages without torch's "(Triggered internally at ...)" suffix."""
    return [str(w.message).split(" (Triggered internally at")[0] for w in caught]


def run_case(torch, case):
    gens = {"default": None}
    for op in case["ops"]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res = _run_op(torch, gens, op, case)
            except Exception as e:  # noqa: BLE001 - torch's errors are part of the record
                res = {"error": [type(e).__name__, str(e).split("\n")[0]]}
        if caught:
            res["warnings"] = warning_texts(caught)
        op["result"] = res


def _run_op(torch, gens, op, case):
    kind = op["op"]
    if kind == "generator":
        gens[op["name"]] = torch.Generator()
        return {"initial_seed": gens[op["name"]].initial_seed()}
    g = gens[op["gen"]]
    if kind == "manual_seed":
        r = torch.manual_seed(op["seed"]) if g is None else g.manual_seed(op["seed"])
        return {"initial_seed": r.initial_seed(), "state": sha(_state(torch, g))}
    if kind == "get_state":
        return {"state_hex": _state(torch, g).hex()}
    if kind == "set_state":
        if "from_ref" in op:
            raw = bytes.fromhex(case["ops"][op["from_ref"]]["result"]["state_hex"])
            st = torch.frombuffer(bytearray(raw), dtype=torch.uint8)
        else:
            src = gens[op["from"]]
            st = torch.get_rng_state() if src is None else src.get_state()
        if g is None:
            torch.set_rng_state(st)
        else:
            g.set_state(st)
        return {"state": sha(_state(torch, g))}
    if kind == "set_state_bad":
        st = torch.zeros(op["size"], dtype=torch.uint8)
        (torch.set_rng_state if g is None else g.set_state)(st)
        return {"state": sha(_state(torch, g))}
    if kind == "call":
        out = _run_call(torch, g, op)
        return {"out": _tensor_record(torch, out), "state": sha(_state(torch, g))}
    raise ValueError(kind)


def main() -> int:
    sys.path.insert(0, str(HERE))
    from _refs import check_torch, write_json

    torch = check_torch()
    torch.set_num_threads(1)
    meta = {"torch": torch.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "machine": platform.machine(),
            "libc": " ".join(platform.libc_ver()),
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "generated_by": "compat/gen_rng.py"}
    total = 0
    for group, cases in all_cases().items():
        for case in cases:
            run_case(torch, case)
        write_json(OUT / f"{group}.json", {"meta": meta, "cases": cases})
        total += len(cases)
        print(f"rng: {group}: {len(cases)} cases")
    print(f"rng: {total} cases written to {OUT.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
