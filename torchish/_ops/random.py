"""Random factories, sampling and in-place random fills over the torch-exact host streams (`_rng`).

Values are drawn on the host in torch's order and enter programs as concrete inputs, so a training
loop with fresh random tensors each step keeps one compiled program. Where autograd must record a
draw (a fill on a tensor that requires grad, `normal`/`bernoulli` of such a tensor), the sample is
an operand of a row whose gradient is zero, under torch's grad_fn name.
"""

import numbers
import warnings

import numpy as np

from .. import _dtypes, _rng
from .._dispatch import broadcast_shapes, call, check_inplace, inplace
from .._rng._dtypes import fmt
from .._tensor import Size, Tensor
from ..autograd import grad_mode
from ._registry import OpDef
from ._surface import function, method
from .shape import contiguous_strides, is_contiguous, strides_of
from .factory import _dt, _shape, leaf

SCALAR_NAMES = _dtypes.SCALAR_NAMES


def _gen(generator):
    return generator._gen if generator is not None else _rng.default_generator


def _draw(fn, *args):
    """fn(*args) from `_rng`, with torch's error types: NotImplementedError for a kernel missing
    for a dtype; a cast to half precision overflows to inf without a warning."""
    try:
        with np.errstate(over="ignore"):
            return fn(*args)
    except RuntimeError as e:
        if " not implemented for '" in str(e):
            raise NotImplementedError(str(e)) from None
        raise


def _require_float(dt, kernel):
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for {SCALAR_NAMES[dt]!r}')


def _host(t):
    return np.asarray(t._array())


def _got(args, kw):
    """torch's 'got (...)' part of an invalid-arguments TypeError."""
    def tn(x):
        return "Tensor" if isinstance(x, Tensor) else type(x).__name__
    parts = [tn(a) for a in args] + [f"{k}={tn(v)}" for k, v in kw.items()]
    return f"got ({', '.join(parts)})"


def _invalid(name, args, kw, sigs=""):
    return TypeError(f"{name}() received an invalid combination of arguments - {_got(args, kw)}"
                     + (f", but expected one of:\n{sigs}" if sigs else ""))


_RESIZED = ("An output with one or more elements was resized since it had shape {}, which does "
            "not match the required output shape {}. This behavior is deprecated, and in a "
            "future PyTorch release outputs will not be resized unless they have zero elements. "
            "You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
            "with t.resize_(0).")


def _to_out(out, result, warn=False):
    """`result` written into `out=` (resized as torch resizes it; `warn`: with its warning)."""
    if out is None:
        return result
    check_inplace(out)
    if tuple(out.shape) == tuple(result.shape):
        return inplace(out, result)
    if warn and out.numel():
        warnings.warn(_RESIZED.format(list(out.shape), list(result.shape)), UserWarning,
                      stacklevel=3)
    out._assign(result.to(out.dtype))
    return out


def _size(name, args, size):
    """The shape from `*size` or `size=`, as torch's factories take it."""
    if size is not None:
        if args:
            raise _invalid(name, args, {"size": size})
        args = (size,)
    if not args:
        raise _invalid(name, args, {})
    return _shape(args, name)


