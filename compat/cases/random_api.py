"""Random functions through the public API: torch's exact numbers, state bytes and errors.

Values are recorded exactly (reprs of every value for small tensors, a sha256 of the float64/int64
bytes plus the first and last values for big ones), so no tolerance applies. Cases touching the
default generator put its state back when they finish.
"""

import copy
import hashlib
import pickle
import re

from _record import expect_error, warnings_of

SIZES = (1, 15, 16, 17, 1000, 10**5)
FLOATS = ("float32", "float64", "float16", "bfloat16")
INTS = ("int64", "int32", "int16", "int8", "uint8")


def _sha(t):
    return hashlib.sha256(t.numpy().tobytes()).hexdigest()[:24]


def exact(t):
    """An exact, tolerance-free record of a tensor: dtype, shape and every bit of its values."""
    flat = t.detach().reshape(-1)
    flat = flat.double() if t.dtype.is_floating_point else flat.long()
    vals = [repr(v) for v in flat.tolist()]
    rec = {"dtype": str(t.dtype), "shape": list(t.shape)}
    if len(vals) <= 17:
        return {**rec, "values": " ".join(vals)}
    return {**rec, "sha": _sha(flat), "ends": " ".join(vals[:3] + vals[-3:])}


def same(a, b):
    return bool((a == b).all().item())


def ramp(torch, n, dtype):
    """n exactly representable values (no division: it must not depend on how / rounds)."""
    return ((torch.arange(n) % 17) * 0.0625).to(dtype)


def state(g):
    """sha256 of a generator's get_state() bytes."""
    return _sha(g.get_state())


def raised(fn):
    """expect_error, with a call that does not raise recorded as the text 'no error'."""
    err = expect_error(fn)
    return err if isinstance(err, Exception) else "no error"


def etype(fn):
    """The type of the error fn() raises (for errors whose text lists torch's signatures)."""
    err = expect_error(fn)
    return type(err).__name__


def dt(torch, name):
    return getattr(torch, name)


def _global(fn):
    """Run a case that uses the default generator and put its state back afterwards."""
    def case(torch):
        saved = torch.get_rng_state()
        try:
            return fn(torch)
        finally:
            torch.set_rng_state(saved)
    case.__name__ = fn.__name__
    return case


