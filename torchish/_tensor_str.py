"""Tensor printing, character-for-character as torch/_tensor_str.py (torch 2.13).

Works on plain data (a numpy array plus a torch dtype name and a few flags) so the
Tensor class can call it without this module knowing anything about JAX.
Entry points: set_printoptions / get_printoptions / printoptions (torch's print
options, same names and semantics) and format_tensor (the body of Tensor.__repr__).
"""

import contextlib
import dataclasses
import math

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "format_tensor"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()

# torch: profiles set (precision, threshold, edgeitems, linewidth); unknown names are ignored.
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set print options like torch.set_printoptions.

    A profile ("default", "short", "full") is applied first and the explicit
    arguments override it. sci_mode is always assigned (torch: leaving it out
    resets it to None, i.e. automatic choice).
    """
    if profile in _PROFILES:
        (
            PRINT_OPTS.precision,
            PRINT_OPTS.threshold,
            PRINT_OPTS.edgeitems,
            PRINT_OPTS.linewidth,
        ) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current options, as keyword arguments set_printoptions accepts."""
    return dataclasses.asdict(PRINT_OPTS)


class printoptions(contextlib.ContextDecorator):
    """Temporarily change print options: ``with printoptions(precision=2): ...``.

    Accepts set_printoptions' arguments; the previous options come back on exit.
    Usable as a decorator too, like torch's contextmanager-based version.
    """

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._saved = []  # a stack, so one instance may be entered re-entrantly

    def __enter__(self):
        self._saved.append(get_printoptions())
        set_printoptions(**self._kwargs)
        return None

    def __exit__(self, *exc):
        set_printoptions(**self._saved.pop())
        return False


# ---------------------------------------------------------------------------
# element formatting

_FLOAT_NAMES = {"float16", "bfloat16", "float32", "float64"}
_COMPLEX_NAMES = {"complex64", "complex128"}