def _factory(name, draw):
    def fn(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
        dt = _dt(dtype if dtype is not None or out is None else out.dtype)
        t = leaf(draw(_gen(generator), _size(name, args, size), dt), dt, requires_grad)
        return _to_out(out, t)
    fn.__name__ = name
    return function(name)(fn)


def _uniform(g, shape, dt, low=0.0, high=1.0):
    _require_float(dt, "check_uniform_bounds")
    return _draw(_rng.uniform, g, shape, dt.name, low, high)


def _normal(g, shape, dt, mean=0.0, std=1.0, contiguous=True):
    _require_float(dt, "normal_kernel_cpu")
    return _draw(_rng.normal, g, shape, dt.name, mean, std, contiguous)


rand = _factory("rand", _uniform)
randn = _factory("randn", _normal)


def _int_arg(name, what, v, pos):
    if isinstance(v, bool) or not isinstance(v, (numbers.Integral, Tensor)):
        at = f" (position {pos})" if pos else ""
        raise TypeError(f"{name}(): argument '{what}'{at} must be int, not {type(v).__name__}")
    return int(v)


@function("randint")
def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, **kw):
    """randint(high, size) and randint(low, high, size), positionally or by keyword."""
    names = ("low", "high", "size") if len(args) + len(kw) >= 3 else ("high", "size")
    if set(kw) - set(names) or len(args) > len(names):
        raise _invalid("randint", args, kw)
    bound = dict(zip(names, args))
    for k, v in kw.items():
        if k in bound:
            raise _invalid("randint", args, kw)
        bound[k] = v
    missing = [n for n in names if n not in bound]
    if missing:
        raise TypeError(f"randint() missing {len(missing)} required positional argument: "
                        + ", ".join(f'"{m}"' for m in missing))
    size = bound["size"]
    if not isinstance(size, (tuple, list, Size)):
        raise _invalid("randint", args, kw)
    low = _int_arg("randint", "low", bound.get("low", 0), 0 if "low" in kw else 1)
    high = _int_arg("randint", "high", bound["high"], 0 if "high" in kw else len(args) - 1)
    dt = _dt(dtype if dtype is not None or out is None else out.dtype, _dtypes.int64)
    arr = _draw(_rng.randint, _gen(generator), low, high, _shape((size,), "randint"), dt.name)
    return _to_out(out, leaf(arr, dt, requires_grad))


@function("randperm")
def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    n = _int_arg("randperm", "n", n, 1)
    dt = _dt(dtype if dtype is not None or out is None else out.dtype, _dtypes.int64)
    return _to_out(out, leaf(_draw(_rng.randperm, _gen(generator), n, dt.name), dt,
                             requires_grad))


def _like(name, draw):
    def like(input, *, generator=None, dtype=None, layout=None, device=None,
             requires_grad=False, memory_format=None, pin_memory=False):
        dt = _dt(dtype, input.dtype)
        order = _fill_order(input, like=True)
        arr = _placed(draw(_gen(generator), tuple(input.shape), dt, order is None), order)
        return leaf(arr, dt, requires_grad)
    like.__name__ = name
    return function(name)(like)


rand_like = _like("rand_like", lambda g, shape, dt, contiguous: _uniform(g, shape, dt))
randn_like = _like("randn_like", lambda g, shape, dt, contiguous: _normal(
    g, shape, dt, contiguous=contiguous))


@function("randint_like")
def randint_like(input, *args, generator=None, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None, pin_memory=False, **kw):
    """randint_like(input, high) and randint_like(input, low, high)."""
    names = ("low", "high") if len(args) + len(kw) >= 2 else ("high",)
    bound = dict(zip(names, args), **kw)
    if "high" not in bound or len(args) > 2 or set(bound) - {"low", "high"}:
        raise _invalid("randint_like", (input,) + args, kw)
    low = _int_arg("randint_like", "low", bound.get("low", 0), 0)
    high = _int_arg("randint_like", "high", bound["high"], 0)
    dt = _dt(dtype, input.dtype)
    arr = _draw(_rng.randint, _gen(generator), low, high, tuple(input.shape), dt.name)
    return leaf(_placed(arr, _fill_order(input, like=True)), dt, requires_grad)


# ---- fill order -------------------------------------------------------------------------------

def _like_strides(shape, strides):
    """The dense strides a `*_like` result takes: the input's dimensions ordered by stride (on a
    tie the smaller size inside; a zero stride compares as a tie that keeps the order)."""
    def outer(a, b):  # 1: a belongs outside b; -1: inside; 0: undecided
        sa, sb = strides[a], strides[b]
        if sa == 0 or sb == 0:
            return 0
        if sa != sb:
            return 1 if sa > sb else -1
        return 1 if shape[a] > shape[b] else 0
    inner = list(range(len(shape)))[::-1]  # innermost first
    for i in range(1, len(inner)):  # insertion that steps over undecided neighbours
        pos = i
        for k in range(i - 1, -1, -1):
            c = outer(inner[k], inner[pos])
            if c > 0:
                inner[k], inner[pos] = inner[pos], inner[k]
                pos = k
            elif c < 0:
                break
    out, step = [0] * len(shape), 1
    for d in inner:
        out[d] = step
        step *= max(shape[d], 1)
    return tuple(out)


