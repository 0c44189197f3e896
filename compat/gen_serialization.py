"""Checkpoints both ways between real torch 2.13 and torchish, for tests/test_serialization.py.

Run with the reference env (real torch):
    .venv-torch/bin/python compat/gen_serialization.py
It writes into compat/refs/serialization/:
  torch/*.pt          checkpoints saved by real torch (the payloads below, a cuda-tagged one)
  torchish/*.pt       the same payloads saved by torchish (run in the torchish env, .venv, as a
                      subprocess: `python compat/gen_serialization.py --torchish-write DIR`)
  expected.json       what each payload holds (observe()), and torch's error texts
  verdict.json        real torch loading every torchish/*.pt (weights_only=True): "ok" when the
                      loaded object equals the payload, else the difference or the error
The payload builders take the torch module as an argument, so both libraries build the same data.
"""

import io
import json
import math
import os
import subprocess
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "refs" / "serialization"
ROOT = Path(__file__).resolve().parents[1]


def _arr(shape, seed, dtype=np.float32):
    return (np.random.RandomState(seed).randn(*shape) * 2).astype(dtype)


def payload_state_dict(torch):
    """A small MLP + BatchNorm state_dict (keys and buffers as nn.Module writes them)."""
    sd = OrderedDict()
    sd["0.weight"] = torch.tensor(_arr((4, 3), 1))
    sd["0.bias"] = torch.tensor(_arr((4,), 2))
    sd["1.weight"] = torch.ones(4)
    sd["1.bias"] = torch.zeros(4)
    sd["1.running_mean"] = torch.tensor(_arr((4,), 3))
    sd["1.running_var"] = torch.tensor(np.abs(_arr((4,), 4)))
    sd["1.num_batches_tracked"] = torch.tensor(7)
    sd["3.weight"] = torch.tensor(_arr((2, 4), 5))
    sd["3.bias"] = torch.tensor(_arr((2,), 6))
    return sd


def payload_nested(torch):
    """Every dtype, 0-d and empty tensors, views, Parameters, containers and primitives."""
    base = torch.tensor(_arr((3, 4), 7))
    return {
        "dtypes": [torch.tensor(_arr((2, 2), 8, np.float64)),
                   torch.tensor(_arr((3,), 9)).half(),
                   torch.tensor(_arr((3,), 10)).bfloat16(),
                   torch.tensor([1, -2, 3], dtype=torch.int64),
                   torch.tensor([1, -2], dtype=torch.int32),
                   torch.tensor([3, -4], dtype=torch.int16),
                   torch.tensor([5, -6], dtype=torch.int8),
                   torch.tensor([7, 250], dtype=torch.uint8),
                   torch.tensor([True, False, True]),
                   torch.tensor([1 + 2j, -3j], dtype=torch.complex64)],
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
        "transposed": base.t(),
        "row": base[1],
        "param": torch.nn.Parameter(torch.tensor(_arr((2, 3), 11))),
        "frozen": torch.nn.Parameter(torch.tensor(_arr((2,), 12)), requires_grad=False),
        "grad_leaf": torch.tensor(_arr((2,), 13)).requires_grad_(),
        "tuple": (1, 2.5, "three", None, True),
        "nested": {"a": [1, [2, {"b": torch.arange(4)}]], "s": {1, 2}},
        "ordered": OrderedDict([("z", 1), ("y", torch.tensor([2.0]))]),
        "size": torch.Size([2, 3]),
        "dtype": torch.float16,
        "device": torch.device("cpu"),
        "bytes": b"\x00\x01",
        "inf": math.inf,
        "complex": 1.5 - 2j,
    }


def payload_optimizer(torch):
    """An Adam state_dict after two steps on fixed gradients."""
    w = torch.tensor(_arr((2, 3), 14), requires_grad=True)
    b = torch.tensor(_arr((3,), 15), requires_grad=True)
    opt = torch.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.01}], lr=0.1, amsgrad=True)
    for i in range(2):
        w.grad = torch.tensor(_arr((2, 3), 16 + i))
        b.grad = torch.tensor(_arr((3,), 18 + i))
        opt.step()
    return opt.state_dict()


PAYLOADS = {"state_dict": payload_state_dict, "nested": payload_nested,
            "optimizer": payload_optimizer}


