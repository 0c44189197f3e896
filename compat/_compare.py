"""Compare torchish's output with torch's references: structured records (compat/_record.py) and
printed script output. Text, names, dtypes, shapes and errors must be exact; numbers are compared
with the tolerances of compat/tolerances.py. Both return a list of problems (empty: a match).
"""

import difflib
import json
import re
from decimal import Decimal

import tolerances

# ---------------------------------------------------------------- records


def compare_records(ref, got, path: str = "") -> list[str]:
    """Problems comparing record `got` with reference record `ref`, each prefixed by its path."""
    where = path or "<case>"
    raised = isinstance(got, dict) and isinstance(got.get("error"), dict)
    if raised and not (isinstance(ref, dict) and "error" in ref):
        error = got["error"]
        return [
            f"{where}: raised {error['type']}: {error['message']} (torch gave {_short(ref, 200)})"
        ]
    if isinstance(ref, dict):
        ((kind, body),) = ref.items()
        if not (isinstance(got, dict) and len(got) == 1 and kind in got):
            return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
        return _COMPARE[kind](body, got[kind], path)
    if isinstance(ref, list):
        if not isinstance(got, list) or len(got) != len(ref):
            return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
        return [
            p
            for i, (r, g) in enumerate(zip(ref, got))
            for p in compare_records(r, g, f"{path}[{i}]")
        ]
    if isinstance(ref, float) and isinstance(got, float):
        if tolerances.close(got, ref, *tolerances.PYTHON_FLOAT):
            return []
        return [
            f"{where}: expected {ref!r}, got {got!r} (beyond rtol/atol {tolerances.PYTHON_FLOAT})"
        ]
    if type(ref) is not type(got) or ref != got:  # bool vs int matters: True is not 1
        return [f"{where}: expected {_short(ref)}, got {_short(got)}"]
    return []


def _exact(ref, got, path):
    return [] if ref == got else [f"{path or '<case>'}: expected {_short(ref)}, got {_short(got)}"]


def _items(ref, got, path):
    return compare_records(ref, got, path)


def _dict(ref, got, path):
    if set(ref) != set(got):
        missing, extra = sorted(set(ref) - set(got)), sorted(set(got) - set(ref))
        return [f"{path or '<case>'}: keys differ: missing {missing}, unexpected {extra}"]
    return [p for k in ref for p in compare_records(ref[k], got[k], f"{path}.{k}" if path else k)]


def _tensor(ref, got, path):
    where = path or "<case>"
    problems = [
        f"{where}.{key}: expected {_short(ref[key])}, got {_short(got.get(key))}"
        for key in ("dtype", "shape", "requires_grad", "is_leaf", "grad_fn")
        if got.get(key) != ref[key]
    ]
    if got.get("shape") == ref["shape"]:
        problems += _values(ref["values"], got["values"], ref["dtype"], f"{where}.values")
    if "grad" in ref:
        if "grad" not in got:
            problems.append(f"{where}.grad: expected {_short(ref['grad'])}, got no grad entry")
        elif ref["grad"] is None or got["grad"] is None:
            problems += _exact(ref["grad"], got["grad"], f"{where}.grad")
        else:
            problems += _tensor(ref["grad"], got["grad"], f"{where}.grad")
    return problems


def _values(ref, got, dtype: str, where: str) -> list[str]:
    ref, got = _flatten(ref), _flatten(got)
    if len(ref) != len(got):
        return [f"{where}: expected {len(ref)} values, got {len(got)}"]
    tol = tolerances.tolerance(dtype)
    bad = [
        (i, r, g)
        for i, (r, g) in enumerate(zip(ref, got))
        if not (
            tolerances.close(float(g), float(r), *tol) if tol else type(r) is type(g) and r == g
        )
    ]
    if not bad:
        return []
    shown = ", ".join(f"[{i}] expected {r!r} got {g!r}" for i, r, g in bad[:5])
    more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
    rule = f"rtol={tol[0]}, atol={tol[1]}" if tol else "exact"
    return [f"{where}: {len(bad)} of {len(ref)} differ ({dtype}, {rule}): {shown}{more}"]


def _flatten(v):
    return [x for e in v for x in _flatten(e)] if isinstance(v, list) else [v]


