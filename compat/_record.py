"""Observations -> JSON-able records, the same way for real torch (references) and torchish (tests).

Imports neither torch nor torchish: the module under test comes in as `torch`. Every non-plain value
is a one-key object naming its kind: {"tensor": ...}, {"tuple": [...]}, {"size": [...]},
{"dtype": "torch.float32"}, {"grad_fn": ...}, {"error": ...}, {"dict": {...}}, {"float": "nan"}.
"""

import math
import re
import warnings

# torch appends where in its C++ a warning fired: a build path, not behaviour.
_TRIGGERED = re.compile(r" \(Triggered internally at .*\)$", re.DOTALL)


class UnrecordableError(TypeError):
    """A case returned a value this module cannot record: a bug in the case, not in the library."""


class NoError:
    """What expect_error returns when the call did not raise; recorded as {"error": null}."""


def expect_error(fn):
    """Call fn(); return the exception it raises (recorded as type and message), or NoError()."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 (any error is an observation)
        return e
    return NoError()


def warnings_of(fn) -> list[str]:
    """Call fn(); return the warnings it issued as 'Category: message' strings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [f"{w.category.__name__}: {clean_message(str(w.message))}" for w in caught]


def clean_message(message: str) -> str:
    return _TRIGGERED.sub("", message)


def run_case(fn, torch):
    """The record of case fn run with the module `torch`; a raising case records its exception."""
    try:
        return record(fn(torch), torch)
    except UnrecordableError:
        raise
    except Exception as e:  # noqa: BLE001 (a raising case records its error)
        return record(e, torch)


def record(x, torch):
    """The JSON-able record of one observation."""
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else {"float": repr(x)}
    if isinstance(x, BaseException):
        return {"error": {"type": type(x).__name__, "message": clean_message(str(x))}}
    if isinstance(x, NoError):
        return {"error": None}
    if isinstance(x, torch.Tensor):
        return {"tensor": _tensor(x)}
    if isinstance(x, torch.Size):
        return {"size": list(x)}
    if isinstance(x, torch.dtype):
        return {"dtype": str(x)}
    if hasattr(x, "next_functions") and callable(getattr(x, "name", None)):
        return {"grad_fn": _grad_fn(x)}
    if isinstance(x, tuple):
        return {"tuple": [record(v, torch) for v in x]}
    if isinstance(x, list):
        return [record(v, torch) for v in x]
    if isinstance(x, dict) and all(isinstance(k, str) for k in x):
        return {"dict": {k: record(v, torch) for k, v in x.items()}}
    raise UnrecordableError(f"cannot record {type(x).__module__}.{type(x).__qualname__}: {x!r}")


def _node_name(node):
    return None if node is None else type(node).__name__


def _grad_fn(node):
    nexts = [[_node_name(n), i] for n, i in node.next_functions]
    return {"name": _node_name(node), "next_functions": nexts}


def _tensor(t, with_grad: bool = True):
    rec = {
        "values": _values(t.tolist()),
        "shape": list(t.shape),
        "dtype": str(t.dtype),
        "requires_grad": t.requires_grad,
        "is_leaf": t.is_leaf,
        "grad_fn": _node_name(t.grad_fn),
    }
    # torch warns when .grad of a non-leaf is read, so only leaves and retain_grad tensors say.
    if with_grad and (t.is_leaf or getattr(t, "retains_grad", False)):
        rec["grad"] = None if t.grad is None else _tensor(t.grad, with_grad=False)
    return rec


def _values(v):
    """tolist() output with non-finite floats as the strings 'nan', 'inf', '-inf' (strict JSON)."""
    if isinstance(v, list):
        return [_values(e) for e in v]
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if isinstance(v, complex):
        raise UnrecordableError("complex tensors are not recorded yet")
    return v
