"""The one place where compat's numeric tolerances live.

A value passes when |got - ref| <= atol + rtol * |ref| (rtol, atol by the reference's dtype: the
defaults of torch.testing.assert_close). NaN matches NaN, infinities match by sign, integers and
bools compare exactly. Printed numbers (script output) pass when they differ by at most one unit in
the last printed digit, or, for long reprs such as `print(x.item())`, by the float32 tolerance.
"""

import math

# dtype -> (rtol, atol); torch.testing.assert_close's defaults for these dtypes.
BY_DTYPE = {
    "torch.float16": (1e-3, 1e-5),
    "torch.bfloat16": (1.6e-2, 1e-5),
    "torch.float32": (1.3e-6, 1e-5),
    "torch.float64": (1e-7, 1e-7),
    "torch.complex64": (1.3e-6, 1e-5),
    "torch.complex128": (1e-7, 1e-7),
}

# Python floats (`x.item()`, a float inside a list or dict) mostly come from float32 tensors.
PYTHON_FLOAT = BY_DTYPE["torch.float32"]

# Script output: how many units of the last printed digit two printed numbers may differ by.
PRINTED_LAST_DIGIT_UNITS = 1

# A printed number with this many significant digits or more is a shortest round-trip repr
# (`print(x.item())`): its digit count is noise, so it compares by value with PYTHON_FLOAT.
PRINTED_REPR_DIGITS = 10


def tolerance(dtype: str | None) -> tuple[float, float] | None:
    """(rtol, atol) for a dtype name such as 'torch.float32'; None means compare exactly."""
    if dtype is None:
        return PYTHON_FLOAT
    return BY_DTYPE.get(dtype)


def close(got: float, ref: float, rtol: float, atol: float) -> bool:
    """Whether `got` is within tolerance of `ref` (NaN equals NaN; infinities must agree)."""
    if math.isnan(ref) or math.isnan(got):
        return math.isnan(ref) and math.isnan(got)
    if math.isinf(ref) or math.isinf(got):
        return got == ref
    return abs(got - ref) <= atol + rtol * abs(ref)
