"""First sight: what a fresh process pays before its first result, with the persistent caches cold
(an empty cache directory) and warm (the same directory again). Three torchish candidates: `cold`;
`warm` (torchish's program cache, torchish/_program_cache.py: no tracing or lowering, the
executable loaded from disk); `warm_jax` (TORCHISH_PROGRAM_CACHE=0, only JAX's persistent cache,
keyed by the lowered program: tracing and lowering remain).

(a) First step of the seed and polyfit workloads (workloads.py), each in a fresh process: import,
    building the tensors, then the first step (its program(s) traced, lowered, compiled or fetched
    from the cache, and run), and the second step for contrast. Torch's first step alongside.
(b) Whole-process wall time, imports included, of the tutorial scripts: the seed autograd tutorial
    (compat/scripts/autograd_tutorial.py, notebook mode: its cell 7 raises on purpose) and the
    autograd polynomial fit (compat/scripts/polyfit_autograd.py, 2,000 steps of the polyfit
    workload), `python -m torchish run` vs `python script.py` under real torch.

Runs of each candidate are interleaved and reported as medians (the machine is shared). One more,
instrumented run per script reports where torchish's time goes: programs compiled, persistent-cache
hits (JAX's and torchish's), and JAX's trace / lowering / XLA compile / cache retrieval time.
Children import the torchish of this checkout (PYTHONPATH), so a copy of the tree can be measured
while the checkout changes (an edited torchish invalidates the program cache: by design).

    python benchmarks/first_sight.py [--runs 5] [--torch-python PATH] [--out first_sight.json]
"""

import argparse
import gc
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPTS = {"autograd_tutorial": ("compat/scripts/autograd_tutorial.py", True),
           "polyfit_autograd": ("compat/scripts/polyfit_autograd.py", False)}  # (path, cells)
WORKLOADS = ("seed", "polyfit")
XLA_EVENTS = {"/jax/core/compile/jaxpr_trace_duration": "trace_ms",
              "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower_ms",
              "/jax/core/compile/backend_compile_duration": "xla_compile_ms",
              "/jax/compilation_cache/cache_retrieval_time_sec": "cache_fetch_ms"}


# ---- children (each runs in a fresh process) -------------------------------------------------

def _xla_listeners():
    """Sum JAX's compile-path durations and count persistent-cache hits/misses."""
    import jax.monitoring as mon

    acc = {k: 0.0 for k in XLA_EVENTS.values()}
    acc.update(cache_hits=0, cache_misses=0)

    def on_duration(event, secs, **_):
        if event in XLA_EVENTS:
            acc[XLA_EVENTS[event]] += secs * 1e3

    def on_event(event, **_):
        if event == "/jax/compilation_cache/cache_hits":
            acc["cache_hits"] += 1
        elif event == "/jax/compilation_cache/cache_misses":
            acc["cache_misses"] += 1
    mon.register_event_duration_secs_listener(on_duration)
    mon.register_event_listener(on_event)
    return acc


def _sync(x):
    x.item()  # what a script does; float(x.detach()) would cost torchish one more program


def _gc_listener():
    """Sum the cyclic garbage collector's pauses, per generation (a full collection scans every
    object the imports made: tens of milliseconds)."""
    acc, start = {"gc_ms": 0.0, "gc_full": 0}, [0.0]

    def on_gc(phase, info):
        if phase == "start":
            start[0] = time.perf_counter()
        else:
            acc["gc_ms"] += (time.perf_counter() - start[0]) * 1e3
            acc["gc_full"] += info["generation"] == 2
    gc.callbacks.append(on_gc)
    return acc


def child_first(lib, name):
    """Print the phases of the first steps of workload `name` under `lib` as JSON."""
    t0 = time.perf_counter()
    mod = importlib.import_module(lib)
    t1 = time.perf_counter()
    acc = _xla_listeners() if lib == "torchish" else {}
    sys.path.insert(0, HERE)
    import workloads

    gcs = _gc_listener()
    t2 = time.perf_counter()
    step = workloads.WORKLOADS[name](mod)
    t3 = time.perf_counter()
    _sync(step())
    t4 = time.perf_counter()
    first_gc = dict(gcs)
    if lib == "torchish":
        acc["programs_step1"] = mod.compile_cache_stats()[1]
        acc.update(_program_cache_stats())
        first_xla = dict(acc)
    _sync(step())
    t5 = time.perf_counter()
    out = {"import_ms": (t1 - t0) * 1e3, "make_ms": (t3 - t2) * 1e3, "step1_ms": (t4 - t3) * 1e3,
           "first_ms": (t4 - t2) * 1e3, "step2_ms": (t5 - t4) * 1e3, **first_gc}
    if lib == "torchish":
        out.update(first_xla)  # the compile path during build + step 1
        out["programs_step2"] = mod.compile_cache_stats()[1] - first_xla["programs_step1"]
    print(json.dumps(out))