def _sweep(torch, seed, dtypes, draw):
    """draw(g, n, dtype) over every size and dtype on one generator; the state after each dtype."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name in dtypes:
        for n in SIZES:
            out[f"{name}_{n}"] = exact(draw(g, n, dt(torch, name)))
        out[f"{name}_state"] = state(g)
    return out


# ---- factories ------------------------------------------------------------------------------

def case_rand(torch):
    return _sweep(torch, 7, FLOATS, lambda g, n, d: torch.rand(n, generator=g, dtype=d))


def case_randn(torch):
    return _sweep(torch, 8, FLOATS, lambda g, n, d: torch.randn(n, generator=g, dtype=d))


def case_randint(torch):
    out = _sweep(torch, 9, INTS + ("float32", "float64"),
                 lambda g, n, d: torch.randint(-3 if d.is_signed else 0, 100, (n,),
                                               generator=g, dtype=d))
    g = torch.Generator().manual_seed(10)
    for n in SIZES:  # from 2^28 on torch draws two words per value
        out[f"wide_{n}"] = exact(torch.randint(-2**40, 2**40, (n,), generator=g))
    out["wide_state"] = state(g)
    return out


def case_randperm(torch):
    out = _sweep(torch, 11, ("int64", "int32", "float32", "float64"),
                 lambda g, n, d: torch.randperm(n, generator=g, dtype=d))
    g = torch.Generator().manual_seed(12)
    out["zero"] = exact(torch.randperm(0, generator=g))
    out["default_dtype"] = exact(torch.randperm(5, generator=g))
    out["state"] = state(g)
    return out


def case_normal_scalar_size(torch):
    return _sweep(torch, 13, FLOATS,
                  lambda g, n, d: torch.normal(0.5, 2.0, size=(n,), generator=g, dtype=d))


def case_normal_tensor_forms(torch):
    g = torch.Generator().manual_seed(14)
    out = {}
    for name in ("float32", "float64"):
        for n in SIZES:
            base = ramp(torch, n, dt(torch, name))
            out[f"tt_{name}_{n}"] = exact(torch.normal(base, base + 0.5, generator=g))
            out[f"tf_{name}_{n}"] = exact(torch.normal(base, 3.0, generator=g))
            out[f"ft_{name}_{n}"] = exact(torch.normal(-1.0, base, generator=g))
        out[f"{name}_state"] = state(g)
    m, s = torch.zeros(3, 1), torch.ones(4)
    out["broadcast"] = exact(torch.normal(m, s, generator=g))
    out["state"] = state(g)
    return out


def case_like(torch):
    g = torch.Generator().manual_seed(15)
    out = {}
    for name in ("float32", "float64", "bfloat16"):
        for n in SIZES:
            x = torch.empty(n, dtype=dt(torch, name))
            out[f"rand_{name}_{n}"] = exact(torch.rand_like(x, generator=g))
            out[f"randn_{name}_{n}"] = exact(torch.randn_like(x, generator=g))
            out[f"randint_{name}_{n}"] = exact(torch.randint_like(x, 10, generator=g))
            out[f"randint2_{name}_{n}"] = exact(torch.randint_like(x, -4, 4, generator=g))
        out[f"{name}_state"] = state(g)
    x = torch.empty(2, 3, dtype=torch.int32)
    out["int_like"] = exact(torch.randint_like(x, 3, 9, generator=g))
    out["dtype_kw"] = exact(torch.rand_like(x, dtype=torch.float64, generator=g))
    out["state"] = state(g)
    return out


def case_signatures(torch):
    """Size given as ints, a tuple, a list or size=; randint's keyword and positional forms."""
    g = torch.Generator().manual_seed(16)
    return {
        "rand_ints": exact(torch.rand(2, 3, generator=g)),
        "rand_tuple": exact(torch.rand((2, 3), generator=g)),
        "rand_list": exact(torch.rand([3, 2], generator=g)),
        "rand_size_kw": exact(torch.rand(size=(4,), generator=g)),
        "randn_dtype": exact(torch.randn(2, 2, dtype=torch.float64, generator=g)),
        "randn_size": exact(torch.randn(torch.Size([3]), generator=g)),
        "randn_scalar": exact(torch.randn((), generator=g)),
        "randn_grad": torch.randn(3, generator=g, requires_grad=True).requires_grad,
        "randint_high": exact(torch.randint(10, (5,), generator=g)),
        "randint_low_high": exact(torch.randint(3, 10, (5,), generator=g)),
        "randint_kw": exact(torch.randint(low=-5, high=5, size=(2, 3), generator=g)),
        "randint_high_kw": exact(torch.randint(high=4, size=(4,), generator=g)),
        "randint_list": exact(torch.randint(0, 3, [2, 2], generator=g)),
        "normal_pos": exact(torch.normal(2.0, 3.0, (2, 2), generator=g)),
        "normal_list": exact(torch.normal(0.0, 1.0, size=[5], generator=g)),
        "randperm_kw": exact(torch.randperm(n=6, generator=g)),
        "state": state(g),
    }


def case_default_dtype(torch):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        g = torch.Generator().manual_seed(17)
        return {"rand": exact(torch.rand(20, generator=g)),
                "randn": exact(torch.randn(20, generator=g)),
                "normal": exact(torch.normal(1.0, 2.0, (20,), generator=g)),
                "state": state(g)}
    finally:
        torch.set_default_dtype(old)


# ---- in-place fills -------------------------------------------------------------------------

def _fill_sweep(torch, seed, dtypes, fill):
    return _sweep(torch, seed, dtypes, lambda g, n, d: fill(torch.empty(n, dtype=d), g))


def case_uniform_(torch):
    return _fill_sweep(torch, 20, FLOATS, lambda t, g: t.uniform_(-2.0, 3.0, generator=g))


def case_normal_(torch):
    return _fill_sweep(torch, 21, FLOATS, lambda t, g: t.normal_(1.0, 0.5, generator=g))


