"""torchish._dtypes against torch 2.13: dtype objects, promote_types, can_cast, result_type and the
result dtypes of binary ops over every pair of dtypes and operand kinds, finfo/iinfo, and the
default dtype (references: compat/refs/ops/dtypes.json from compat/gen_ops.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torchish  # noqa: E402
from compat import op_cases  # noqa: E402

REFS = op_cases.refs("dtypes")
CASES = dict(op_cases.cases("dtypes"))
UNSUPPORTED = "complex32"  # torch's ComplexHalf: JAX has no such type


def _table_problems(ref, got):
    promoted = REFS["result_type"]["dict"]
    bad = []
    for key, want in ref.items():
        have = got[key]
        if UNSUPPORTED in want or "ComplexHalf" in want or promoted.get(key) == UNSUPPORTED:
            if not have.startswith("!NotImplementedError: torchish:"):
                bad.append(f"{key}: torch {want}, torchish {have} (expected torchish's "
                           "NotImplementedError)")
        elif have != want:
            bad.append(f"{key}: torch {want!r}, torchish {have!r}")
    return bad


def _accept_complex32(ref, got):
    """torchish's NotImplementedError stands in for a complex32 result."""
    if ref == UNSUPPORTED and isinstance(got, str) and got.startswith("!NotImplementedError: "
                                                                      "torchish:"):
        return ref
    if isinstance(ref, list) and isinstance(got, list) and len(ref) == len(got):
        return [_accept_complex32(r, g) for r, g in zip(ref, got)]
    if isinstance(ref, dict) and isinstance(got, dict) and ref.keys() == got.keys():
        return {k: _accept_complex32(ref[k], got[k]) for k in ref}
    return got


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_torch(name):
    if name not in REFS:
        pytest.skip("no reference recorded yet (run compat/gen_ops.py)")
    ref = REFS[name]
    got = op_cases.run(CASES[name], torchish)
    if name.startswith("op_") or name in ("result_type", "unary_dtypes"):
        bad = _table_problems(ref["dict"], got["dict"])
    else:
        bad = op_cases.compare(ref, _accept_complex32(ref, got), exact=True)
    assert not bad, f"{len(bad)} differences:\n" + "\n".join(bad[:40])


def test_default_dtype_restored_after_error():
    with pytest.raises(TypeError, match="only floating-point types"):
        torchish.set_default_dtype(torchish.int64)
    assert torchish.get_default_dtype() is torchish.float32


def test_dtype_objects_are_singletons_and_pickle():
    import pickle
    assert torchish.float is torchish.float32 and torchish.long is torchish.int64
    assert pickle.loads(pickle.dumps(torchish.bfloat16)) is torchish.bfloat16
