"""Record real torch's tensor repr() for compat/test_printing.py.

Run with the reference env (real torch, never imported by torchish):
    .venv-torch/bin/python compat/gen_printing.py
Writes compat/refs/printing.json: for each case the tensor values (base64 of the
numpy bytes, with shape and storage dtype), the torch dtype name, flags, the print
options in force and torch's exact repr(); plus sequences of set_printoptions calls
with the resulting get_printoptions(). All inputs come from fixed numpy arrays.
"""

import base64
import json
import math
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs", "printing.json")

CASES = []


def _encode(t):
    # bfloat16 has no numpy dtype in the reference env: store it widened (exact).
    arr = (t.float() if t.dtype == torch.bfloat16 else t).detach().contiguous().numpy()
    return {
        "shape": list(arr.shape),
        "storage": str(arr.dtype),
        "data": base64.b64encode(arr.tobytes()).decode("ascii"),
    }


def _reset():
    torch.set_printoptions(profile="default", sci_mode=None)
    torch.set_default_dtype(torch.float32)


def record(name, t, *, opts=None, default_dtype="float32", show_device=False,
           parameter=False):
    """t: a torch tensor (or a function returning one, run under default_dtype)."""
    _reset()
    torch.set_default_dtype(getattr(torch, default_dtype))
    if callable(t):
        t = t()
    if parameter:
        t = torch.nn.Parameter(t, requires_grad=parameter == "grad")
    torch.set_printoptions(**(opts or {}))
    real_default = torch._C._get_default_device
    if show_device:
        # CPU-only torch cannot make CUDA tensors; instead print a CPU tensor the way
        # torch does when CUDA is the default device: it then shows device='cpu'.
        torch._C._get_default_device = lambda: "cuda"
    try:
        text = repr(t)
    finally:
        torch._C._get_default_device = real_default
    grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    CASES.append({
        "name": name,
        **_encode(t),
        "dtype": str(t.dtype).removeprefix("torch."),
        "default_dtype": default_dtype,
        "opts": opts or {},
        "device": "cpu" if show_device else None,
        "requires_grad": t.requires_grad,
        "grad_fn": grad_fn,
        "prefix": "Parameter containing:\ntensor(" if parameter else "tensor(",
        "repr": text,
    })
    _reset()


def T(values, dtype="float32"):
    arr = np.asarray(values)
    if dtype == "bfloat16":
        return torch.from_numpy(arr.astype(np.float32)).to(torch.bfloat16)
    return torch.from_numpy(np.ascontiguousarray(arr.astype(dtype)))


inf, nan = math.inf, math.nan
rng = np.random.default_rng(20240613)

# ---- 0-d
for v in [3.5, 1.0, -0.0, 0.0, nan, inf, -inf, 1e-5, 1.2345678e10, -7.25, 123456.789]:
    record(f"scalar_f32_{v}", T(v))
record("scalar_f64", T(2.718281828, "float64"))
record("scalar_f16", T(0.1, "float16"))
record("scalar_bf16", T(3.14159, "bfloat16"))
record("scalar_i64", T(5, "int64"))
record("scalar_i8", T(-7, "int8"))
record("scalar_u8", T(255, "uint8"))
record("scalar_bool", T(True, "bool"))
record("scalar_c64", T(1.5 - 2j, "complex64"))
record("scalar_c128", T(-0.25 + 1e-6j, "complex128"))

# ---- 1-d floats: fixed vs scientific, integral floats, special values
float_vectors = {
    "ints": [1.0, 2.0, 3.0],
    "ints_neg": [-1.0, 20.0, -300.0, 4000.0],
    "mixed": [0.1, -2.5, 3.14159265, 100.0],
    "tiny": [1e-5, 2e-5, 3.5e-5],
    "huge": [1e9, 2.5e9],
    "huge_int": [1e8, 1.0],
    "big_fixed_int": [12345678.0, 1.0, 2.0],
    "ratio_over_1000": [0.001, 1.5],
    "ratio_exact_1000": [0.1, 100.0],
    "below_1e-4": [0.00009, 0.5],
    "nan_inf": [nan, inf, -inf, 1.0],
    "nan_inf_frac": [nan, 1.5, -inf, 0.25],
    "all_zero": [0.0, 0.0, 0.0],
    "neg_zero": [-0.0, 0.0, 1.0],
    "neg_zero_frac": [-0.0, 0.5],
    "neg_zero_sci": [-0.0, 1e-7, 2.0],
    "all_nan": [nan, nan],
    "all_inf": [inf, -inf],
    "rounding": [0.00005, 0.12345, 0.99995, 1.00005],
    "rounding_half": [0.5, 1.5, 2.5, -0.5],
}
for name, vals in float_vectors.items():
    record(f"vec_{name}", T(vals))