def case_random_(torch):
    out = _fill_sweep(torch, 22, INTS + FLOATS, lambda t, g: t.random_(generator=g))
    g = torch.Generator().manual_seed(23)
    for name in ("int64", "float32", "float64", "int8"):
        for n in SIZES:
            t = torch.empty(n, dtype=dt(torch, name))
            out[f"to_{name}_{n}"] = exact(t.random_(50, generator=g))
            out[f"from_to_{name}_{n}"] = exact(t.random_(-20, 20, generator=g))
            out[f"kw_{name}_{n}"] = exact(t.random_(to=7, generator=g))
            out[f"from_none_{name}_{n}"] = exact(t.random_(5, None, generator=g))
    out["bool"] = exact(torch.empty(20, dtype=torch.bool).random_(generator=g))
    out["state"] = state(g)
    return out


def case_bernoulli_(torch):
    out = _fill_sweep(torch, 24, FLOATS + ("int64",),
                      lambda t, g: t.bernoulli_(0.3, generator=g))
    g = torch.Generator().manual_seed(25)
    for n in SIZES:
        p = ramp(torch, n, torch.float64)
        out[f"tensor_p_{n}"] = exact(torch.empty(n).bernoulli_(p, generator=g))
    out["state"] = state(g)
    return out


def case_exponential_(torch):
    return _fill_sweep(torch, 26, FLOATS, lambda t, g: t.exponential_(1.5, generator=g))


def case_log_normal_(torch):
    return _fill_sweep(torch, 27, FLOATS, lambda t, g: t.log_normal_(0.5, 0.25, generator=g))


def case_geometric_(torch):
    return _fill_sweep(torch, 28, FLOATS + ("int64", "int32"),
                       lambda t, g: t.geometric_(0.2, generator=g))


def case_cauchy_(torch):
    return _fill_sweep(torch, 29, FLOATS, lambda t, g: t.cauchy_(0.5, 2.0, generator=g))


def case_inplace_defaults(torch):
    g = torch.Generator().manual_seed(30)
    t = torch.empty(20)
    out = {}
    for name in ("uniform_", "normal_", "exponential_", "log_normal_", "cauchy_", "random_",
                 "bernoulli_"):
        r = getattr(t, name)(generator=g)
        out[name] = exact(t)
        out[name + "_returns_self"] = r is t
    out["state"] = state(g)
    return out


# ---- sampling ---------------------------------------------------------------------------------

def case_bernoulli(torch):
    g = torch.Generator().manual_seed(31)
    out = {}
    for name in FLOATS:
        for n in SIZES:
            p = ramp(torch, n, dt(torch, name))
            out[f"{name}_{n}"] = exact(torch.bernoulli(p, generator=g))
            out[f"p_{name}_{n}"] = exact(torch.bernoulli(p, 0.75, generator=g))
        out[f"{name}_state"] = state(g)
    return out


