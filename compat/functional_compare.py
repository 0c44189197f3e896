"""Comparing a torchish record of a functional case with torch's (tests/nn/test_functional*.py):
tensors by dtype, shape, grad_fn and values within TOL; everything else exactly."""

import math

# (rtol, atol) per dtype; float16 is computed in float32 by both libraries, then rounded
TOL = {"torch.float32": (1e-5, 1e-6), "torch.float64": (1e-10, 1e-12),
       "torch.float16": (2e-3, 1e-3)}


def _close(a, b, rtol, atol):
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(_close(x, y, rtol, atol) for x, y in zip(a, b)))
    if isinstance(a, str) or isinstance(b, str):  # nan / inf
        return a == b
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def compare(path, got, want, bad):
    """Append to `bad` a line for every difference between `got` and torch's `want`."""
    if isinstance(want, dict) and "values" in want and "dtype" in want:
        if not isinstance(got, dict) or "values" not in got:
            bad.append(f"{path}: expected a tensor, got {got!r}")
            return
        for k in ("dtype", "shape", "grad_fn"):
            if got[k] != want[k]:
                bad.append(f"{path}.{k}: {got[k]!r} != torch's {want[k]!r}")
        rtol, atol = TOL.get(want["dtype"], (0, 0))
        if got["shape"] == want["shape"] and not _close(got["values"], want["values"], rtol, atol):
            bad.append(f"{path}.values: {got['values']!r} != torch's {want['values']!r}")
    elif isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            bad.append(f"{path}: keys {sorted(got) if isinstance(got, dict) else got!r} != "
                       f"torch's {sorted(want)}")
            if isinstance(got, dict):
                bad.extend(f"  {k}: {got[k]}" for k in ("error", "backward_error") if k in got)
            return
        for k in want:
            compare(f"{path}.{k}", got[k], want[k], bad)
    elif isinstance(want, list) and want and isinstance(want[0], (dict, type(None))):
        if not isinstance(got, list) or len(got) != len(want):
            bad.append(f"{path}: {got!r} != torch's {want!r}")
            return
        for i, (g, w) in enumerate(zip(got, want)):
            compare(f"{path}[{i}]", g, w, bad)
    elif got != want:
        bad.append(f"{path}: {got!r} != torch's {want!r}")
