"""The persistent program cache (torchish/_program_cache.py): a second process loads the programs
the first compiled and computes bit-identical results; damaged entries, unwritable directories and
changed signatures fall back to compiling, silently."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

import torchish as torch
from torchish import _program_cache as pc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the seed graph and a few polyfit steps (a folded no_grad update: donation, several signatures);
# prints the program-cache counters and the results' exact bits
SCRIPT = textwrap.dedent("""
    import json, math, sys
    import numpy as np
    import torchish as torch
    from torchish import _program_cache as pc

    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    out = []
    x, y = torch.ones(5), torch.zeros(3)
    w = torch.linspace(-1, 1, 15).reshape(5, 3).requires_grad_()
    b = torch.linspace(-0.5, 0.5, 3).requires_grad_()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.matmul(x, w) + b, y)
    loss.backward()
    out += [loss, w.grad, b.grad]

    xs = torch.linspace(-math.pi, math.pi, 2000)
    ys = torch.sin(xs) * scale
    a, c = torch.tensor(0.1, requires_grad=True), torch.tensor(-0.2, requires_grad=True)
    for _ in range(4):
        l2 = (a + c * xs ** 3 - ys).pow(2).sum()
        l2.backward()
        with torch.no_grad():
            for p in (a, c):
                p -= 1e-6 * p.grad
                p.grad = None
        out.append(l2.detach())
    out += [a.detach(), c.detach()]
    bits = [np.asarray(t.detach().numpy()).tobytes().hex() for t in out]
    print(json.dumps({"hits": pc.stats.hits, "misses": pc.stats.misses, "bad": pc.stats.bad,
                      "bits": bits}))
""")


def run(cache_dir, *args, **env):
    e = dict(os.environ, TORCHISH_CACHE_DIR=str(cache_dir), **env)
    e.pop("TORCHISH_COMPILATION_CACHE", None)
    e.pop("TORCHISH_PROGRAM_CACHE", None)
    e.update(env)
    p = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=e,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def entries(d):
    return sorted(f for f in os.listdir(d) if f.endswith(pc.SUFFIX)) if os.path.isdir(d) else []


def test_second_process_loads_every_program_with_identical_results(tmp_path):
    first = run(tmp_path)
    assert first["misses"] > 0 and first["hits"] == 0 and first["bad"] == 0
    assert len(entries(tmp_path)) == first["misses"]
    second = run(tmp_path)
    assert second["hits"] == first["misses"] and second["misses"] == 0
    assert second["bits"] == first["bits"]
    off = run(tmp_path, TORCHISH_PROGRAM_CACHE="0")  # plain jax.jit: the same bits
    assert off["hits"] == off["misses"] == 0 and off["bits"] == first["bits"]


def test_damaged_entries_fall_back_to_compiling(tmp_path):
    first = run(tmp_path)
    names = entries(tmp_path)
    for i, name in enumerate(names):
        path = tmp_path / name
        data = path.read_bytes()
        if i % 3 == 0:
            data = data[:len(data) // 2]  # truncated
        elif i % 3 == 1:
            data = data[:-100] + bytes(b ^ 0xFF for b in data[-100:])  # corrupted
        else:
            data = b"garbage"
        path.write_bytes(data)
    second = run(tmp_path)
    assert second["bad"] == len(names) and second["misses"] == len(names)
    assert second["bits"] == first["bits"]
    third = run(tmp_path)  # the damaged entries were rewritten
    assert third["hits"] == len(names) and third["bad"] == 0 and third["bits"] == first["bits"]


def test_a_changed_signature_misses(tmp_path):
    first = run(tmp_path)
    other = run(tmp_path, "2.0")  # the same programs, another constant: fed as data, so hits
    assert other["misses"] == 0 and other["bits"] != first["bits"]
    # another graph: the seed programs hit, the changed polyfit ones compile
    edited = SCRIPT.replace(".pow(2).sum()", ".abs().sum()")
    e = dict(os.environ, TORCHISH_CACHE_DIR=str(tmp_path))
    p = subprocess.run([sys.executable, "-c", edited], cwd=ROOT, env=e, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    assert r["hits"] > 0 and r["misses"] > 0 and r["bad"] == 0


def test_unwritable_directory_is_silent(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = run(blocker / "cache")  # neither JAX nor torchish can create it
    assert r["misses"] > 0 and r["hits"] == 0
    assert r["bits"] == run(tmp_path / "ok")["bits"]


def test_concurrent_writers_leave_whole_entries(tmp_path):
    e = dict(os.environ, TORCHISH_CACHE_DIR=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [json.loads(p.communicate(timeout=300)[0].strip().splitlines()[-1]) for p in procs]
    assert outs[0]["bits"] == outs[1]["bits"]
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")]
    r = run(tmp_path)
    assert r["misses"] == 0 and r["bad"] == 0 and r["bits"] == outs[0]["bits"]


# ---- in process -------------------------------------------------------------------------------

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(pc, "directory", str(tmp_path))
    pc.stats.reset()
    return tmp_path


def test_keys_with_foreign_ops_are_not_cached(cache_dir):
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.arange(7.0, requires_grad=True)
    Twice.apply(x * 3.5).sum().backward()
    assert pc.stats.uncacheable > 0
    assert x.grad.tolist() == [7.0] * 7


def test_key_encoding():
    from torchish._ops._registry import OPS, OpDef
    add = OPS["add"]
    enc = []
    pc._encode((add, (("alpha", 1),), torch.float32, (0, 1), -0.0, 0.0, "a"), enc, (OpDef, OPS))
    assert "oadd" in enc and "dfloat32" in enc and "f-0.0" in enc and "f0.0" in enc
    for bad in (OpDef("add", add.impl), object(), lambda x: x):
        with pytest.raises(pc._Uncacheable):
            pc._encode((1, bad), [], (OpDef, OPS))
    enc_int, enc_bool = [], []
    pc._encode(1, enc_int, (OpDef, OPS))
    pc._encode(True, enc_bool, (OpDef, OPS))
    assert enc_int != enc_bool  # 1 == True, but not the same program


def test_source_fingerprint_follows_edits(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    a = pc._source_fingerprint(str(tmp_path))
    assert pc._source_fingerprint(str(tmp_path)) == a
    (tmp_path / "m.py").write_text("x = 22\n")
    assert pc._source_fingerprint(str(tmp_path)) != a


def test_least_recently_used_entries_go_past_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pc, "directory", str(tmp_path))
    monkeypatch.setattr(pc, "MAX_BYTES", 4000)
    for i in range(8):  # 8 entries of 1000 bytes, oldest first
        p = tmp_path / f"{i}{pc.SUFFIX}"
        p.write_bytes(b"x" * 1000)
        os.utime(p, (1000 + i, 1000 + i))
    (tmp_path / "jax-entry-cache").write_bytes(b"y" * 5000)  # not ours: never touched
    pc._evict()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [f"{i}{pc.SUFFIX}" for i in range(5, 8)] + ["jax-entry-cache"], left
