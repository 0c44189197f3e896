"""Op applications written once against a `torch` module parameter: recorded under real torch by
compat/gen_ops.py into compat/refs/ops/<family>.json, replayed under torchish by tests/_ops/.

Each family module holds CASES, a list of (name, fn) where fn(torch) returns an observation: a
tensor, a tuple or dict of them, a dtype, a string... `observe` turns it into plain JSON the
same way under both libraries, and `compare` lists the differences (names, dtypes, shapes and
errors exact; values within a per-dtype tolerance, bitwise where the case name ends in "!").
"""

import importlib
import json
import math
from pathlib import Path

FAMILIES = ("dtypes", "pointwise", "pointwise_int", "reduction", "shape", "linalg", "factory")
REFS = Path(__file__).resolve().parent.parent / "refs" / "ops"

# (rtol, atol) by dtype name: torch.testing.assert_close's defaults.
TOL = {"float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5),
       "float64": (1e-7, 1e-7), "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7)}


def cases(family):
    """The (name, fn) list of one family."""
    return importlib.import_module(f"{__name__}.{family}").CASES


_refs = {}


def refs(family):
    """{case name: record} recorded by real torch, or {} before generation."""
    if family not in _refs:
        path = REFS / f"{family}.json"
        _refs[family] = json.loads(path.read_text())["cases"] if path.exists() else {}
    return _refs[family]


# ---- helpers the cases use -------------------------------------------------------------------

def leaf(torch, data, dtype=None):
    """A leaf that requires grad."""
    return torch.tensor(data, dtype=dtype or torch.float32, requires_grad=True)


def cotangent(torch, out):
    """A fixed, non-uniform cotangent shaped like `out` (catches transposed gradients)."""
    vals = iter([1.0 + 0.5 * (i % 3) - 0.25 * (i % 2) for i in range(out.numel())])

    def nest(shape):
        return [nest(shape[1:]) for _ in range(shape[0])] if shape else next(vals)
    return torch.tensor(nest(tuple(out.shape)), dtype=out.dtype)


def grads(torch, fn, *inputs):
    """fn on leaves made from `inputs` (data lists or tensors), backward with `cotangent`; the
    output and every leaf's grad."""
    leaves = [x if isinstance(x, torch.Tensor) else leaf(torch, x) for x in inputs]
    out = fn(*leaves)
    first = out[0] if isinstance(out, tuple) else out
    first.backward(cotangent(torch, first))
    return {"out": out, "grads": tuple(x.grad for x in leaves)}


def error(fn):
    """The exception fn() raises, or the string "no error"."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every error type is recorded
        return e
    return "no error"


# ---- recording -------------------------------------------------------------------------------

def _values(v):
    if isinstance(v, list):
        return [_values(e) for e in v]
    if isinstance(v, complex):
        return [_values(v.real), _values(v.imag)]
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    return v


def _fn(node, depth):
    """A grad_fn as [name, [[next name, index, ...deeper], ...]] down to `depth` levels."""
    if node is None:
        return None
    name = type(node).__name__
    if depth == 0 or name == "AccumulateGrad":
        return [name]
    nexts = [[_fn(n, depth - 1), i] for n, i in node.next_functions]
    return [name, nexts]


def _tensor(t, torch):
    dt = str(t.dtype).replace("torch.", "")
    vals = t.detach().float().tolist() if dt == "bfloat16" else t.tolist()
    rec = {"dtype": dt, "shape": list(t.shape), "values": _values(vals),
           "requires_grad": t.requires_grad, "grad_fn": _fn(t.grad_fn, 3)}
    return {"tensor": rec}


def observe(x, torch):
    """The JSON record of one observation."""
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else {"float": repr(x)}
    if isinstance(x, complex):
        return {"complex": [observe(x.real, torch), observe(x.imag, torch)]}
    if isinstance(x, BaseException):
        return {"error": [type(x).__name__, str(x)]}
    if isinstance(x, torch.Tensor):
        return _tensor(x, torch)
    if isinstance(x, torch.dtype):
        return {"dtype": str(x)}
    if isinstance(x, torch.Size):
        return {"size": list(x)}
    if hasattr(x, "next_functions"):
        return {"grad_fn": _fn(x, 3)}
    if isinstance(x, tuple) and type(x) is not tuple:  # torch.return_types.*
        return {"named": [type(x).__name__, [observe(v, torch) for v in x]]}
    if isinstance(x, (tuple, list)):
        return [observe(v, torch) for v in x]
    if isinstance(x, dict):
        return {"dict": {str(k): observe(v, torch) for k, v in x.items()}}
    raise TypeError(f"cannot record {type(x).__qualname__}: {x!r}")


def run(fn, torch):
    """observe(fn(torch)); an exception escaping fn is the observation."""
    try:
        return observe(fn(torch), torch)
    except TypeError as e:
        if str(e).startswith("cannot record"):
            raise
        return observe(e, torch)
    except Exception as e:  # noqa: BLE001
        return observe(e, torch)


# ---- comparing -------------------------------------------------------------------------------

def compare(ref, got, exact=False, path=""):
    """Differences between a reference record and torchish's record, as readable lines."""
    where = path or "<case>"
    if isinstance(ref, dict) and len(ref) == 1:
        (kind, body), = ref.items()
        if not (isinstance(got, dict) and list(got) == [kind]):
            return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
        if kind == "tensor":
            return _compare_tensor(body, got[kind], exact, where)
        if kind == "dict":
            if set(body) != set(got[kind]):
                return [f"{where}: keys {sorted(body)} vs {sorted(got[kind])}"]
            return [p for k in body for p in compare(body[k], got[kind][k], exact, f"{path}.{k}")]
        if kind in ("named", "complex"):
            return compare(body, got[kind], exact, path)
        return [] if body == got[kind] else [f"{where}: expected {_short(ref)}, got {_short(got)}"]
    if isinstance(ref, list):
        if not isinstance(got, list) or len(got) != len(ref):
            return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
        return [p for i, (r, g) in enumerate(zip(ref, got))
                for p in compare(r, g, exact, f"{path}[{i}]")]
    if isinstance(ref, float) and isinstance(got, float) and not exact:
        return [] if _close(got, ref, TOL["float32"]) else [f"{where}: expected {ref}, got {got}"]
    if type(ref) is not type(got) or ref != got:
        return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
    return []


def _compare_tensor(ref, got, exact, where):
    out = [f"{where}.{k}: expected {_short(ref[k])}, got {_short(got[k])}"
           for k in ("dtype", "shape", "requires_grad", "grad_fn") if ref[k] != got[k]]
    if ref["shape"] != got["shape"]:
        return out
    r, g = _flat(ref["values"]), _flat(got["values"])
    tol = None if exact else TOL.get(ref["dtype"])
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(r, g))
           if not (_close(float(b), float(a), tol) if tol and not isinstance(a, bool)
                   else type(a) is type(b) and (a == b or a != a and b != b))]
    if len(r) != len(g) or bad:
        shown = ", ".join(f"[{i}] {a!r} vs {b!r}" for i, a, b in bad[:4])
        out.append(f"{where}.values ({ref['dtype']}): {len(bad)} of {len(r)} differ: {shown}")
    return out


def _close(got, ref, tol):
    if math.isnan(ref) or math.isnan(got):
        return math.isnan(ref) and math.isnan(got)
    if math.isinf(ref) or math.isinf(got):
        return got == ref
    return abs(got - ref) <= tol[1] + tol[0] * abs(ref)


def _flat(v):
    if isinstance(v, list):
        return [x for e in v for x in _flat(e)]
    return [float(v) if v in ("nan", "inf", "-inf") else v]


def _short(x, limit=240):
    s = json.dumps(x)
    return s if len(s) <= limit else s[:limit] + "..."


def check(family, name, torch):
    """Differences between torch's record of case `name` and `torch` (torchish) running it."""
    ref = refs(family).get(name)
    if ref is None:
        return None
    fn = dict(cases(family))[name]
    return compare(ref, run(fn, torch), exact=name.endswith("!"))


def assert_matches(family, name, torch, known=None):
    """pytest body: skip without a reference; xfail a failing case listed in `known`."""
    import pytest

    bad = check(family, name, torch)
    if bad is None:
        pytest.skip("no torch reference recorded (run compat/gen_ops.py)")
    if bad and known and name in known:
        pytest.xfail(known[name])
    assert not bad, "\n".join(bad)
