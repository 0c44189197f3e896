"""Run every workload under torch eager, torchish and hand-written JAX in ONE process, interleaved.

Each round runs one ~40 ms block of every candidate in rotating order; per-step times are medians
over the rounds and ratios are medians of per-round ratios, so drift on this shared 2-core machine
hits all candidates alike. torchish runs twice: in its default (lazy) mode and with the step
wrapped in torchish.compile ("compiled": one jitted program per step). Also reported: the first step
(trace + compile; for compiled, its first two calls) and torchish's compiled-program cache misses
after warm-up. Results go to stdout and a JSON file.

    python benchmarks/run.py [--rounds 15] [--out benchmarks/results.json] [workload ...]
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402

import jax_ref  # noqa: E402
import torchish  # noqa: E402
import workloads  # noqa: E402

try:
    import torch
except ImportError:  # the comparison column is optional
    torch = None


def _sync(x):
    if hasattr(x, "block_until_ready"):
        x.block_until_ready()
    elif x is not None:
        float(x.detach())


def _block(step, n):
    t0 = time.perf_counter()
    r = None
    for _ in range(n):
        r = step()
    _sync(r)
    return (time.perf_counter() - t0) / n


def _first(make, calls=1):
    t0 = time.perf_counter()
    step = make()
    for _ in range(calls):
        _sync(step())
    return step, time.perf_counter() - t0


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench(name, rounds):
    cands = {}
    first = {}
    torchish.reset_compile_cache_stats()
    cands["torchish"], first["torchish"] = _first(lambda: workloads.WORKLOADS[name](torchish))
    warm_misses = []
    for _ in range(5):
        torchish.reset_compile_cache_stats()
        _sync(cands["torchish"]())
        warm_misses.append(torchish.compile_cache_stats()[1])
    # torchish.compile: the first call runs lazily, the second traces and compiles (both timed)
    cands["compiled"], first["compiled"] = _first(
        lambda: torchish.compile(workloads.WORKLOADS[name](torchish)), calls=2)
    cands["jax"], first["jax"] = _first(jax_ref.WORKLOADS[name])
    if torch is not None:
        cands["torch"], first["torch"] = _first(lambda: workloads.WORKLOADS[name](torch))
    n = {}
    for k, step in cands.items():
        _block(step, 10)
        t = _block(step, 20)
        n[k] = max(5, int(0.04 / max(t, 1e-6)))
    torchish.reset_compile_cache_stats()
    times = {k: [] for k in cands}
    keys = list(cands)
    for r in range(rounds):
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for k in order:
            _block(cands[k], 2)  # untimed pre-roll after switching candidates
            times[k].append(_block(cands[k], n[k]))
    steady_misses = torchish.compile_cache_stats()[1]
    # memory: RSS before/after a long torchish-only loop (flat = no growing graphs or buffers)
    rss0 = _rss_mb()
    _block(cands["torchish"], max(200, 20 * n["torchish"]))
    rss1 = _rss_mb()
    res = {"workload": name, "first_step_ms": {k: v * 1e3 for k, v in first.items()},
           "warmup_misses": warm_misses, "misses_after_warmup": steady_misses, "ms_per_step": {},
           "iqr_ms": {}, "rss_growth_mb": rss1 - rss0,
           "peak_rss_mb_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    for k, ts in times.items():
        q = statistics.quantiles(ts, n=4)
        res["ms_per_step"][k] = statistics.median(ts) * 1e3
        res["iqr_ms"][k] = [q[0] * 1e3, q[2] * 1e3]
    res["torchish_over_jax"] = statistics.median(
        a / b for a, b in zip(times["torchish"], times["jax"]))
    res["compiled_over_jax"] = statistics.median(
        a / b for a, b in zip(times["compiled"], times["jax"]))
    if torch is not None:
        res["torch_over_torchish"] = statistics.median(
            a / b for a, b in zip(times["torch"], times["torchish"]))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workloads", nargs="*", default=list(workloads.WORKLOADS))
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results.json"))
    args = ap.parse_args()
    results = [bench(w, args.rounds) for w in args.workloads]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(), "jax": jax.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "device": str(jax.devices()[0]), "peak_rss_mb": resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torchish_compiled_modules": len(torchish._native.compiled()),
    }
    print(f"{'workload':10} {'torch ms':>10} {'torchish ms':>12} {'compiled ms':>12} {'jax ms':>9} "
          f"{'torch/torchish':>15} {'torchish/jax':>13} {'compiled/jax':>13} {'first ms':>9} "
          f"{'misses':>7} {'rss+ MB':>8} {'peak MB':>8}")
    for r in results:
        ms = r["ms_per_step"]
        print(f"{r['workload']:10} {ms.get('torch', float('nan')):10.4f} {ms['torchish']:12.4f} "
              f"{ms['compiled']:12.4f} {ms['jax']:9.4f} "
              f"{r.get('torch_over_torchish', float('nan')):15.2f} "
              f"{r['torchish_over_jax']:13.2f} {r['compiled_over_jax']:13.2f} "
              f"{r['first_step_ms']['torchish']:9.1f} "
              f"{r['misses_after_warmup']:7d} {r['rss_growth_mb']:8.1f} "
              f"{r['peak_rss_mb_so_far']:8.0f}")
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
