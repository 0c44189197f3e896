"""dtype objects and promotion: promote_types, can_cast and result_type over every pair of the 12
dtypes, op result dtypes across operand kinds (dim>0 tensor, 0-d tensor, Python scalars),
finfo/iinfo, and what set_default_dtype changes."""

NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
         "float64", "complex64", "complex128")
SCALARS = {"b": True, "i": 2, "f": 2.5, "c": 1.5 + 0.5j}

# op name -> how it is written (both operands may be tensors or Python scalars)
BINARY = {
    "add": lambda torch, a, b: a + b,
    "sub": lambda torch, a, b: a - b,
    "mul": lambda torch, a, b: a * b,
    "div": lambda torch, a, b: torch.div(a, b) if _is_t(torch, a) else a / b,
    "truediv": lambda torch, a, b: a / b,
    "floordiv": lambda torch, a, b: a // b,
    "eq": lambda torch, a, b: a == b,
    "lt": lambda torch, a, b: a < b,
    "pow": lambda torch, a, b: a ** b,
    "where": lambda torch, a, b: torch.where(torch.tensor([True, False]), a, b),
}


def _is_t(torch, x):
    return isinstance(x, torch.Tensor)


def _operands(torch):
    """(key, operand) for every tensor kind x dtype; then the Python scalars."""
    out = []
    for n in NAMES:
        d = getattr(torch, n)
        out.append((f"t:{n}", torch.ones(2, dtype=d)))
        out.append((f"z:{n}", torch.ones((), dtype=d)))
    return out, [(f"s:{k}", v) for k, v in SCALARS.items()]


def _dtype_or_error(fn):
    try:
        return str(fn().dtype).replace("torch.", "")
    except Exception as e:  # noqa: BLE001
        return f"!{type(e).__name__}: {e}"


def _pairs(torch):
    tensors, scalars = _operands(torch)
    for ka, a in tensors:
        for kb, b in tensors + scalars:
            yield f"{ka}|{kb}", a, b
    for ka, a in scalars:
        for kb, b in tensors:
            yield f"{ka}|{kb}", a, b


def _op_table(name):
    def case(torch):
        f = BINARY[name]
        return {k: _dtype_or_error(lambda: f(torch, a, b)) for k, a, b in _pairs(torch)}
    return case


UNARY = {
    "exp": lambda t: t.exp(), "sqrt": lambda t: t.sqrt(), "abs": lambda t: t.abs(),
    "neg": lambda t: -t, "floor": lambda t: t.floor(), "sign": lambda t: t.sign(),
    "sigmoid": lambda t: t.sigmoid(), "relu": lambda t: t.relu(), "round": lambda t: t.round(),
    "reciprocal": lambda t: t.reciprocal(), "square": lambda t: t.square(),
    "logical_not": lambda t: t.logical_not(), "invert": lambda t: ~t,
    "isnan": lambda t: t.isnan(), "sum": lambda t: t.sum(), "sum_dim": lambda t: t.sum(0),
    "prod": lambda t: t.prod(), "mean": lambda t: t.mean(), "cumsum": lambda t: t.cumsum(0),
    "max": lambda t: t.max(), "argmax": lambda t: t.argmax(), "norm": lambda t: t.norm(),
    "var": lambda t: t.var(), "clamp": lambda t: t.clamp(0, 1), "pow2": lambda t: t ** 2,
    "pow_half": lambda t: t ** 0.5, "truediv2": lambda t: t / 2, "floordiv2": lambda t: t // 2,
    "mod2": lambda t: t % 2, "matmul": lambda t: t @ t, "where_scalar": lambda t: t.where(
        t != t, 0),
}


def unary_dtypes(torch):
    """Result dtype (or error) of common ops on each dtype."""
    return {f"{op}|{n}": _dtype_or_error(lambda: f(torch.ones(2, dtype=getattr(torch, n))))
            for op, f in UNARY.items() for n in NAMES}


def result_type_table(torch):
    def rt(a, b):
        try:
            return str(torch.result_type(a, b)).replace("torch.", "")
        except Exception as e:  # noqa: BLE001
            return f"!{type(e).__name__}: {e}"
    return {k: rt(a, b) for k, a, b in _pairs(torch)}


def promote_types(torch):
    return {f"{a}|{b}": _dtype_or_error(lambda: _Holder(
        torch.promote_types(getattr(torch, a), getattr(torch, b)))) for a in NAMES for b in NAMES}


def can_cast(torch):
    return {f"{a}|{b}": torch.can_cast(getattr(torch, a), getattr(torch, b))
            for a in NAMES for b in NAMES}


class _Holder:
    def __init__(self, dtype):
        self.dtype = dtype