def case_multinomial(torch):
    g = torch.Generator().manual_seed(32)
    out = {}
    for name in ("float32", "float64"):
        for n in SIZES:
            w = (torch.arange(n, dtype=dt(torch, name)) % 7) + 0.5
            out[f"repl_{name}_{n}"] = exact(torch.multinomial(w, n, True, generator=g))
            # torch leaves the order of exactly equal ratios open: few samples where ties abound
            k = max(1, n // 2) if n <= 1000 or name == "float64" else 100
            out[f"norepl_{name}_{n}"] = exact(torch.multinomial(w, k, generator=g))
        out[f"{name}_state"] = state(g)
    for name in ("float16", "bfloat16"):  # ties abound: with replacement, or one sample
        for n in SIZES:
            w = ((torch.arange(n) % 7) + 0.5).to(dt(torch, name))
            out[f"repl_{name}_{n}"] = exact(torch.multinomial(w, n, True, generator=g))
            out[f"one_{name}_{n}"] = exact(torch.multinomial(w, 1, generator=g))
        out[f"{name}_state"] = state(g)
    rows = torch.tensor([[0.1, 0.2, 0.7, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 5.0, 1.0]])
    out["rows_repl"] = exact(torch.multinomial(rows, 10, replacement=True, generator=g))
    out["rows_norepl"] = exact(torch.multinomial(rows, 2, generator=g))
    out["all_norepl"] = exact(torch.multinomial(torch.ones(8), 8, generator=g))
    out["one_sample"] = torch.multinomial(rows[0], num_samples=1, replacement=True,
                                          generator=g).item()
    out["state"] = state(g)
    return out


# ---- sequences, generators and state -----------------------------------------------------------

def _interleaved(torch, g):
    kw = {} if g is None else {"generator": g}
    read = torch.get_rng_state if g is None else g.get_state
    steps = [
        lambda: torch.randn(3, **kw),
        lambda: torch.rand(17, dtype=torch.float64, **kw),
        lambda: torch.randn(1, **kw),
        lambda: torch.randn(1, dtype=torch.float64, **kw),
        lambda: torch.randint(0, 10, (5,), **kw),
        lambda: torch.randn(16, **kw),
        lambda: torch.empty(5).normal_(**kw),
        lambda: torch.randperm(20, **kw),
        lambda: torch.randn(2, dtype=torch.float64, **kw),
        lambda: torch.bernoulli(torch.full((6,), 0.5), **kw),
        lambda: torch.multinomial(torch.ones(5), 3, **kw),
        lambda: torch.empty(4).exponential_(**kw),
        lambda: torch.randn(33, **kw),
        lambda: torch.normal(torch.zeros(3), 1.0, **kw),
        lambda: torch.empty(3, dtype=torch.float16).normal_(**kw),
    ]
    out = []
    for step in steps:
        out.append(exact(step()))
        out.append(_sha(read()))
    return out


@_global
def case_interleaved_global(torch):
    torch.manual_seed(42)
    return _interleaved(torch, None)


def case_interleaved_generator(torch):
    g = torch.Generator().manual_seed(42)
    return _interleaved(torch, g)


@_global
def case_generators_independent(torch):
    torch.manual_seed(0)
    g1, g2 = torch.Generator(), torch.Generator()
    g1.manual_seed(5)
    a = torch.randn(4, generator=g1)
    b = torch.randn(4)
    g2.manual_seed(5)
    c = torch.randn(4, generator=g2)
    fresh = torch.Generator()
    return {"g1": exact(a), "default": exact(b), "same": exact(c),
            "default_state": state(torch.default_generator), "g1_state": state(g1),
            "fresh_seed": fresh.initial_seed(), "fresh_draw": exact(torch.rand(3, generator=fresh)),
            "fresh_state": state(fresh)}


def _addr(s):
    return re.sub(r"0x[0-9a-f]+", "0x", s)


def case_generator_object(torch):
    g = torch.Generator()
    r = g.manual_seed(3)
    s = g.get_state()
    st2 = torch.Generator(device="cpu")
    return {
        "returns_self": r is g,
        "repr": _addr(repr(g)),
        "device": repr(g.device),
        "device_str": str(st2.device),
        "initial_seed": g.initial_seed(),
        "state_repr": repr(s),
        "state_dtype": s.dtype,
        "state_shape": s.shape,
        "state_type": s.type(),
        "state_sha": _sha(s),
        "type_name": type(g).__name__,
        "is_default_type": isinstance(torch.default_generator, torch.Generator),
    }


def case_get_set_state(torch):
    g = torch.Generator().manual_seed(44)
    torch.randn(3, generator=g)  # under 16 values: the scalar path caches a double normal
    s = g.get_state()
    a = torch.randn(5, generator=g)
    b = torch.rand(20, dtype=torch.float64, generator=g)
    g.set_state(s)
    a2 = torch.randn(5, generator=g)
    b2 = torch.rand(20, dtype=torch.float64, generator=g)
    h = torch.Generator()
    h.set_state(g.get_state())
    c = torch.randn(7, generator=g)
    c2 = torch.randn(7, generator=h)
    clone = s.clone()
    g.manual_seed(1)
    return {"a": exact(a), "again": same(a, a2) and same(b, b2),
            "b": exact(b), "c": exact(c), "copied": same(c, c2),
            "state_unchanged": same(s, clone), "seed_after_set": h.initial_seed(),
            "returns_self": h.set_state(s) is h, "state": state(h)}


@_global
def case_rng_state_round_trip(torch):
    torch.manual_seed(45)
    torch.randn(1)  # a cached double normal goes into the state
    s = torch.get_rng_state()
    a = torch.randn(1)
    torch.set_rng_state(s)
    a2 = torch.randn(1)
    torch.random.set_rng_state(s)
    a3 = torch.randn(1)
    s2 = torch.random.get_rng_state()
    return {"state": _sha(s), "dtype": s.dtype, "shape": s.shape, "a": exact(a),
            "same": same(a, a2) and same(a, a3), "after": _sha(s2),
            "set_returns": torch.set_rng_state(s)}


@_global
def case_fork_rng(torch):
    torch.manual_seed(46)
    before = torch.get_rng_state()
    with torch.random.fork_rng():
        inside = torch.randn(5)
        with torch.random.fork_rng():
            torch.manual_seed(1)
            torch.rand(3)
        inside2 = torch.randn(3)
    after = torch.randn(5)
    with torch.random.fork_rng(enabled=False):
        torch.rand(2)
    moved = torch.get_rng_state()
    g = torch.Generator().manual_seed(46)
    return {"inside": exact(inside), "inside2": exact(inside2), "after": exact(after),
            "same": same(inside, after), "restored": _sha(before),
            "not_restored": _sha(moved), "own": exact(torch.randn(5, generator=g))}


@_global
def case_seed_semantics(torch):
    out = {}
    for s in (0, 1, 42, 2**32 - 1, 2**32, 2**32 + 5, 2**63 - 1, 2**64 - 1, -1, -2**63, 7.9,
              True):
        r = torch.manual_seed(s)
        out[repr(s)] = [torch.initial_seed(), exact(torch.rand(2)),
                        r is torch.default_generator]
    s1 = torch.seed()
    out["seed_int"] = type(s1).__name__
    out["seed_is_initial"] = torch.initial_seed() == s1
    out["seed_range"] = 0 <= s1 < 2**64
    g = torch.Generator().manual_seed(48)
    s2 = g.seed()
    out["gen_seed_is_initial"] = g.initial_seed() == s2
    out["random_seed"] = torch.random.initial_seed() == s1
    out["random_manual"] = torch.random.manual_seed(3) is torch.default_generator
    return out


@_global
def case_errors(torch):
    g = torch.Generator().manual_seed(49)
    e = raised
    t = torch.empty(4)
    return {
        "seed_overflow": e(lambda: torch.manual_seed(2**64)),
        "seed_negative_overflow": e(lambda: torch.manual_seed(-2**63 - 1)),
        "seed_str": e(lambda: torch.manual_seed("3")),
        "gen_seed_float": e(lambda: g.manual_seed(1.5)),
        "gen_seed_overflow": e(lambda: g.manual_seed(2**64)),
        "randint_low_high": e(lambda: torch.randint(5, 5, (3,), generator=g)),
        "randint_low_gt": e(lambda: torch.randint(5, 2, (3,), generator=g)),
        "randint_high_zero": e(lambda: torch.randint(0, (3,), generator=g)),
        "randint_uint8_range": e(lambda: torch.randint(0, 300, (3,), dtype=torch.uint8)),
        "randint_bool": e(lambda: torch.randint(0, 2, (3,), dtype=torch.bool)),
        "randperm_negative": e(lambda: torch.randperm(-1)),
        "randperm_f16": e(lambda: torch.randperm(3000, dtype=torch.float16)),
        "rand_int": e(lambda: torch.rand(3, dtype=torch.int64)),
        "randn_int": e(lambda: torch.randn(3, dtype=torch.int32)),
        "normal_std": e(lambda: torch.normal(0.0, -1.0, (3,))),
        "normal_std_tensor": e(lambda: torch.normal(0.0, -torch.ones(3))),
        "normal_no_size": e(lambda: torch.normal(0.0, 1.0)),
        "normal_": e(lambda: t.normal_(0, -2)),
        "uniform_": e(lambda: t.uniform_(3, 2)),
        "bernoulli_p": e(lambda: t.bernoulli_(1.5)),
        "bernoulli_neg": e(lambda: t.bernoulli_(-0.5)),
        "bernoulli_tensor": e(lambda: torch.bernoulli(torch.tensor([0.5, 1.5]))),
        "bernoulli_tensor_neg": e(lambda: torch.bernoulli(torch.tensor([-0.1, 0.5]))),
        "multinomial_neg": e(lambda: torch.multinomial(torch.tensor([0.5, -0.1]), 1)),
        "multinomial_zero_sum": e(lambda: torch.multinomial(torch.zeros(3), 1)),
        "multinomial_few": e(lambda: torch.multinomial(torch.ones(3), 4)),
        "multinomial_zero_samples": e(lambda: torch.multinomial(torch.ones(3), 0)),
        "multinomial_nonzero_few": e(lambda: torch.multinomial(
            torch.tensor([1.0, 0.0, 0.0]), 2)),
        "multinomial_3d": e(lambda: torch.multinomial(torch.ones(2, 2, 2), 1)),
        "multinomial_int": e(lambda: torch.multinomial(torch.ones(3, dtype=torch.int64), 1)),
        "multinomial_inf": e(lambda: torch.multinomial(torch.tensor([1.0, float("inf")]), 1)),
        "exponential": e(lambda: t.exponential_(-1.0)),
        "exponential_int": e(lambda: torch.zeros(3, dtype=torch.int64).exponential_()),
        "geometric_zero": e(lambda: t.geometric_(0.0)),
        "geometric_big": e(lambda: t.geometric_(1.5)),
        "log_normal": e(lambda: t.log_normal_(0.0, -1.0)),
        "cauchy_int": e(lambda: torch.zeros(3, dtype=torch.int64).cauchy_()),
        "random_from_to": e(lambda: t.random_(5, 2)),
        "random_int8": e(lambda: torch.zeros(3, dtype=torch.int8).random_(0, 1000)),
        "set_state_size": e(lambda: g.set_state(torch.zeros(10, dtype=torch.uint8))),
        "set_state_dtype": e(lambda: g.set_state(torch.zeros(5056))),
        "set_rng_state_size": e(lambda: torch.set_rng_state(torch.zeros(3, dtype=torch.uint8))),
        "state_after_errors": state(g),
    }


@_global
def case_errors_dtypes(torch):
    e = raised
    i64, b = torch.zeros(3, dtype=torch.int64), torch.zeros(3, dtype=torch.bool)
    return {
        "uniform_int": e(lambda: i64.clone().uniform_()),
        "normal_int": e(lambda: i64.clone().normal_()),
        "log_normal_int": e(lambda: i64.clone().log_normal_()),
        "geometric_bool": e(lambda: b.clone().geometric_(0.5)),
        "bernoulli_int_input": e(lambda: torch.bernoulli(i64)),
        "rand_bool": e(lambda: torch.rand(2, dtype=torch.bool)),
        "rand_like_int": e(lambda: torch.rand_like(i64)),
        "normal_int_mean": e(lambda: torch.normal(i64, 1.0)),
        "normal_ff_int": e(lambda: torch.normal(0.0, 1.0, (2,), dtype=torch.int64)),
        "normal_mismatch": e(lambda: torch.normal(torch.zeros(2, 3), torch.ones(6))),
        "cauchy_sigma": e(lambda: torch.zeros(3).cauchy_(0, -1)),
        "exponential_zero": e(lambda: torch.zeros(3).exponential_(0)),
        "bernoulli_p_tensor": e(lambda: torch.zeros(3).bernoulli_(torch.tensor([0.5, 2.0, 0.1]))),
        "bernoulli_p_float": e(lambda: torch.bernoulli(torch.zeros(3), 1.5)),
        "multinomial_0d": e(lambda: torch.multinomial(torch.tensor(1.0), 1)),
        "multinomial_nan": e(lambda: torch.multinomial(torch.tensor([1.0, float("nan")]), 1)),
        "multinomial_zero_row": e(lambda: torch.multinomial(torch.tensor([[1.0, 1], [0, 0]]), 1,
                                                            True)),
        "randint_grad": e(lambda: torch.randint(0, 3, (2,), requires_grad=True)),
        "leaf_inplace": e(lambda: torch.zeros(3, requires_grad=True).uniform_()),
        "set_state_list": e(lambda: torch.Generator().set_state([1, 2])),
        "set_state_zeros": e(lambda: torch.Generator().set_state(torch.zeros(5056,
                                                                             dtype=torch.uint8))),
        "gen_seed_bool": e(lambda: torch.Generator().manual_seed(True)),
        "manual_seed_none": e(lambda: torch.manual_seed(None)),
        "randperm_float": e(lambda: torch.randperm(3.0)),
        "randint_high_float": e(lambda: torch.randint(high=2.5, size=(3,))),
        "randint_bool_high": e(lambda: torch.randint(True, (3,))),
        "generator_cuda": e(lambda: torch.Generator("cuda")),
        "rand_no_size": etype(lambda: torch.rand()),
        "rand_size_twice": etype(lambda: torch.rand(2, size=(3,))),
        "randint_no_size": etype(lambda: torch.randint(5)),
        "randint_int_size": etype(lambda: torch.randint(0, 5, 3)),
        "randint_float_bounds": etype(lambda: torch.randint(0.5, 5.5, (3,))),
        "randint_like_no_high": etype(lambda: torch.randint_like(torch.zeros(2))),
        "normal_tensor_size": etype(lambda: torch.normal(torch.zeros(2), 1.0, size=(3,))),
        "normal_tensor_dtype": etype(lambda: torch.normal(torch.zeros(2), 1.0,
                                                          dtype=torch.float64)),
        "random_float_bounds": etype(lambda: torch.zeros(3).random_(0.5, 3.5)),
    }


def case_grad_fns(torch):
    """Draws that autograd records: zero gradients under torch's node names."""
    x = torch.ones(3, requires_grad=True)
    g = torch.Generator().manual_seed(50)
    fills = {"uniform_": lambda y: y.uniform_(generator=g),
             "normal_": lambda y: y.normal_(generator=g),
             "random_": lambda y: y.random_(generator=g),
             "random_to": lambda y: y.random_(5, generator=g),
             "random_from_to": lambda y: y.random_(1, 5, generator=g),
             "bernoulli_float": lambda y: y.bernoulli_(0.5, generator=g),
             "bernoulli_tensor": lambda y: y.bernoulli_(torch.full((3,), 0.5), generator=g),
             "exponential_": lambda y: y.exponential_(generator=g),
             "log_normal_": lambda y: y.log_normal_(generator=g),
             "geometric_": lambda y: y.geometric_(0.5, generator=g),
             "cauchy_": lambda y: y.cauchy_(generator=g),
             "normal_tf": lambda y: torch.normal(y, 2.0, generator=g),
             "normal_ft": lambda y: torch.normal(1.0, y, generator=g),
             "normal_tt": lambda y: torch.normal(y, y, generator=g),
             "bernoulli": lambda y: torch.bernoulli(y * 0.5, generator=g),
             "rand_like": lambda y: torch.rand_like(y, generator=g),
             "randn_like_grad": lambda y: torch.randn_like(y, requires_grad=True, generator=g)}
    out = {}
    for name, f in fills.items():
        y = x * 1
        r = f(y)
        out[name] = {"same": r is y, "value": exact(r), "grad_fn": r.grad_fn,
                     "requires_grad": r.requires_grad}
        if r.requires_grad and r.grad_fn is not None:
            r.sum().backward()
            out[name]["grad"] = exact(x.grad)
            x.grad = None
    with torch.no_grad():
        out["no_grad"] = torch.normal(x, 1.0, generator=g).requires_grad
    out["state"] = state(g)
    return out


def case_out_and_methods(torch):
    g = torch.Generator().manual_seed(51)
    o = torch.empty(3, dtype=torch.float64)
    r = torch.rand(3, out=o, generator=g)
    o2 = torch.empty(2, dtype=torch.int64)
    torch.randint(0, 9, (2,), out=o2, generator=g)
    o3 = torch.empty(4)
    torch.normal(torch.zeros(4), torch.ones(4), out=o3, generator=g)
    x = torch.full((6,), 0.5)
    return {"rand_out": exact(o), "is_out": r is o, "randint_out": exact(o2),
            "normal_out": exact(o3),
            "bernoulli_method": exact(x.bernoulli(generator=g)),
            "bernoulli_method_p": exact(x.bernoulli(0.25, generator=g)),
            "bernoulli_p_kw": exact(torch.bernoulli(x, p=0.9, generator=g)),
            "multinomial_method": exact(x.multinomial(3, generator=g)),
            "random_kw_from": exact(torch.zeros(5).random_(**{"from": 2, "to": 9}, generator=g)),
            "random_from_none": exact(torch.zeros(5).random_(3, None, generator=g)),
            "normal_kw": exact(torch.normal(mean=torch.zeros(3), std=torch.ones(3), generator=g)),
            "normal_mean_only": exact(torch.normal(mean=torch.ones(2), generator=g)),
            "normal_kw_float": exact(torch.normal(mean=0.0, std=torch.ones(2), generator=g)),
            "normal_bcast": exact(torch.normal(torch.zeros(2, 1), torch.ones(3), generator=g)),
            "normal_f16_f32": exact(torch.normal(torch.zeros(4, dtype=torch.float16),
                                                 torch.ones(4), generator=g)),
            "normal_f64_std": exact(torch.normal(2.0, torch.ones(4, dtype=torch.float64),
                                                 generator=g)),
            "normal_ff_grad": torch.normal(0.0, 1.0, (2,), requires_grad=True,
                                           generator=g).requires_grad,
            "resize_warning": warnings_of(lambda: torch.rand(3, out=torch.empty(5), generator=g)),
            "resize_empty": warnings_of(lambda: torch.randn(2, 2, out=torch.empty(0),
                                                            generator=g)),
            "resize_normal": warnings_of(lambda: torch.normal(
                torch.zeros(3), torch.ones(3), out=torch.empty(5), generator=g)),
            "state": state(g)}


def case_generator_copies(torch):
    """pickle, deepcopy and clone_state carry the state (cached normals included)."""
    g = torch.Generator().manual_seed(52)
    torch.randn(3, generator=g)
    copies = [pickle.loads(pickle.dumps(g)), copy.deepcopy(g), g.clone_state()]
    first = torch.randn(4, dtype=torch.float64, generator=g)
    return {"first": exact(first),
            "copies": [same(torch.randn(4, dtype=torch.float64, generator=c), first)
                       for c in copies],
            "seeds": [c.initial_seed() for c in copies],
            "types": [type(c).__name__ for c in copies],
            "offset": raised(lambda: g.get_offset()),
            "set_offset": raised(lambda: g.set_offset(1)),
            "graphsafe": raised(lambda: g.graphsafe_get_state()),
            "state": state(g)}


def case_views(torch):
    """A non-contiguous destination fills in increasing storage offset (normal_: scalar path);
    `*_like` results keep a dense input's layout."""
    g = torch.Generator().manual_seed(53)
    out = {}
    views = {"t": lambda b: b.t(), "step": lambda b: b[:, ::2], "col": lambda b: b[:, 1],
             "permute": lambda b: b.view(4, 5, 3).permute(2, 0, 1)}
    fills = {"uniform_": lambda v: v.uniform_(generator=g),
             "normal_": lambda v: v.normal_(generator=g),
             "random_": lambda v: v.random_(0, 100, generator=g),
             "bernoulli_": lambda v: v.bernoulli_(0.5, generator=g),
             "bernoulli_p": lambda v: v.bernoulli_(
                 ramp(torch, v.numel(), torch.float32).reshape(v.shape), generator=g),
             "exponential_": lambda v: v.exponential_(generator=g)}
    for vname, view in views.items():
        for fname, fill in fills.items():
            base = torch.zeros(12, 5)
            v = view(base)
            fill(v)
            out[f"{vname}_{fname}"] = exact(base)
        x = view(torch.zeros(12, 5))
        out[f"{vname}_rand_like"] = exact(torch.rand_like(x, generator=g))
        out[f"{vname}_randn_like"] = exact(torch.randn_like(x, generator=g))
        out[f"{vname}_randint_like"] = exact(torch.randint_like(x, 9, generator=g))
        out[f"{vname}_state"] = state(g)
    small = torch.zeros(3, 4).t()
    out["small_normal_"] = exact(small.normal_(generator=g))
    out["non_dense_like"] = exact(torch.randn_like(torch.zeros(6, 8).t()[:, ::2], generator=g))
    odd = {"expand_col": torch.zeros(6, 1).expand(6, 4),
           "expand_row": torch.zeros(1, 6).expand(4, 6),
           "expand_3d": torch.zeros(2, 1, 5).expand(2, 3, 5).permute(2, 1, 0),
           "size_one": torch.zeros(4, 1, 5).permute(1, 2, 0),
           "transpose_3d": torch.zeros(2, 3, 4).transpose(0, 2)}
    for name, x in odd.items():
        out[f"{name}_randn_like"] = exact(torch.randn_like(x, generator=g))
        out[f"{name}_rand_like"] = exact(torch.rand_like(x, generator=g))
    out["state"] = state(g)
    return out