def observe(torch, obj):
    """A JSON picture of a loaded object: types, dtypes, shapes, values, requires_grad."""
    if isinstance(obj, torch.Tensor):
        return {"tensor": type(obj).__name__, "dtype": str(obj.dtype), "shape": list(obj.shape),
                "requires_grad": obj.requires_grad,
                "values": [[v.real, v.imag] if isinstance(v, complex) else v
                           for v in obj.detach().reshape(-1).tolist()]}
    if isinstance(obj, dict):
        return {type(obj).__name__: [[observe(torch, k), observe(torch, v)]
                                     for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)) and type(obj).__name__ in ("list", "tuple", "Size"):
        return {type(obj).__name__: [observe(torch, v) for v in obj]}
    if isinstance(obj, (set, frozenset)):
        return {"set": sorted(observe(torch, v) for v in obj)}
    if isinstance(obj, float) and not math.isfinite(obj):
        return {"float": repr(obj)}
    if isinstance(obj, complex):
        return {"complex": [obj.real, obj.imag]}
    if isinstance(obj, bytes):
        return {"bytes": list(obj)}
    if isinstance(obj, (torch.dtype, torch.device)):
        return {type(obj).__name__: str(obj)}
    return obj


UNSAFE = {"posix_system": ("posix", "system"), "builtins_eval": ("builtins", "eval"),
          "subprocess_call": ("subprocess", "getoutput")}


def unsafe_pickle(module, name, arg):
    """data.pkl bytes that call module.name(arg) when unpickled (a code-running checkpoint)."""
    return (b"\x80\x02c" + f"{module}\n{name}\n".encode() + b"q\x00X"
            + len(arg).to_bytes(4, "little") + arg.encode() + b"q\x01\x85q\x02Rq\x03.")


def write_zip(path, records):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in records.items():
            z.writestr(name, data)


def torchish_write(dest):
    """In the torchish env: save every payload with torchish."""
    sys.path.insert(0, str(ROOT))
    import torchish as torch
    seen = {}
    for name, fn in PAYLOADS.items():
        obj = fn(torch)
        torch.save(obj, os.path.join(dest, f"{name}.pt"))
        seen[name] = observe(torch, obj)
    print(json.dumps(seen))


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return {"error": type(e).__name__, "message": str(e)}
    return {"error": None}


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _refs import check_torch, write_json
    torch = check_torch()
    (OUT / "torch").mkdir(parents=True, exist_ok=True)
    (OUT / "torchish").mkdir(parents=True, exist_ok=True)
    expected = {"payloads": {}, "errors": {}}
    for name, fn in PAYLOADS.items():
        obj = fn(torch)
        torch.save(obj, OUT / "torch" / f"{name}.pt")
        expected["payloads"][name] = observe(torch, obj)
    # a checkpoint whose storages are tagged cuda:0 (written by this CPU torch)
    real_tag = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        torch.save({"w": torch.arange(3.0)}, OUT / "torch" / "cuda_tagged.pt")
    finally:
        torch.serialization.location_tag = real_tag
    cuda = OUT / "torch" / "cuda_tagged.pt"
    expected["errors"]["cuda_tagged"] = _error(lambda: torch.load(cuda))
    expected["cuda_tagged_mapped"] = observe(torch, torch.load(cuda, map_location="cpu"))
    # torch's refusal of crafted pickles (the calls are harmless no-ops here)
    for key, (module, fname) in UNSAFE.items():
        bad = io.BytesIO()
        arg = "true" if fname != "eval" else "1"
        write_zip(bad, {"archive/data.pkl": unsafe_pickle(module, fname, arg),
                        "archive/version": b"3\n"})
        expected["errors"][key] = _error(lambda: torch.load(io.BytesIO(bad.getvalue())))
    expected["errors"]["pickle_module"] = _error(
        lambda: torch.load(OUT / "torch" / "nested.pt", pickle_module=__import__("pickle"),
                           weights_only=True))
    write_json(OUT / "expected.json", expected)
    # torchish -> torch
    py = os.environ.get("TORCHISH_PYTHON", str(ROOT / ".venv" / "bin" / "python"))
    run = subprocess.run([py, __file__, "--torchish-write", str(OUT / "torchish")], check=True,
                         cwd=ROOT, capture_output=True, text=True)
    saved = json.loads(run.stdout.strip().splitlines()[-1])  # what torchish saved
    verdict = {}
    for name in PAYLOADS:
        try:
            got = observe(torch, torch.load(OUT / "torchish" / f"{name}.pt"))
            want = saved[name]
            verdict[name] = "ok" if got == want else {"got": got, "want": want}
        except Exception as e:  # noqa: BLE001
            verdict[name] = f"{type(e).__name__}: {e}"
    write_json(OUT / "verdict.json", {"torch": torch.__version__, "loaded_by_torch": verdict})
    bad_verdicts = {k: v for k, v in verdict.items() if v != "ok"}
    if bad_verdicts:
        sys.exit(f"gen_serialization: real torch disagrees with torchish files: {bad_verdicts}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--torchish-write":
        torchish_write(sys.argv[2])
    else:
        main()
