"""The comparison logic checked against torch's own output: every committed reference matches
itself (and copies with other memory addresses or within-tolerance noise), and every deliberately
perturbed copy fails. Needs neither torch nor a working torchish.
"""

import copy
import functools
import json
import re
from decimal import Decimal

import pytest
import tolerances
from _compare import NUMBER, compare_records, compare_text
from _refs import REFS, case_modules, case_refs, scripts

OUTS = sorted((REFS / "scripts").glob("*.out"))
MODULES = sorted(case_modules())


def test_every_case_and_script_has_a_reference():
    missing = [s.name for s in scripts() if not (REFS / "scripts" / f"{s.stem}.out").exists()]
    missing += [
        f"{m}::{n}" for m, cases in case_modules().items() for n in cases if n not in case_refs(m)
    ]
    assert not missing, (
        f"no reference for {missing}; run `.venv-torch/bin/python compat/generate.py`"
    )
    assert json.loads((REFS / "VERSIONS.json").read_text())["torch"].startswith("2.13.")


def test_no_reference_records_a_broken_case():
    """A case whose whole record is a NameError/ImportError is a bug in the case, not torch's
    behaviour: both sides would record the same error and the case would pin nothing."""
    broken = [f"{m}::{n}" for m in case_modules() for n, rec in case_refs(m).items()
              if isinstance(rec, dict) and rec.get("error", {}).get("type")
              in ("NameError", "ImportError", "ModuleNotFoundError")]
    assert not broken, f"cases that only record their own bug: {broken}"


# ---------------------------------------------------------------- printed text


def _bump(token: str, units: int) -> str:
    """`token` moved by `units` in its last printed digit, printed the same way."""
    mantissa, e, exponent = token.partition("e")
    d = Decimal(mantissa)
    moved = d + Decimal(units).scaleb(d.as_tuple().exponent)
    text = f"{moved:f}" + ("." if mantissa.endswith(".") else "")
    return text + e + exponent


def _is_repr(token: str) -> bool:
    digits = re.split("e", token)[0].replace("-", "").replace(".", "").lstrip("0")
    return len(digits) >= tolerances.PRINTED_REPR_DIGITS


def _swap(lines, n, start, end, new):
    """The text of `lines` with line n's characters start:end replaced by `new`."""
    line = lines[n]
    return "".join(lines[:n] + [line[:start] + new + line[end:]] + lines[n + 1 :])


@pytest.mark.parametrize("out", OUTS, ids=[o.stem for o in OUTS])
def test_script_reference_matches_itself(out):
    text = out.read_text(encoding="utf-8")
    assert compare_text(text, text) == []
    assert compare_text(text, re.sub("0x[0-9a-f]+", "0xdeadbeef", text)) == []


@pytest.mark.parametrize("out", OUTS, ids=[o.stem for o in OUTS])
def test_script_perturbations(out):
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(lines)
    checked = 0
    for n, line in enumerate(lines):
        swap = functools.partial(_swap, lines, n)

        for m in NUMBER.finditer(line):
            token, (start, end) = m.group(1), m.span(1)
            integral = "." not in token and "e" not in token or token.endswith(".")
            if integral:
                bad = [swap(start, end, _bump(token, 1))]
                good = []
            elif _is_repr(token):
                bad = [swap(start, end, repr(float(token) * 1.001 + 0.001))]
                good = [swap(start, end, _bump(token, 1))]
            else:
                bad = [swap(start, end, _bump(token, 2 * tolerances.PRINTED_LAST_DIGIT_UNITS))]
                good = [swap(start, end, _bump(token, tolerances.PRINTED_LAST_DIGIT_UNITS))]
            for perturbed in bad:
                assert compare_text(text, perturbed), f"line {n + 1}: {token} -> not caught"
            for perturbed in good:
                assert compare_text(text, perturbed) == [], f"line {n + 1}: {token}: noise flagged"
            checked += 1
        word = re.search(r"[A-Za-z]", line)
        if word:
            i = word.start()
            assert compare_text(text, swap(i, i + 1, "#")), f"line {n + 1}: text change not caught"
            checked += 1
    assert compare_text(text, text + "extra\n")
    assert compare_text(text, "".join(lines[:-1]))
    assert checked > 0


@pytest.mark.parametrize(
    "ref,got,ok",
    [
        ("0.1400", "0.1401", True),
        ("0.1400", "0.1402", False),
        ("0.1400", "0.14", False),
        ("1.", "1.0000", False),
        ("1.", "2.", False),
        ("3", "4", False),
        ("3", "3.", False),
        ("1.0000e-05", "1.0001e-05", True),
        ("1.0000e-05", "1.0000e-04", False),
        ("1.0000e-05", "0.0000", False),
        ("1.3804290294647217", "1.3804291486740112", True),
        ("0.5", "0.5000000596046448", True),
        ("1.3804290294647217", "1.381", False),
        ("-0.0066", "-0.0065", True),
    ],
)
def test_printed_number_rules(ref, got, ok):
    line = "tensor([{}], grad_fn=<AddBackward0 object at 0x7f00>)"
    assert (compare_text(line.format(ref), line.format(got)) == []) is ok


# ---------------------------------------------------------------- structured records


def _sites(rec, path=(), in_values=None):
    """(path, leaf, dtype of the tensor values it belongs to or None) for every JSON leaf."""
    if isinstance(rec, dict):
        for k, v in rec.items():
            if k == "values":
                yield from _sites(v, path + (k,), rec["dtype"])
            else:
                yield from _sites(v, path + (k,), None)
    elif isinstance(rec, list):
        for i, v in enumerate(rec):
            yield from _sites(v, path + (i,), in_values)
    else:
        yield path, rec, in_values


def _set(rec, path, value):
    out = copy.deepcopy(rec)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _mutations(leaf, dtype):
    """(bad, good) replacements: bad ones must be caught, good ones (tolerated noise) must not."""
    if isinstance(leaf, bool):
        return [not leaf], []
    if isinstance(leaf, int):
        return [leaf + 1], []
    if isinstance(leaf, float):
        return [leaf + 0.1 * (1 + abs(leaf))], [leaf * (1 + 1e-9)]
    if isinstance(leaf, str):
        return ([0.0] if dtype else [leaf + "!"]), []
    return [0], []  # None


@pytest.mark.parametrize("module", MODULES)
def test_case_references_match_themselves_and_catch_perturbations(module):
    refs = case_refs(module)
    assert refs, f"no references for cases/{module}.py"
    for name, ref in refs.items():
        assert compare_records(ref, copy.deepcopy(ref)) == [], name
        for path, leaf, dtype in _sites(ref):
            bad, good = _mutations(leaf, dtype)
            for value in bad:
                assert compare_records(ref, _set(ref, path, value)), (
                    f"{name} {path}: {leaf!r}->{value!r}"
                )
            for value in good:
                assert compare_records(ref, _set(ref, path, value)) == [], f"{name} {path}: noise"
        if isinstance(ref, dict) and "dict" in ref and ref["dict"]:
            dropped = copy.deepcopy(ref)
            dropped["dict"].popitem()
            assert compare_records(ref, dropped), f"{name}: a missing key is not caught"