class _Formatter:
    """Chooses one format (and a common width) for every element of a tensor.

    torch: it looks only at the (summarized) values it is built from; for floats
    only the finite non-zero ones count, so nan/inf/0 never widen a column.
    """

    def __init__(self, flat, floating):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(f"{v}"))
            return
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            # torch: nothing to measure, keeps int_mode=True, sci_mode=False even
            # if sci_mode was forced by set_printoptions.
            return
        absv = np.abs(vals)
        lo, hi = absv.min(), absv.max()
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            # torch: ratio and bounds are computed in float64.
            with np.errstate(over="ignore"):
                ratio = hi / lo
            self.sci_mode = bool(ratio > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        p = PRINT_OPTS.precision
        if self.sci_mode:
            widths = (len(f"{v:.{p}e}") for v in vals.tolist())
        elif self.int_mode:
            # torch: +1 for the "." appended to integral floats.
            widths = (len(f"{v:.0f}") + 1 for v in vals.tolist())
        else:
            widths = (len(f"{v:.{p}f}") for v in vals.tolist())
        self.max_width = max(self.max_width, max(widths))

    def width(self):
        return self.max_width

    def format(self, value):
        if not self.floating:
            ret = f"{value}"
        elif self.sci_mode:
            ret = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            ret = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                ret += "."
        else:
            ret = f"{value:.{PRINT_OPTS.precision}f}"
        return ret.rjust(self.max_width)


def _element_str(value, fmt1, fmt2):
    if fmt2 is None:
        return fmt1.format(value)
    real_str = fmt1.format(value.real)
    imag_str = (fmt2.format(value.imag) + "j").lstrip()
    # torch: the imaginary part brings its own sign (incl. "-0."/"nan" cases).
    if imag_str[0] in "+-":
        return real_str + imag_str
    return real_str + "+" + imag_str


# ---------------------------------------------------------------------------
# layout


def _vector_str(vec, indent, summarize, fmt1, fmt2):
    opts = PRINT_OPTS
    # length includes the ", " between elements
    element_length = fmt1.width() + 2
    if fmt2 is not None:
        element_length += fmt2.width() + 1  # imaginary part plus "j"
    per_line = max(1, math.floor((opts.linewidth - indent) / element_length))

    e = opts.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and vec.shape[0] > 2 * e:
        # torch: the ellipsis element is " ..." (leading space), so it reads ",  ...,".
        data = (
            [_element_str(v, fmt1, fmt2) for v in vec[:e].tolist()]
            + [" ..."]
            + [_element_str(v, fmt1, fmt2) for v in vec[-e:].tolist()]
        )
    else:
        data = [_element_str(v, fmt1, fmt2) for v in vec.tolist()]

    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(arr, indent, summarize, fmt1, fmt2):
    if arr.ndim == 0:
        return _element_str(arr.item(), fmt1, fmt2)
    if arr.ndim == 1:
        return _vector_str(arr, indent, summarize, fmt1, fmt2)
    e = PRINT_OPTS.edgeitems
    n = arr.shape[0]
    if summarize and n > 2 * e:
        slices = (
            [_nested_str(arr[i], indent + 1, summarize, fmt1, fmt2) for i in range(e)]
            + ["..."]
            + [
                _nested_str(arr[i], indent + 1, summarize, fmt1, fmt2)
                for i in range(n - e, n)
            ]
        )
    else:
        slices = [_nested_str(arr[i], indent + 1, summarize, fmt1, fmt2) for i in range(n)]
    # torch: one blank line less than the rank separates sub-blocks.
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_values(arr):
    """Flat values the formatter sees when summarizing (torch: get_summarized_data)."""
    e = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr.reshape(-1)
    if arr.ndim == 1:
        # torch: with edgeitems=0 this is cat(a[:0], a[-0:]), i.e. the whole vector.
        if arr.shape[0] > 2 * e:
            return np.concatenate([arr[:e], arr[-e:]])
        return arr
    if not e:
        return arr.reshape(-1)[:0]
    n = arr.shape[0]
    rows = list(range(e)) + list(range(n - e, n)) if n > 2 * e else range(n)
    return np.concatenate([_summarized_values(arr[i]) for i in rows])


def _tensor_body(arr, kind, indent):
    """The bracketed contents, e.g. "[[1., 2.],\\n [3., 4.]]" (torch: _tensor_str)."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > PRINT_OPTS.threshold

    def measured(a):
        return _summarized_values(a) if summarize else a.reshape(-1)

    if kind == "complex":
        fmt1 = _Formatter(measured(arr.real), True)
        fmt2 = _Formatter(measured(arr.imag), True)
    else:
        fmt1, fmt2 = _Formatter(measured(arr), kind == "float"), None
    return _nested_str(arr, indent, summarize, fmt1, fmt2)


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    # torch: rfind gives -1 without a newline, so a one-line repr counts 2 extra chars.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _as_array(values, kind):
    arr = np.asarray(values)
    if kind == "float":
        # float16/bfloat16 (ml_dtypes) widen exactly; torch formats Python floats (item()).
        return arr.astype(np.float64)
    if kind == "complex":
        return arr.astype(np.complex128)
    if kind == "bool":
        return arr.astype(bool)
    return arr


def format_tensor(
    values,
    dtype_name,
    *,
    default_dtype_name="float32",
    device=None,
    requires_grad=False,
    grad_fn_name=None,
    prefix="tensor(",
    indent=None,
) -> str:
    """repr() of a strided, dense tensor exactly as torch 2.13 prints it.

    values: numpy array (any shape) holding the tensor's values; dtype_name: torch
    dtype without "torch." ("float32", "bfloat16", "int64", "complex64", ...);
    default_dtype_name: torch.get_default_dtype(); device: None when on the default
    device (CPU), else printed as given, e.g. "cuda:0"; grad_fn_name wins over
    requires_grad, as in torch.
    prefix: "tensor(" normally. nn.Parameter is "Parameter containing:\\ntensor(":
    text up to the last newline is a header and the indent comes from the last
    line, matching torch (Parameter.__repr__ prepends the header to Tensor's repr).
    indent overrides the continuation indent (default: length of prefix's last line).
    """
    if dtype_name in _FLOAT_NAMES:
        kind = "float"
    elif dtype_name in _COMPLEX_NAMES:
        kind = "complex"
    elif dtype_name == "bool":
        kind = "bool"
    else:
        kind = "int"
    arr = _as_array(values, kind)

    header, newline, line_prefix = prefix.rpartition("\n")
    if indent is None:
        indent = len(line_prefix)

    suffixes = []
    # torch: the device is shown whenever it is not the default device; the caller
    # passes None for that case (so "cpu" is printed when CUDA is the default).
    if device is not None:
        suffixes.append(f"device='{device}'")

    size_str = "size=" + str(tuple(int(d) for d in arr.shape))
    dtype_str = "dtype=torch." + dtype_name
    if arr.size == 0:
        # torch: empty tensors always show a non-(0,) shape, and any dtype other than
        # the default float one (nothing to infer int64/bool from).
        if arr.ndim != 1:
            suffixes.append(size_str)
        if dtype_name != default_dtype_name:
            suffixes.append(dtype_str)
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(size_str)
        # torch: default complex is complex128 only when the default float is float64.
        default_complex = "complex128" if default_dtype_name == "float64" else "complex64"
        if dtype_name not in (default_dtype_name, default_complex, "int64", "bool"):
            suffixes.append(dtype_str)
        body = _tensor_body(arr, kind, indent)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    return header + newline + _add_suffixes(line_prefix + body, suffixes, indent)