def _fill_order(t, like=False):
    """None for a contiguous destination; else the logical index of each element in increasing
    storage offset, the order torch fills a non-contiguous one in. `like`: the destination is
    a `*_like(t)` result."""
    if t._base is None or is_contiguous(t):
        return None
    shape, strides = tuple(t.shape), strides_of(t)
    if like:
        strides = _like_strides(shape, strides)
        if strides == contiguous_strides(shape):
            return None
    grids = np.indices(shape).reshape(len(shape), -1)
    return np.argsort(np.asarray(strides, np.int64) @ grids, kind="stable")


def _placed(arr, order):
    """Values drawn in fill order `order`, put in their logical places."""
    if order is None:
        return arr
    flat = np.empty(arr.size, arr.dtype)
    flat[order] = arr.reshape(-1)
    return flat.reshape(arr.shape)


# ---- rows that put a host sample into the graph with a zero gradient -------------------------

def _sample_row(node, arity):
    # Outside the op table: no torch overload of its own, the sample passes through and the
    # tensor operands get a zero gradient (compat random_api::grad_fns checks them).
    return OpDef(f"random_sample.{node}", lambda *xs: xs[-1], node=node, arity=arity,
                 saves=False)


_ROWS = {}


def _recorded(node, inputs, sample):
    """`sample` as the output of `node` over the tensor `inputs` (their gradients are zero)."""
    row = _ROWS.get(node)
    if row is None:
        row = _ROWS[node] = _sample_row(node, len(inputs))
    return call(row, tuple(inputs) + (sample,))


def _records(*ts):
    return grad_mode.state.enabled and any(isinstance(t, Tensor) and t.requires_grad for t in ts)


# ---- normal, bernoulli, multinomial ----------------------------------------------------------

_NORMAL_SIGS = (
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
    "device = None, bool pin_memory = False, bool requires_grad = False)\n")
_NORMAL_NODES = {(True, False): "NormalBackward1", (False, True): "NormalBackward2",
                 (True, True): "NormalBackward3"}


@function("normal")
def normal(*args, generator=None, out=None, **kw):
    """torch.normal's four forms: (Tensor, Tensor), (Tensor, float), (float, Tensor) and
    (float, float, size)."""
    names = ("mean", "std", "size")
    bound = dict(zip(names, args))
    opts = {k: kw.pop(k) for k in ("dtype", "layout", "device", "pin_memory", "requires_grad")
            if k in kw}
    if len(args) > 3 or set(kw) - set(names) or set(kw) & set(bound):
        raise _invalid("normal", args, kw, _NORMAL_SIGS)
    bound.update(kw)
    mean, std, size = bound.get("mean"), bound.get("std"), bound.get("size")
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if mean is None or (std is None and not mt) or (size is not None) == (mt or st) or (
            opts and (mt or st)):
        raise _invalid("normal", args, {**kw, **opts}, _NORMAL_SIGS)
    g = _gen(generator)
    if not (mt or st):
        dt = _dt(opts.get("dtype") if opts.get("dtype") is not None or out is None
                 else out.dtype)
        arr = _normal(g, _shape((size,), "normal"), dt, mean, std)
        return _to_out(out, leaf(arr, dt, opts.get("requires_grad", False)))
    std = 1.0 if std is None else std
    ref = mean if mt else std
    _require_float(ref.dtype, "normal_kernel_cpu")
    if mt and st:
        broadcast_shapes(tuple(mean.shape), tuple(std.shape))
    m = _host(mean) if mt else float(mean)
    s = _host(std) if st else float(std)
    arr = _draw(_rng.normal, g, None, None, m, s)
    res = leaf(arr, ref.dtype)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if _records(*tensors):
        res = _recorded(_NORMAL_NODES[mt, st], tensors, res)
    return _to_out(out, res, warn=True)


_P_RANGE = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)")


def _probs(p):
    """A probability tensor on the host, with torch's range check."""
    arr = _host(p)
    if not ((arr >= 0) & (arr <= 1)).all():
        raise RuntimeError(_P_RANGE)
    return arr


@function("bernoulli")
@method("bernoulli")
def bernoulli(input, p=None, *, generator=None, out=None):
    """torch.bernoulli(input): one draw per element with probability input; (input, p): with p."""
    g = _gen(generator)
    if p is None:
        _require_float(input.dtype, "bernoulli_tensor_cpu_p_")
        arr = _draw(_rng.bernoulli, g, _probs(input), tuple(input.shape), input.dtype.name)
        res = leaf(arr, input.dtype)
        if _records(input):
            res = _recorded("BernoulliBackward0", [input], res)
    else:
        res = leaf(_draw(_rng.bernoulli, g, float(p), tuple(input.shape), input.dtype.name),
                   input.dtype)
    return _to_out(out, res)