record("vec_f64_precise", T([1 / 3, 2 / 3, 1e-3], "float64"))
record("vec_f16", T([0.1, 65504.0, -2.0], "float16"))
record("vec_f16_int", T([1.0, 2048.0], "float16"))
record("vec_bf16", T([0.1, 1e30, -3.0], "bfloat16"))
record("vec_bf16_plain", T([0.5, 1.25, -3.0], "bfloat16"))

# ---- random values of varied magnitudes and shapes
for k in [-6, -3, -1, 0, 1, 3, 5, 8, 10]:
    record(f"rand_1e{k}_2d", T(rng.standard_normal((3, 4)) * 10.0**k))
for k in [-2, 0, 4]:
    record(f"rand_1e{k}_3d_f64", T(rng.standard_normal((2, 3, 4)) * 10.0**k, "float64"))
record("rand_mixed_mag", T(rng.standard_normal(8) * 10.0 ** rng.integers(-8, 8, 8)))
record("rand_uniform_2d", T(rng.uniform(-1, 1, (5, 5))))
record("rand_int_valued", T(np.round(rng.standard_normal((4, 4)) * 100)))

# ---- layout: ranks, wrapping at linewidth
record("vec_long_wrap", T(rng.standard_normal(30)))
record("vec_long_ints", T(np.arange(40), "int64"))
record("mat_wide_wrap", T(rng.standard_normal((3, 20))))
record("rank3", T(np.arange(24).reshape(2, 3, 4), "float32"))
record("rank4", T(np.arange(48).reshape(2, 2, 3, 4), "int64"))
record("rank5", T(np.arange(32).reshape(2, 2, 2, 2, 2) - 10, "int32"))
record("rank3_wrap", T(rng.standard_normal((2, 2, 15))))
record("col_vector", T(rng.standard_normal((4, 1))))
record("size1_dims", T([[[5.0]]]))

# ---- integers and bool
record("int_widths", T([1, -10, 100, -1000, 5], "int64"))
record("int8_ext", T([-128, 0, 127], "int8"))
record("int16", T([[-32768, 7], [300, 32767]], "int16"))
record("int32", T([2**31 - 1, -(2**31)], "int32"))
record("int64_ext", T([2**63 - 1, -(2**63)], "int64"))
record("uint8", T([[0, 255], [17, 3]], "uint8"))
record("bool_vec", T([True, False, True], "bool"))
record("bool_all_true", T([True, True], "bool"))
record("bool_2d", T([[True, False], [False, True]], "bool"))

# ---- complex
record("c64_vec", T([1 + 2j, -3.5 - 0.5j, 0j], "complex64"))
record("c64_ints", T([1 + 1j, 2 - 3j], "complex64"))
record("c64_special", T(np.array([complex(nan, 1), complex(1, inf), complex(-0.0, -0.0),
                                  complex(2, -0.0)]), "complex64"))
record("c64_sci", T([1e-6 + 1e6j, 2 + 3j], "complex64"))
record("c128_2d", T(rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3)),
                    "complex128"))
record("c64_wrap", T(rng.standard_normal(12) + 1j * rng.standard_normal(12), "complex64"))