def _error(ref, got, path):
    if ref == got:
        return []

    def show(e):
        return "no error" if e is None else f"{e['type']}: {e['message']}"

    return [f"{path or '<case>'}:\n    expected {show(ref)}\n    got      {show(got)}"]


def _short(x, limit: int = 300) -> str:
    """JSON for messages; strings (messages, reprs) are shown whole, structures cut at `limit`."""
    if isinstance(x, str):
        return repr(x)
    text = json.dumps(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_COMPARE = {
    "tensor": _tensor,
    "tuple": _items,
    "size": _exact,
    "dtype": _exact,
    "grad_fn": _exact,
    "error": _error,
    "float": _exact,
    "dict": _dict,
}

# ---------------------------------------------------------------- printed text

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# A number not glued to a word: `tensor([-0.3228,  1.])`, `1.0000e-05`, but not `AddBackward0`.
NUMBER = re.compile(r"(?<![\w.])(-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)(?!\w)")


def normalize(text: str) -> str:
    """Memory addresses differ run to run: `<AddBackward0 object at 0x...>`."""
    return ADDRESS.sub("0x...", text)


def compare_text(ref: str, got: str) -> list[str]:
    """Problems found comparing printed output `got` with reference `ref`; a readable diff last."""
    ref_lines, got_lines = normalize(ref).splitlines(), normalize(got).splitlines()
    if len(ref_lines) != len(got_lines):
        problems = [f"expected {len(ref_lines)} lines, got {len(got_lines)}"]
    else:
        problems = [
            f"line {n}: {p}"
            for n, (r, g) in enumerate(zip(ref_lines, got_lines), 1)
            for p in _compare_line(r, g)
        ]
    if problems:
        diff = difflib.unified_diff(
            ref_lines, got_lines, "torch (reference)", "torchish", lineterm=""
        )
        problems.append("diff:\n" + "\n".join(diff))
    return problems


def _compare_line(ref: str, got: str) -> list[str]:
    ref_parts, got_parts = NUMBER.split(ref), NUMBER.split(got)
    # split() alternates text, number, text, ...: odd positions are numbers.
    if len(ref_parts) != len(got_parts) or ref_parts[::2] != got_parts[::2]:
        return [f"text differs:\n    expected: {ref!r}\n    got:      {got!r}"]
    return [p for r, g in zip(ref_parts[1::2], got_parts[1::2]) if (p := _compare_number(r, g))]


def _compare_number(ref: str, got: str) -> str | None:
    """Why printed number `got` does not match `ref`, or None if it does."""
    if ref == got:
        return None
    r, g = Decimal(ref), Decimal(got)
    if _is_int(ref) or _is_int(got):
        return f"expected {ref}, got {got} (integers must be equal)"
    if (
        _digits(ref) >= tolerances.PRINTED_REPR_DIGITS
        or _digits(got) >= tolerances.PRINTED_REPR_DIGITS
    ):
        # A shortest round-trip repr (print(x.item())): its digits are noise, its value is not.
        if tolerances.close(float(g), float(r), *tolerances.PYTHON_FLOAT):
            return None
        return f"expected {ref}, got {got} (beyond rtol/atol {tolerances.PYTHON_FLOAT})"
    if _format(ref) != _format(got):
        return f"expected {ref}, got {got} (printed differently)"
    if _format(ref) == (0, False):
        # `tensor([1., 2.])`: torch prints no decimals only when every value is integral.
        return f"expected {ref}, got {got} (integral values must be equal)"
    unit = Decimal(1).scaleb(r.as_tuple().exponent) * tolerances.PRINTED_LAST_DIGIT_UNITS
    if abs(r - g) <= unit:
        return None
    units = tolerances.PRINTED_LAST_DIGIT_UNITS
    return f"expected {ref}, got {got} (more than {units} unit in the last digit)"


def _is_int(token: str) -> bool:
    return not any(c in token for c in ".eE")


def _digits(token: str) -> int:
    mantissa = re.split("[eE]", token)[0]
    return len(mantissa.replace("-", "").replace(".", "").lstrip("0"))


def _format(token: str) -> tuple:
    """What printing decides, apart from the digits: decimals shown, and the exponent's presence."""
    mantissa, _, exponent = token.lower().partition("e")
    return (len(mantissa.partition(".")[2]), bool(exponent))