@function("multinomial")
@method("multinomial")
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    res = _draw(_rng.multinomial, _gen(generator), _host(input), num_samples, replacement)
    return _to_out(out, leaf(res, _dtypes.int64))


# ---- in-place fills --------------------------------------------------------------------------

def _fill(self, draw, node, extra=()):
    """`self` takes `draw(shape, order)`'s values (drawn in fill order `order`, None when
    contiguous); recorded as `node` when autograd tracks `self`."""
    check_inplace(self)
    order = _fill_order(self)
    res = leaf(_placed(draw(tuple(self.shape), order), order), self.dtype)
    if _records(self):
        res = _recorded(node, [self, *extra], res)
    return inplace(self, res)


def _method_draw(self, fn, generator, *args):
    """The draw of `fn` from `_rng` for `self`'s dtype (positional args after the dtype)."""
    g, name = _gen(generator), self.dtype.name
    return lambda shape, order: _draw(fn, g, shape, name, *args)


@method("uniform_")
def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kw):
    from_, to = kw.pop("from", from_), kw.pop("to", to)
    if kw:
        raise _invalid("uniform_", (from_, to), kw)
    _require_float(self.dtype, "check_uniform_bounds")
    return _fill(self, _method_draw(self, _rng.uniform, generator, from_, to),
                 "UniformBackward0")


@method("normal_")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    _require_float(self.dtype, "normal_kernel_cpu")
    g, name = _gen(generator), self.dtype.name

    def draw(shape, order):  # torch: a non-contiguous destination takes the scalar path
        return _draw(_rng.normal, g, shape, name, mean, std, order is None)
    return _fill(self, draw, "NormalBackward0")


@method("random_")
def random_(self, *args, generator=None, **kw):
    """random_(), random_(to), random_(from, to) (to may be None: up to the dtype's limit)."""
    if len(args) > 2 or set(kw) - {"from", "to"}:
        raise _invalid("random_", args, kw)
    if len(args) == 2 or "from" in kw:
        bound = dict(zip(("from", "to"), args), **kw)
        frm, to, node = bound.get("from"), bound.get("to"), "RandomBackward0"
    elif args or "to" in kw:
        frm, to, node = None, args[0] if args else kw["to"], "RandomBackward1"
    else:
        frm, to, node = None, None, "RandomBackward2"
    for v in (frm, to):
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Integral)):
            raise _invalid("random_", args, kw)
    if node == "RandomBackward0" and frm is None:
        raise _invalid("random_", args, kw)
    return _fill(self, _method_draw(self, _rng.random_, generator, frm, to), node)


@method("bernoulli_")
def bernoulli_(self, p=0.5, *, generator=None):
    g, name = _gen(generator), self.dtype.name
    if isinstance(p, Tensor):
        probs = _probs(p)

        def draw(shape, order):  # each draw meets the probability of the element it fills
            pr = probs if order is None else np.broadcast_to(probs, shape).reshape(-1)[order]
            return _draw(_rng.bernoulli, g, pr.reshape(shape), shape, name)
        return _fill(self, draw, "BernoulliBackward1", (p,))
    return _fill(self, lambda shape, _: _draw(_rng.bernoulli, g, p, shape, name),
                 "BernoulliBackward2")


@method("exponential_")
def exponential_(self, lambd=1.0, *, generator=None):
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{SCALAR_NAMES[self.dtype]}")
    return _fill(self, _method_draw(self, _rng.exponential, generator, lambd),
                 "ExponentialBackward0")


@method("log_normal_")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return _fill(self, _method_draw(self, _rng.log_normal, generator, mean, std),
                 "LogNormalBackward0")


@method("geometric_")
def geometric_(self, p, *, generator=None):
    if self.dtype is _dtypes.bool_:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    return _fill(self, _method_draw(self, _rng.geometric, generator, p), "GeometricBackward0")


@method("cauchy_")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={fmt(float(sigma))}")
    return _fill(self, _method_draw(self, _rng.cauchy, generator, median, sigma),
                 "CauchyBackward0")
