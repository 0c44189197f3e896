"""Matrix products: dot/vdot/mv/mm/bmm rows, the add* family (addmm, addmv, addbmm, baddbmm,
addr), and the composites torch builds from them, decomposed as torch decomposes them so the
grad_fn chains match: matmul (DotBackward0, MvBackward0, SqueezeBackward4 over MmBackward0,
folding into mm, UnsafeViewBackward0 over BmmBackward0), outer, tensordot, kron, matrix_power,
chain_matmul. Also trace and cross. Products are computed at full float32 precision, as torch
does on CPU.
"""

import math

import jax
import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import broadcast_shapes, call
from .._tensor import Tensor, _wrap_dim
from ..autograd import grad_mode as _grad_mode
from . import shape as _shape
from ._registry import op
from ._surface import function, method

# torch's C++ type names (caffe2 TypeMeta), used by its mm dtype check
CPP_NAMES = {
    _dtypes.float32: "float", _dtypes.float64: "double", _dtypes.float16: "c10::Half",
    _dtypes.bfloat16: "c10::BFloat16", _dtypes.int64: "long int", _dtypes.int32: "int",
    _dtypes.int16: "short int", _dtypes.int8: "signed char", _dtypes.uint8: "unsigned char",
    _dtypes.bool_: "bool", _dtypes.complex64: "c10::complex<float>",
    _dtypes.complex128: "c10::complex<double>",
}
N = _dtypes.SCALAR_NAMES


def _mm_dtype(a, b):
    if a is not b:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {CPP_NAMES[a]} != "
                           f"{CPP_NAMES[b]}")


def _check_dot(avals, params):
    (sa, da), (sb, db) = avals
    if len(sa) != 1 or len(sb) != 1:
        raise RuntimeError(f"1D tensors expected, but got {len(sa)}D and {len(sb)}D tensors")
    if sa[0] != sb[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] "
                           f"to have the same number of elements, but got {sa[0]} and {sb[0]} "
                           f"elements respectively")
    if da is not db:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {N[da]} and "
                           f"{N[db]}")


def _check_mm(avals, params):
    (sa, da), (sb, db) = avals
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and "
                           f"{sb[0]}x{sb[1]})")
    _mm_dtype(da, db)


def _check_mv(avals, params):
    (sa, da), (sb, db) = avals
    if len(sa) != 2 or len(sb) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(sa)}, {len(sb)}")
    if sa[1] != sb[0]:
        raise RuntimeError(f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x{sa[1]}), vec "
                           f"({sb[0]})")
    if da is not db:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {N[db]}, "
                           f"{N[da]}, and {N[db]}")


def _check_bmm(avals, params):
    (sa, da), (sb, db) = avals
    if len(sa) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(sb) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].")
    if da is not db:
        raise RuntimeError(f"expected scalar type {N[da]} but found {N[db]}")


_HIGHEST = jax.lax.Precision.HIGHEST  # torch computes float32 matmuls in full float32


def _mm_impl(a, b):
    return jnp.matmul(a, b, precision=_HIGHEST)


_dot = op("dot", node="DotBackward0", check=_check_dot)(_mm_impl)
_vdot = op("vdot", node="VdotBackward0", check=_check_dot)(
    lambda a, b: jnp.vdot(a, b, precision=_HIGHEST))
_mv = op("mv", node="MvBackward0", check=_check_mv)(_mm_impl)
_mm = op("mm", node="MmBackward0", check=_check_mm)(_mm_impl)
_bmm = op("bmm", node="BmmBackward0", check=_check_bmm)(_mm_impl)


def _check_mm_vector(avals, params):
    (sa, da), b = avals
    _check_mm((((1,) + sa, da), b), params)


# torch's vector @ matrix is unsqueeze(0) -> mm -> squeeze_(0). When the vector does not require
# grad its unsqueeze leaves no trace in the graph, so this row takes the vector itself: one op
# recorded instead of two, the same MmBackward0 with the same edges
_mm_vector = op("mm_vector", node="MmBackward0", check=_check_mm_vector)(
    lambda a, b: _mm_impl(a[None, :], b))
