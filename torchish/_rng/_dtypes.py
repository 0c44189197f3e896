"""dtype names and torch's value conversions for the random kernels."""

from __future__ import annotations

import ml_dtypes
import numpy as np

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)
F16 = np.dtype(np.float16)
BF16 = np.dtype(ml_dtypes.bfloat16)
_FLOATS = (F16, BF16, F32, F64)
_REDUCED = (F16, BF16)

_BY_NAME = {
    "float16": F16, "half": F16, "bfloat16": BF16, "float32": F32, "float": F32,
    "float64": F64, "double": F64, "int8": np.dtype(np.int8), "int16": np.dtype(np.int16),
    "int32": np.dtype(np.int32), "int64": np.dtype(np.int64), "long": np.dtype(np.int64),
    "uint8": np.dtype(np.uint8), "bool": np.dtype(np.bool_),
}

# torch's spellings of each dtype in its messages
_SCALAR = {"float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double",
           "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long", "uint8": "Byte",
           "bool": "Bool"}
_CPP = {"float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float",
        "float64": "double", "int8": "signed char", "int16": "short int", "int32": "int",
        "int64": "long int", "uint8": "unsigned char", "bool": "bool"}


def resolve(dtype) -> np.dtype:
    """A numpy dtype from a name ('float32', 'bfloat16', ...) or a dtype."""
    if isinstance(dtype, str):
        try:
            return _BY_NAME[dtype.removeprefix("torch.")]
        except KeyError:
            raise TypeError(f"unsupported dtype {dtype!r}") from None
    dt = np.dtype(dtype)
    if dt not in _BY_NAME.values():
        raise TypeError(f"unsupported dtype {dt}")
    return dt


def name(dt) -> str:
    dt = np.dtype(dt)
    return "bfloat16" if dt == BF16 else dt.name


_STDINT = {"int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
           "uint8": "uint8_t", "bool": "bool"}


def torch_name(dt, cpp: bool = False, stdint: bool = False) -> str:
    """torch's name of a dtype: ScalarType ('Float'), C++ type ('float') or, for
    checked conversions, the fixed-width spelling ('int8_t')."""
    n = name(dt)
    if stdint:
        return _STDINT.get(n, _CPP[n])
    return _CPP[n] if cpp else _SCALAR[n]


def is_float(dt) -> bool:
    return np.dtype(dt) in _FLOATS


def digits(dt) -> int:
    """std::numeric_limits<T>::digits (significand bits) of a float type."""
    return {F16: 11, BF16: 8, F32: 24, F64: 53}[np.dtype(dt)]


def from_f64(v: np.ndarray, dt) -> np.ndarray:
    """torch's static_cast from double: reduced floats go through float."""
    dt = np.dtype(dt)
    if dt in _REDUCED:
        return v.astype(F32).astype(dt)
    if dt == np.bool_:
        return v != 0
    return v.astype(dt, copy=False)


def from_f32(v: np.ndarray, dt) -> np.ndarray:
    return v.astype(np.dtype(dt))


def from_i64(v: np.ndarray, dt) -> np.ndarray:
    """torch's static_cast from int64: wraps for ints, nonzero for bool,
    round-to-nearest for floats (reduced floats through float)."""
    dt = np.dtype(dt)
    if dt == np.bool_:
        return v != 0
    if dt in _REDUCED:
        return v.astype(F32).astype(dt)
    return v.astype(dt, copy=False)


def numel(shape) -> int:
    n = 1
    for s in shape:
        n *= int(s)
    return n


def as_shape(shape) -> tuple:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def fmt(x) -> str:
    """A number the way torch's messages print it (``2``, ``0.5``)."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e16 else repr(x)


def finfo(dt):
    """Float limits, bfloat16 included (numpy's finfo does not know it)."""
    return ml_dtypes.finfo(np.dtype(dt))
