"""float32 linspace is computed vectorised (a float64 multiply, then add, is the exactly rounded
fused multiply-add torch's kernel does when one factor is an integer below 2**29); it must equal the
exact one-rounding formula bit for bit. Bitwise agreement with torch itself is pinned by
compat/op_cases/factory.py."""

import math
import random

import numpy as np
import pytest

import torchish as torch
from torchish._ops.factory import _exact_fma, _linspace_values


def _exact(start, end, steps, f=np.float32):
    s, e = f(start), f(end)
    step = (e - s) / f(steps - 1)
    return np.array([_exact_fma(step, i, s) if i < steps // 2 else
                     _exact_fma(-step, steps - i - 1, e) for i in range(steps)]).astype(f)


def _ranges(n=120):
    rng = random.Random(0)
    out = [(-math.pi, math.pi, 2000), (0, 1, 2), (1, 0, 3), (5, 5, 4), (1e-30, 3e-30, 77),
           (0, 1e-40, 33), (-1e38, 1e38, 1001), (-2.5, 1e6, 4097)]
    pick = [lambda: rng.uniform(-10, 10), lambda: rng.uniform(-1e6, 1e6),
            lambda: rng.uniform(-1e-38, 1e-38), lambda: float(rng.randint(-100, 100))]
    for _ in range(n):
        out.append((rng.choice(pick)(), rng.choice(pick)(), rng.randint(2, 700)))
    return out


def test_vectorised_float32_linspace_is_the_exact_fma():
    for a, b, n in _ranges():
        got = _linspace_values(a, b, n, torch.float32)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got.view(np.uint32), _exact(a, b, n).view(np.uint32),
                                      err_msg=f"{a}, {b}, {n}")


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_dtypes_compute_in_float32(dtype):
    got = _linspace_values(-math.pi, math.pi, 301, dtype)
    np.testing.assert_array_equal(got, _exact(-math.pi, math.pi, 301))


def test_overflowing_range_gives_torchs_infs_and_nans():
    # torch 2.13: torch.linspace(-3e38, 3e38, 5) -> tensor([nan, inf, -inf, -inf, nan])
    got = torch.linspace(-3e38, 3e38, 5).numpy()
    np.testing.assert_array_equal(got, np.array([np.nan, np.inf, -np.inf, -np.inf, np.nan],
                                                np.float32))
