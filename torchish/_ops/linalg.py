"""Matrix products: dot/mv/mm/bmm rows, and matmul composed the way torch decomposes it
(so `a @ b` records the same grad_fn chain: DotBackward0, MvBackward0, SqueezeBackward4 over
MmBackward0, UnsafeViewBackward0 over MmBackward0/BmmBackward0)."""

import math

import jax
import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import broadcast_shapes, call
from .._tensor import Tensor
from . import shape as _shape
from ._registry import op
from ._surface import function, method


def _names(avals):
    return [_dtypes.SCALAR_NAMES[a[1]] for a in avals]


def _same_dtype(what):
    def check(avals, params):
        a, b = avals[0][1], avals[1][1]
        if a is not b:
            n = _names(avals)
            raise RuntimeError(f"{what}: expected both vectors to have same dtype, but found "
                               f"{n[0]} and {n[1]}" if what == "dot" else
                               f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_dtypes.SCALAR_NAMES[a]} != {_dtypes.SCALAR_NAMES[b]}")
    return check


def _check_dot(avals, params):
    (sa, _), (sb, _) = avals
    if len(sa) != 1 or len(sb) != 1:
        raise RuntimeError(f"1D tensors expected, but got {len(sa)}D and {len(sb)}D tensors")
    if sa[0] != sb[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] "
                           f"to have the same number of elements, but got {sa[0]} and {sb[0]} "
                           f"elements respectively")
    _same_dtype("dot")(avals, params)


def _check_mm(avals, params):
    (sa, _), (sb, _) = avals
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and "
                           f"{sb[0]}x{sb[1]})")
    _same_dtype("mm")(avals, params)


def _check_mv(avals, params):
    (sa, _), (sb, _) = avals
    if len(sa) != 2 or len(sb) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(sa)}, {len(sb)}")
    if sa[1] != sb[0]:
        raise RuntimeError(f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x{sa[1]}), vec "
                           f"({sb[0]})")
    _same_dtype("mv")(avals, params)


def _check_bmm(avals, params):
    (sa, _), (sb, _) = avals
    if len(sa) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(sb) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].")
    _same_dtype("bmm")(avals, params)


_HIGHEST = jax.lax.Precision.HIGHEST  # torch computes float32 matmuls in full float32


def _mm_impl(a, b):
    return jnp.matmul(a, b, precision=_HIGHEST)


_dot = op("dot", node="DotBackward0", check=_check_dot)(_mm_impl)
_mv = op("mv", node="MvBackward0", check=_check_mv)(_mm_impl)
_mm = op("mm", node="MmBackward0", check=_check_mm)(_mm_impl)
_bmm = op("bmm", node="BmmBackward0", check=_check_bmm)(_mm_impl)


@function("dot", "inner")
@method("dot", "inner")
def dot(input, other):
    return call(_dot, (input, other))


@function("mv")
@method("mv")
def mv(input, vec):
    return call(_mv, (input, vec))


@function("mm")
@method("mm")
def mm(input, mat2):
    return call(_mm, (input, mat2))


@function("bmm")
@method("bmm")
def bmm(input, mat2):
    return call(_bmm, (input, mat2))


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
        return _shape.squeeze(mm(_shape.unsqueeze(input, 0), other), 0)
    if da == 2 and db == 2:
        return mm(input, other)
    if da >= 3 and db <= 2:
        # torch: fold the batch dims into the rows of one mm
        sa = input._v.shape
        folded = _shape.reshape(input, (-1, sa[-1]))
        if db == 1:
            out = mv(folded, other)
            return call(_shape._unsafe_view, (out,), (("shape", sa[:-1]),))
        out = mm(folded, other)
        return call(_shape._unsafe_view, (out,), (("shape", sa[:-1] + (other._v.shape[-1],)),))
    return _batched(input, other)


def _batched(a, b):
    sa, sb = a._v.shape, b._v.shape
    va = sa if len(sa) > 1 else (1,) + sa
    vb = sb if len(sb) > 1 else sb + (1,)
    if va[-1] != vb[-2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{math.prod(va[:-2])}, {va[-1]}] but got: "
                           f"[{math.prod(vb[:-2])}, {vb[-2]}].")
    batch = broadcast_shapes(va[:-2], vb[:-2])
    nb = math.prod(batch)
    if len(sa) == 1:
        a = _shape.unsqueeze(a, 0)
    if len(sb) == 1:
        b = _shape.unsqueeze(b, -1)
    a3 = _shape.reshape(_shape.expand(a, batch + va[-2:]), (nb,) + va[-2:])
    b3 = _shape.reshape(_shape.expand(b, batch + vb[-2:]), (nb,) + vb[-2:])
    out_shape = tuple(x for x in batch) + ((va[-2],) if len(sa) > 1 else ()) + (
        (vb[-1],) if len(sb) > 1 else ())
    return call(_shape._unsafe_view, (bmm(a3, b3),), (("shape", out_shape),))


Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)


@function("outer", "ger")
@method("outer", "ger")
def outer(input, vec2):
    return _shape.unsqueeze(input, 1) * vec2


@op("einsum", node="EinsumBackward0", promote="default")
def _einsum(*xs, equation):
    return jnp.einsum(equation, *xs, precision=_HIGHEST)


@function("einsum")
def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return call(_einsum, operands, (("equation", equation),))