# torch: matmul squeezes its own mm result in place (squeeze_.dim)
_squeeze_ = op("squeeze_.dim", node="SqueezeBackward4", saves=False)(
    lambda x, dim: jnp.squeeze(x, dim))


def _product(name, row, kernel=None):
    def fn(input, other):
        if kernel and input._v.dtype._kind == 0:  # bool: torch has no kernel
            from .pointwise import kernel_error
            kernel_error(input, kernel, 0)
        return call(row, (input, other))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


dot = _product("dot", _dot, "dot")
vdot = _product("vdot", _vdot)
mv = _product("mv", _mv, "addmv_impl_cpu")
mm = _product("mm", _mm, "addmm_impl_cpu_")
bmm = _product("bmm", _bmm)


# ---- matmul ------------------------------------------------------------------------------------

def _should_fold(a, b):
    """torch's should_fold: fold the batch of the larger operand into mm/mv rows."""
    a_larger = a.dim() >= b.dim()
    big = a if a_larger else b
    small_dim = b.dim() if a_larger else a.dim()
    if not (big.dim() >= 3 and small_dim <= 2):
        return False
    if (b if a_larger else a).requires_grad:
        return True  # torch: avoids a large tensor in the backward
    if a.dim() == 2:
        return False
    if big.numel() == 0:
        return True
    shape = big.shape if a_larger else big.shape[:-2] + (big.shape[-1], big.shape[-2])
    st = _shape.strides_of(big)
    if not a_larger:
        st = st[:-2] + (st[-1], st[-2])
    return all(st[i] == st[i + 1] * shape[i + 1] for i in range(big.dim() - 2))


def _unsafe_view(t, shape):
    return call(_shape._unsafe_view, (t,), (("shape", tuple(shape)),))


@function("matmul")
@method("matmul")
def matmul(input, other):
    da, db = input.dim(), other.dim()
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D "
                           f"and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        if input._v.dtype._kind != 0 and not (input._requires_grad and _grad_mode.state.enabled):
            return call(_squeeze_, (call(_mm_vector, (input, other)),), (("dim", 0),))
        return call(_squeeze_, (mm(_shape.unsqueeze(input, 0), other),), (("dim", 0),))
    if da == 2 and db == 2:
        return mm(input, other)
    if _should_fold(input, other):
        transpose = db > da
        t1 = other.mT if transpose else input
        t2 = (input.t() if da == 2 else input) if transpose else other
        out_shape = tuple(t1.shape[:-1])
        folded = _shape.reshape(t1, (math.prod(out_shape), t1.shape[-1]))
        if t2.dim() == 2:
            out = _unsafe_view(mm(folded, t2), out_shape + (t2.shape[1],))
            return _shape.contiguous(out.mT) if transpose else out
        return _unsafe_view(mv(folded, t2), out_shape)
    return _batched(input, other)