def _program_cache_stats():
    from torchish._program_cache import stats
    return {"prog_hits": stats.hits, "prog_misses": stats.misses}


def child_script(path, cells, instrumented):
    """Run a script as `python -m torchish run [--cells]` does; with `instrumented`, print the
    compile-path breakdown as JSON on the last line of stderr."""
    acc = _xla_listeners() if instrumented else None
    gcs = _gc_listener() if instrumented else None
    from torchish.__main__ import main

    rc = main(["run", "--cells", path] if cells else ["run", path])
    if instrumented:
        import torchish
        acc.update(gcs, programs=torchish.compile_cache_stats()[1], **_program_cache_stats())
        print(json.dumps(acc), file=sys.stderr)
    return rc


def child_torch_cells(path):
    """Notebook mode under real torch, through torchish/_cells.py loaded by path (as
    compat/gen_scripts.py makes the references): torchish itself is not imported."""
    spec = importlib.util.spec_from_file_location("_torchish_cells",
                                                  os.path.join(ROOT, "torchish", "_cells.py"))
    cells = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cells)
    with cells.as_main(path, []) as ns:
        cells.run_cells(cells.read_source(path), ns["__file__"], ns, tracebacks=False)


# ---- the parent ---------------------------------------------------------------------------------

def _env(cache_dir, program_cache=True):
    env = dict(os.environ)
    env.pop("TORCHISH_COMPILATION_CACHE", None)
    env["TORCHISH_PROGRAM_CACHE"] = "1" if program_cache else "0"
    env["TORCHISH_CACHE_DIR"] = cache_dir
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _run(cmd, env, json_from=None):
    """(wall seconds, parsed JSON from the last line of stdout/stderr or None)."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    text = {"stdout": p.stdout, "stderr": p.stderr}.get(json_from)
    return wall, (json.loads(text.strip().splitlines()[-1]) if text else None)


def _torch_python(arg):
    if arg:
        return arg
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    venv = os.path.join(ROOT, ".venv-torch", "bin", "python")
    return venv if os.path.exists(venv) else None


def _median_dict(rows):
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--torch-python", help="a python with real torch (default: this one if it has "
                    "torch, else .venv-torch/bin/python)")
    ap.add_argument("--out", default=os.path.join(HERE, "first_sight.json"))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "first":
            return child_first(*rest)
        if kind == "script":
            return child_script(rest[0], rest[1] == "cells", rest[2] == "instrumented")
        return child_torch_cells(rest[0])

    py, me = sys.executable, os.path.abspath(__file__)
    tpy = _torch_python(args.torch_python)
    tmp = tempfile.mkdtemp(prefix="first_sight_")
    warm_dir = os.path.join(tmp, "warm")
    warm_env, jax_env = _env(warm_dir), _env(os.path.join(tmp, "warm_jax"), program_cache=False)
    n_cold = 0

    def cold_env():
        nonlocal n_cold
        n_cold += 1
        return _env(os.path.join(tmp, f"cold{n_cold}"))  # a fresh, empty cache directory

    def script_cmds(name):
        path, cells = SCRIPTS[name]
        ti = [py, "-m", "torchish", "run"] + (["--cells"] if cells else []) + [path]
        tt = [tpy, me, "--child", "torch_cells", path] if cells else [tpy, path]
        return ti, tt

    try:
        # prepare the warm caches: every program of every workload and script, once
        for env in (warm_env, jax_env):
            for name in WORKLOADS:
                _run([py, me, "--child", "first", "torchish", name], env)
            for name in SCRIPTS:
                _run(script_cmds(name)[0], env)

        first = {}
        for name in WORKLOADS:
            rows = {"cold": [], "warm": [], "warm_jax": [], "torch": []}
            child = [py, me, "--child", "first", "torchish", name]
            for _ in range(args.runs):
                rows["cold"].append(_run(child, cold_env(), "stdout")[1])
                rows["warm"].append(_run(child, warm_env, "stdout")[1])
                rows["warm_jax"].append(_run(child, jax_env, "stdout")[1])
                if tpy:
                    rows["torch"].append(_run([tpy, me, "--child", "first", "torch", name],
                                              warm_env, "stdout")[1])
            first[name] = {k: _median_dict(v) for k, v in rows.items() if v}

        scripts = {}
        for name in SCRIPTS:
            ti, tt = script_cmds(name)
            walls = {"cold": [], "warm": [], "warm_jax": [], "torch": []}
            for _ in range(args.runs):
                walls["cold"].append(_run(ti, cold_env())[0])
                walls["warm"].append(_run(ti, warm_env)[0])
                walls["warm_jax"].append(_run(ti, jax_env)[0])
                if tpy:
                    walls["torch"].append(_run(tt, os.environ)[0])
            path, cells = SCRIPTS[name]
            inst = [py, me, "--child", "script", path, "cells" if cells else "whole",
                    "instrumented"]
            res = {k: statistics.median(v) for k, v in walls.items() if v}
            res["runs_s"] = walls
            res["breakdown_cold"] = _run(inst, cold_env(), "stderr")[1]
            res["breakdown_warm"] = _run(inst, warm_env, "stderr")[1]
            res["breakdown_warm_jax"] = _run(inst, jax_env, "stderr")[1]
            scripts[name] = res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"first step, ms (medians of {args.runs} fresh processes; first = build the tensors + "
          "step 1; trace..gc: JAX's compile path and the garbage collector during it)")
    print(f"{'workload':9} {'cache':8} {'import':>7} {'build':>6} {'step 1':>7} {'first':>7} "
          f"{'step 2':>7} {'progs':>6} {'hits':>9} {'trace':>6} {'lower':>6} {'compile':>8} "
          f"{'fetch':>6} {'gc':>5}")
    for name, r in first.items():
        for k, m in r.items():
            progs = (f"{m['programs_step1']:.0f}+{m['programs_step2']:.0f}"
                     if "programs_step1" in m else "")
            hits = (f"{m['cache_hits']:.0f}/{m['prog_hits']:.0f}" if "prog_hits" in m else "")
            print(f"{name:9} {k:8} {m['import_ms']:7.0f} {m['make_ms']:6.1f} {m['step1_ms']:7.1f} "
                  f"{m['first_ms']:7.1f} {m['step2_ms']:7.2f} {progs:>6} "
                  f"{hits:>9} {m.get('trace_ms', 0):6.1f} "
                  f"{m.get('lower_ms', 0):6.1f} {m.get('xla_compile_ms', 0):8.1f} "
                  f"{m.get('cache_fetch_ms', 0):6.1f} {m['gc_ms']:5.1f}")
    print("(hits: JAX's persistent cache / torchish's program cache)")
    print(f"\nwhole process, s (medians of {args.runs}; torchish: python -m torchish run)")
    print(f"{'script':18} {'cold':>6} {'warm':>6} {'warm_jax':>8} {'torch':>6} {'cold/torch':>10} "
          f"{'warm/torch':>10}  warm run: programs (loaded), trace/lower/compile/fetch/gc ms")
    for name, r in scripts.items():
        t = r.get("torch", float("nan"))
        b = r["breakdown_warm"]
        print(f"{name:18} {r['cold']:6.2f} {r['warm']:6.2f} {r['warm_jax']:8.2f} {t:6.2f} "
              f"{r['cold'] / t:10.2f} {r['warm'] / t:10.2f}  {b['programs']} "
              f"({b['prog_hits']}), {b['trace_ms']:.0f}/{b['lower_ms']:.0f}/"
              f"{b['xla_compile_ms']:.0f}/{b['cache_fetch_ms']:.0f}/{b['gc_ms']:.0f}")
    import jax
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
            "python": platform.python_version(), "jax": jax.__version__, "runs": args.runs,
            "torch_python": tpy and os.path.relpath(tpy, ROOT),
            "loadavg_1_5_15": os.getloadavg()}
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "first_step": first, "scripts": scripts}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