# ---- summarization (> threshold elements)
record("sum_arange", T(np.arange(2000), "int64"))
record("sum_vec_f32", T(rng.standard_normal(1500)))
record("sum_mat", T(rng.standard_normal((40, 30))))
record("sum_mat_narrow", T(rng.standard_normal((1001, 1))))
record("sum_mat_wide", T(np.arange(2 * 600).reshape(2, 600), "int16"))
record("sum_rank3", T(np.arange(11 * 10 * 10).reshape(11, 10, 10), "int16"))
record("sum_complex", T(rng.standard_normal((40, 30)) + 1j, "complex64"))
record("sum_bool", T(rng.standard_normal((30, 40)) > 0, "bool"))
# formatter only sees the edges: a huge value hidden in the middle does not matter
big = np.ones(1200, np.float32)
big[600] = 1e20
record("sum_hidden_middle", T(big))
record("sum_exactly_1000", T(np.arange(1000) * 0.5))
record("sum_1001", T(np.arange(1001) * 0.5))

# ---- empty tensors
for shape in [(0,), (0, 3), (2, 0, 4), (3, 0)]:
    record(f"empty_f32_{shape}", T(np.zeros(shape)))
for dt in ["int64", "bool", "float64", "float16", "bfloat16", "complex64", "uint8"]:
    record(f"empty_{dt}", T(np.zeros((0,)), dt))
record("empty_int64_2d", T(np.zeros((0, 2)), "int64"))

# ---- dtype suffixes, default dtype
for dt in ["float64", "float16", "bfloat16", "int8", "int16", "int32", "uint8",
           "complex128"]:
    record(f"suffix_{dt}", T([1, 2, 3], dt))
record("default_f64_f64", T([1.5, 2.0], "float64"), default_dtype="float64")
record("default_f64_f32", T([1.5, 2.0]), default_dtype="float64")
record("default_f64_c128", T([1 + 1j], "complex128"), default_dtype="float64")
record("default_f64_c64", T([1 + 1j], "complex64"), default_dtype="float64")
record("default_f64_empty_f32", T(np.zeros((0,))), default_dtype="float64")
record("default_f64_empty_f64", T(np.zeros((0,)), "float64"), default_dtype="float64")
record("default_f16_f16", T([0.5, 2.0], "float16"), default_dtype="float16")
record("default_f16_c64", T([1 + 1j], "complex64"), default_dtype="float16")
record("default_bf16_f32", T([0.5, 2.0]), default_dtype="bfloat16")

# ---- autograd flags, device, Parameter, suffix wrapping
record("req_grad", T([1.0, 2.0]).requires_grad_())
record("req_grad_f64", T([1.0, 2.0], "float64").requires_grad_())
record("grad_fn_add", lambda: T([1.0, 2.0]).requires_grad_() + 1)
record("grad_fn_mul_2d", lambda: T(rng.standard_normal((2, 3))).requires_grad_() * 2)
record("grad_fn_sum", lambda: T([1.5, 2.5]).requires_grad_().sum())
record("grad_fn_f64_long", lambda: (T(rng.standard_normal(7), "float64")
                                    .requires_grad_() * 3).exp())
record("device", T([1.0, 2.0]), show_device=True)
record("device_f16_grad", lambda: T([1.0, 2.0], "float16").requires_grad_() * 2,
       show_device=True)
record("device_empty_int", T(np.zeros((0, 3)), "int64"), show_device=True)
record("device_wrap", T(rng.standard_normal(9), "float64").requires_grad_(),
       show_device=True)
record("param", T(rng.standard_normal((2, 3))), parameter="grad")
record("param_no_grad", T([1, 2, 3], "int64"), parameter="nograd")
record("param_f64_wrap", T(rng.standard_normal((3, 7)), "float64"), parameter="grad")
record("suffix_wrap_long_line", T(rng.standard_normal(8), "float64").requires_grad_())
record("suffix_wrap_2d", T(rng.standard_normal((2, 8)), "float16").requires_grad_())