def _batched(a, b):
    """torch's matmul for the remaining cases: expand the batches and bmm."""
    da, db = a.dim(), b.dim()
    if da == 3 and db == 3 and a.shape[0] != b.shape[0]:
        # torch: a broadcast batch of one that requires grad goes through the folding path
        if a.shape[0] == 1 and a.requires_grad:
            return matmul(_shape.squeeze(a, 0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return matmul(a, _shape.squeeze(b, 0))
    n = a.shape[-2] if da > 1 else 1
    m1 = a.shape[-1]
    m2 = b.shape[-2] if db > 1 else b.shape[0]
    p = b.shape[-1] if db > 1 else 1
    batch = broadcast_shapes(a.shape[:-2] if da > 1 else (), b.shape[:-2] if db > 1 else ())
    nb = math.prod(batch)
    a3 = _shape.reshape(_shape.expand(a, batch + (n, m1)), (nb, n, m1))
    if db == 1:
        b3 = _shape.unsqueeze(_shape.reshape(_shape.expand(b, batch + (m2,)), (nb, m2)), 2)
    else:
        b3 = _shape.reshape(_shape.expand(b, batch + (m2, p)), (nb, m2, p))
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    out = bmm(a3, b3)
    if db == 1:
        out = _shape.squeeze(out, -1)
    return _unsafe_view(out, out_shape)


Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)


# ---- add* --------------------------------------------------------------------------------------

def _operands(check):
    """A product check applied to the two matrix operands of an add* row (input, a, b, ...)."""
    return lambda avals, params: check(avals[1:3], params)


def _check_addmm(avals, params):
    _check_mm(avals[1:3], params)
    dc, db = avals[0][1], avals[2][1]
    if dc is not db:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {N[dc]} and {N[db]}")


def _scaled_sum(c, prod, beta, alpha):
    out = jnp.asarray(alpha).astype(prod.dtype) * prod
    # torch: beta == 0 ignores `input` altogether (nan and inf included)
    return jnp.where(beta == 0, out, out + jnp.asarray(beta).astype(prod.dtype) * c)


def _addmm_impl(c, a, b, beta, alpha):
    return _scaled_sum(c, jnp.matmul(a, b, precision=_HIGHEST), beta, alpha)


def _addbmm_impl(c, a, b, beta, alpha):
    return _scaled_sum(c, jnp.matmul(a, b, precision=_HIGHEST).sum(0), beta, alpha)


def _addr_impl(c, a, b, beta, alpha):
    return _addmm_impl(c, a[:, None], b[None, :], beta, alpha)


def _add_row(name, node, impl, check):
    return op(name, node=node, promote="default", promote_args=(0, 1, 2), arity=3,
              check=check)(impl)


_addmm = _add_row("addmm", "AddmmBackward0", _addmm_impl, _check_addmm)
_addmv = _add_row("addmv", "AddmvBackward0", _addmm_impl, _operands(_check_mv))
_baddbmm = _add_row("baddbmm", "BaddbmmBackward0", _addmm_impl, _operands(_check_bmm))
_addbmm = _add_row("addbmm", "AddbmmBackward0", _addbmm_impl, _operands(_check_bmm))
_addr = _add_row("addr", "AddrBackward0", _addr_impl, None)


def _add_fn(name, row, out_shape):
    def fn(input, a, b, *, beta=1, alpha=1):
        shape = out_shape(a._v.shape, b._v.shape)
        if shape is not None and input._v.shape != shape:
            from ..autograd import grad_mode
            with grad_mode.no_grad():
                _shape.expand(input, shape)  # torch's expand errors; the row broadcasts itself
        return call(row, (input, a, b, beta, alpha))
    fn.__name__ = name
    function(name)(fn)
    method(name)(fn)
    return fn


def _shape_of(f):
    def out_shape(sa, sb):
        try:
            return f(sa, sb)
        except IndexError:
            return None  # the row's check raises torch's error
    return out_shape


addmm = _add_fn("addmm", _addmm, _shape_of(lambda sa, sb: (sa[0], sb[1])))
addmv = _add_fn("addmv", _addmv, _shape_of(lambda sa, sb: (sa[0],)))
baddbmm = _add_fn("baddbmm", _baddbmm, _shape_of(lambda sa, sb: (sa[0], sa[1], sb[2])))
addbmm = _add_fn("addbmm", _addbmm, _shape_of(lambda sa, sb: (sa[1], sb[2])))
addr = _add_fn("addr", _addr, _shape_of(lambda sa, sb: (sa[0], sb[0])))


# ---- composites --------------------------------------------------------------------------------

@function("outer", "ger")
@method("outer", "ger")
def outer(input, vec2):
    # torch: self.reshape({size(0), 1}) * vec2
    return _shape.reshape(input, (input.shape[0], 1)) * vec2


@function("inner")
@method("inner")
def inner(input, other):
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    return tensordot(input, other, ([-1], [-1]))


@function("tensordot")
def tensordot(a, b, dims=2):
    if isinstance(dims, int):
        d1 = list(range(a.dim() - dims, a.dim()))
        d2 = list(range(dims))
    else:
        d1, d2 = ([dims[0]], [dims[1]]) if isinstance(dims[0], int) else map(list, dims)
        d1 = [_wrap_dim(d, a.dim()) for d in d1]
        d2 = [_wrap_dim(d, b.dim()) for d in d2]
    for x, y in zip(d1, d2):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in dim "
                               f"{y}")
    free1 = [i for i in range(a.dim()) if i not in d1]
    free2 = [i for i in range(b.dim()) if i not in d2]
    csize = math.prod(a.shape[i] for i in d1)
    s1 = math.prod(a.shape[i] for i in free1)
    s2 = math.prod(b.shape[i] for i in free2)
    out = tuple(a.shape[i] for i in free1) + tuple(b.shape[i] for i in free2)
    # torch: permute both, fold to matrices, one mm (a dot when nothing is left), unfold
    t1, t2 = _shape.permute(a, *(free1 + d1)), _shape.permute(b, *(d2 + free2))
    if not free1 and not free2:
        t1 = t1 if t1.dim() == 1 else _shape.reshape(t1, (csize,))
        t2 = t2 if t2.dim() == 1 else _shape.reshape(t2, (csize,))
        return _shape.reshape(dot(t1, t2), out)
    t1 = _shape.reshape(t1, (s1, csize))
    t2 = _shape.reshape(t2, (csize, s2))
    return _shape.reshape(mm(t1, t2), out)


