"""Speed of torchish._rng against torch (a benchmark, not a test).

    taskset -c 0 .venv/bin/python tests/_rng/bench_rng.py          # torchish (JAX x64 loaded)
    taskset -c 0 env TORCHISH_RNG_XLA=0 .venv/bin/python tests/_rng/bench_rng.py   # numpy only
    taskset -c 0 .venv-torch/bin/python tests/_rng/bench_rng.py    # torch, 1 thread

Prints the best of R calls in milliseconds for each operation.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPS = 30


def best(f, reps=REPS) -> float:
    f()
    b = math.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t0)
    return b * 1e3


def torch_ops():
    import torch

    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    e = torch.empty(10**6)
    return "torch " + torch.__version__, {
        "rand(1e6) f32": lambda: torch.rand(10**6, generator=g),
        "randn(1e6) f32": lambda: torch.randn(10**6, generator=g),
        "randperm(60000)": lambda: torch.randperm(60000, generator=g),
        "rand(1e6) f64": lambda: torch.rand(10**6, generator=g, dtype=torch.float64),
        "randn(1e6) f64": lambda: torch.randn(10**6, generator=g, dtype=torch.float64),
        "uniform_(-b,b) 1e6 f32": lambda: e.uniform_(-0.577, 0.577, generator=g),
        "randint(0,10,1e6)": lambda: torch.randint(0, 10, (10**6,), generator=g),
        "bernoulli_(0.5) 1e6": lambda: e.bernoulli_(0.5, generator=g),
        "exponential_ 1e6 f32": lambda: e.exponential_(generator=g),
        "randn(64,1,28,28)": lambda: torch.randn(64, 1, 28, 28, generator=g),
        "randn(3)": lambda: torch.randn(3, generator=g),
    }


def torchish_ops():
    try:
        import jax

        jax.config.update("jax_enable_x64", True)  # as the torchish core runs
    except ImportError:
        pass
    pkg = ROOT / "torchish" / "_rng"
    spec = importlib.util.spec_from_file_location(
        "rng_bench", pkg / "__init__.py", submodule_search_locations=[str(pkg)])
    R = importlib.util.module_from_spec(spec)
    sys.modules["rng_bench"] = R
    spec.loader.exec_module(R)
    g = R.Generator().manual_seed(0)
    return "torchish._rng", {
        "rand(1e6) f32": lambda: R.uniform(g, (10**6,), "float32"),
        "randn(1e6) f32": lambda: R.normal(g, (10**6,), "float32"),
        "randperm(60000)": lambda: R.randperm(g, 60000),
        "rand(1e6) f64": lambda: R.uniform(g, (10**6,), "float64"),
        "randn(1e6) f64": lambda: R.normal(g, (10**6,), "float64"),
        "uniform_(-b,b) 1e6 f32": lambda: R.uniform(g, (10**6,), "float32", -0.577, 0.577),
        "randint(0,10,1e6)": lambda: R.randint(g, 0, 10, (10**6,)),
        "bernoulli_(0.5) 1e6": lambda: R.bernoulli(g, 0.5, (10**6,), "float32"),
        "exponential_ 1e6 f32": lambda: R.exponential(g, (10**6,), "float32"),
        "randn(64,1,28,28)": lambda: R.normal(g, (64, 1, 28, 28), "float32"),
        "randn(3)": lambda: R.normal(g, (3,), "float32"),
    }


def main() -> None:
    try:
        import torch  # noqa: F401

        name, ops = torch_ops()
    except ImportError:
        name, ops = torchish_ops()
    print(name)
    for label, f in ops.items():
        reps = 5 if "f64" in label and "randn" in label else REPS
        print(f"  {label:24s} {best(f, reps):8.3f} ms")


if __name__ == "__main__":
    main()