def dtype_attributes(torch):
    out = {}
    for n in NAMES:
        d = getattr(torch, n)
        out[n] = [repr(d), str(d), d.is_floating_point, d.is_complex, d.is_signed, d.itemsize,
                  repr(d.to_real()), _dtype_or_error(lambda: _Holder(d.to_complex()))]
    return out


def aliases(torch):
    names = ("half", "float", "double", "short", "int", "long", "cfloat", "cdouble")
    return {n: getattr(torch, n) for n in names}


def finfo(torch):
    out = {}
    for n in ("float16", "bfloat16", "float32", "float64", "complex64", "complex128"):
        f = torch.finfo(getattr(torch, n))
        out[n] = [repr(f), f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution,
                  f.dtype]
    out["default"] = repr(torch.finfo())
    for n in ("int32", "bool"):
        try:
            torch.finfo(getattr(torch, n))
        except Exception as e:  # noqa: BLE001
            out[n] = f"!{type(e).__name__}: {e}"
    return out


def iinfo(torch):
    out = {}
    for n in ("bool", "uint8", "int8", "int16", "int32", "int64"):
        try:
            i = torch.iinfo(getattr(torch, n))
            out[n] = [repr(i), i.bits, i.max, i.min, i.dtype]
        except Exception as e:  # noqa: BLE001
            out[n] = f"!{type(e).__name__}: {e}"
    try:
        torch.iinfo(torch.float32)
    except Exception as e:  # noqa: BLE001
        out["float32"] = f"!{type(e).__name__}: {e}"
    return out


def _under_default(torch, d, fn):
    old = torch.get_default_dtype()
    torch.set_default_dtype(d)
    try:
        return fn()
    finally:
        torch.set_default_dtype(old)


def default_float64(torch):
    def body():
        i = torch.tensor([1, 2])
        f32 = torch.tensor([1.0], dtype=torch.float32)
        return {
            "get": torch.get_default_dtype(),
            "tensor_float": torch.tensor([1.5]).dtype, "tensor_int": torch.tensor([1]).dtype,
            "tensor_complex": torch.tensor([1j]).dtype, "tensor_empty": torch.tensor([]).dtype,
            "arange_float": torch.arange(3.0).dtype, "arange_step": torch.arange(0, 1, 0.25),
            "arange_int": torch.arange(3).dtype, "linspace": torch.linspace(0, 1, 5).dtype,
            "zeros": torch.zeros(2).dtype, "full_float": torch.full((2,), 1.5).dtype,
            "full_int": torch.full((2,), 1).dtype, "int*float": (i * 2.5).dtype,
            "int/int": (i / i).dtype, "f32+float": (f32 + 2.5).dtype,
            "f32+complex": (f32 + 1j).dtype, "int+complex": (i + 1j).dtype,
            "int.exp": i.exp().dtype, "int.mean": error_str(lambda: i.mean()),
            "Tensor()": torch.Tensor([1, 2]).dtype, "randn_like_ones": torch.ones(1).dtype,
            "result_type": torch.result_type(i, 2.5), "finfo": repr(torch.finfo()),
        }
    return _under_default(torch, torch.float64, body)


def default_float16(torch):
    def body():
        i = torch.tensor([1, 2])
        return {"tensor_float": torch.tensor([1.5]).dtype, "int*float": (i * 2.5).dtype,
                "zeros": torch.zeros(2).dtype, "int/int": (i / i).dtype}
    return _under_default(torch, torch.float16, body)


def default_restored(torch):
    _under_default(torch, torch.float64, lambda: None)
    return [torch.get_default_dtype(), torch.tensor([1.5]).dtype]


def set_default_errors(torch):
    out = {}
    for n in ("int64", "complex64", "bool"):
        out[n] = error_str(lambda: torch.set_default_dtype(getattr(torch, n)))
    out["after"] = torch.get_default_dtype()
    return out


def error_str(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001
        return f"!{type(e).__name__}: {e}"
    return r if not hasattr(r, "dtype") else r.dtype


def is_floating_point_fns(torch):
    x = torch.ones(1, dtype=torch.float16)
    i = torch.ones(1, dtype=torch.int8)
    c = torch.ones(1, dtype=torch.complex64)
    return [torch.is_floating_point(x), torch.is_floating_point(i), torch.is_complex(c),
            x.is_floating_point(), c.is_complex(), i.element_size(), c.element_size()]


CASES = [(f"op_{n}", _op_table(n)) for n in BINARY] + [
    ("result_type", result_type_table), ("promote_types", promote_types),
    ("unary_dtypes", unary_dtypes),
    ("can_cast", can_cast), ("dtype_attributes", dtype_attributes), ("aliases", aliases),
    ("finfo", finfo), ("iinfo", iinfo), ("default_float64", default_float64),
    ("default_float16", default_float16), ("default_restored", default_restored),
    ("set_default_errors", set_default_errors), ("is_floating_point", is_floating_point_fns),
]