@function("kron")
@method("kron")
def kron(input, other):
    n = max(input.dim(), other.dim())
    sa = (1,) * (n - input.dim()) + tuple(input.shape)
    sb = (1,) * (n - other.dim()) + tuple(other.shape)
    a_shape = tuple(x for s in sa for x in (s, 1))
    b_shape = tuple(x for s in sb for x in (1, s))
    # torch: _unsafe_view both operands into interleaved shapes, multiply, _unsafe_view back
    prod = _unsafe_view(input, a_shape) * _unsafe_view(other, b_shape)
    return _unsafe_view(prod, tuple(x * y for x, y in zip(sa, sb)))


@op("trace", node="TraceBackward0")
def _trace(x):
    out = jnp.trace(x)
    return out.astype(jnp.int64) if jnp.issubdtype(x.dtype, jnp.integer) else out


@function("trace")
@method("trace")
def trace(input):
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    return call(_trace, (input,))


@op("linalg_cross", node="LinalgCrossBackward0", promote="default", broadcast=True)
def _cross(x, y, dim):
    x, y = jnp.broadcast_arrays(x, y)  # torch: linalg.cross broadcasts its inputs
    return jnp.cross(x, y, axis=dim)


@function("cross")
@method("cross")
def cross(input, other, dim=None):
    if dim is None:  # torch (deprecated): the first dim of size 3
        dim = next((i for i, s in enumerate(broadcast_shapes(input.shape, other.shape))
                    if s == 3), -1)
    d = _wrap_dim(dim, max(input.dim(), other.dim()))
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {d} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    return call(_cross, (input, other), (("dim", d),))


@function("matrix_power")
@method("matrix_power")
def matrix_power(input, n):
    if input.dim() < 2 or input.shape[-1] != input.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they "
                           f"are {input.shape[-2]} by {input.shape[-1]} matrices")
    if n < 0:
        raise NotImplementedError("torchish: matrix_power with a negative exponent (needs an "
                                  "inverse)")
    if n == 0:
        from .factory import eye
        return _shape.clone(_shape.expand(eye(input.shape[-1], dtype=input.dtype), input.shape))
    if n == 1:
        return _shape.clone(input)
    if n == 2:
        return matmul(input, input)
    if n == 3:
        return matmul(matmul(input, input), input)
    z = result = None
    while n > 0:  # torch: binary exponentiation
        bit, n = n % 2, n // 2
        z = input if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


@function("chain_matmul")
def chain_matmul(*matrices):
    ms = list(matrices[0]) if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)) \
        else list(matrices)
    if len(ms) == 1:
        return _shape.clone(ms[0])
    if len(ms) == 2:
        return mm(ms[0], ms[1])
    if len(ms) == 3:
        # torch: the cheaper of (AB)C and A(BC), then a view to the result shape
        a, b = ms[0].shape
        c, d = ms[2].shape[0], ms[2].shape[1]
        if a * c * (b + d) > b * d * (a + c):
            out = mm(ms[0], mm(ms[1], ms[2]))
        else:
            out = mm(mm(ms[0], ms[1]), ms[2])
        return _shape.view(out, out.shape)
    out = ms[0]
    for m in ms[1:]:
        out = mm(out, m)
    return _shape.view(out, out.shape)


from . import einsum  # noqa: E402,F401 - torch.einsum, decomposed as torch does