# ---- print options
record("prec2", T([1.23456, -0.001]), opts={"precision": 2})
record("prec0", T([1.5, 2.5, 3.7]), opts={"precision": 0})
record("prec0_sci", T([1.5e-7, 2.5]), opts={"precision": 0})
record("prec8_f64", T([1 / 3, 2 / 7], "float64"), opts={"precision": 8})
record("prec10_sci", T([1e-9, 1.0], "float64"), opts={"precision": 10})
record("sci_true", T([1.0, 2.5, 100.0]), opts={"sci_mode": True})
record("sci_true_ints", T([1.0, 2.0]), opts={"sci_mode": True})
record("sci_true_zeros", T([0.0, 0.0]), opts={"sci_mode": True})
record("sci_false_tiny", T([1e-7, 1.0]), opts={"sci_mode": False})
record("sci_false_huge", T([1e10, 1.0]), opts={"sci_mode": False})
record("sci_true_complex", T([1 + 2j], "complex64"), opts={"sci_mode": True})
record("threshold5", T(np.arange(10), "int64"), opts={"threshold": 5})
record("threshold0_small", T([1.0, 2.0]), opts={"threshold": 0})
record("threshold0_scalar", T(1.5), opts={"threshold": 0})
record("threshold10_2d", T(np.arange(36).reshape(6, 6), "int64"), opts={"threshold": 10})
record("threshold10_3d", T(np.arange(256).reshape(8, 4, 8) * 0.5), opts={"threshold": 10})
record("edge1", T(rng.standard_normal((10, 10))), opts={"threshold": 10, "edgeitems": 1})
record("edge5", T(np.arange(2000), "int64"), opts={"edgeitems": 5})
record("edge0_vec", T(np.arange(2000) * 1.5), opts={"edgeitems": 0})
record("edge0_mat", T(np.arange(2000).reshape(40, 50), "int64"), opts={"edgeitems": 0})
record("edge0_small", T([1.0, 2.0]), opts={"edgeitems": 0})
record("edge0_scalar", T(3.0), opts={"edgeitems": 0})
record("edge0_empty", T(np.zeros((0, 2))), opts={"edgeitems": 0})
record("edge0_complex", T(np.arange(1200) + 1j, "complex64"), opts={"edgeitems": 0})
record("linewidth40", T(rng.standard_normal(20)), opts={"linewidth": 40})
record("linewidth120", T(rng.standard_normal((3, 20))), opts={"linewidth": 120})
record("linewidth10", T(rng.standard_normal((2, 4))), opts={"linewidth": 10})
record("linewidth20_suffix", T([1.0, 2.0], "float64").requires_grad_(),
       opts={"linewidth": 20})
record("profile_short", T(rng.standard_normal((10, 10)) * 3), opts={"profile": "short"})
record("profile_short_big", T(rng.standard_normal(2000)), opts={"profile": "short"})
record("profile_full", T(np.arange(1200), "int16"), opts={"profile": "full"})
record("profile_full_prec", T(rng.standard_normal(1100)),
       opts={"profile": "full", "precision": 1})
record("profile_default_over", T(rng.standard_normal(5)),
       opts={"profile": "default", "precision": 6})
record("profile_short_linewidth", T(rng.standard_normal((3, 30))),
       opts={"profile": "short", "linewidth": 100, "sci_mode": False})

# ---- set_printoptions / get_printoptions sequences
OPTION_SEQUENCES = [
    [{}],
    [{"precision": 2}],
    [{"precision": 2}, {"threshold": 7}],
    [{"profile": "short"}],
    [{"profile": "full"}],
    [{"profile": "full"}, {"profile": "default"}],
    [{"sci_mode": True}, {"precision": 3}],
    [{"profile": "short", "edgeitems": 9, "linewidth": 55, "sci_mode": False}],
    [{"profile": "nonsense"}],
    [{"precision": 6, "threshold": 10}, {"profile": "short", "sci_mode": True}],
]
OPTIONS = []
for seq in OPTION_SEQUENCES:
    _reset()
    for kw in seq:
        torch.set_printoptions(**kw)
    OPTIONS.append({"calls": seq, "result": torch._tensor_str.get_printoptions()})
_reset()

if __name__ == "__main__":
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"torch_version": torch.__version__, "cases": CASES,
                   "options": OPTIONS}, f, indent=1)
    print(f"wrote {len(CASES)} cases, {len(OPTIONS)} option sequences to {OUT}")
