"""torch.einsum as torch computes it on CPU: diagonals for repeated labels, unsqueeze and permute
every operand to one label order, then contract left to right, each pair with one bmm (or a
mul when nothing is summed), so the grad_fn chain is torch's (PermuteBackward0, BmmBackward0,
ViewBackward0, SumBackward1, MulBackward0, DiagonalBackward0)."""

import math

from . import shape as _shape
from ._surface import function

ELLIPSIS = "..."


def _label_order(c):
    # torch: uppercase labels sort before lowercase ones
    return (0, ord(c)) if c.isupper() else (1, ord(c))


def _parse(equation, ndims):
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise RuntimeError(f"einsum(): more operands were provided than specified in the equation"
                           if len(ndims) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")
    ops = []
    for term, nd in zip(terms, ndims):
        labels = []
        rest = term
        while rest:
            if rest.startswith(ELLIPSIS):
                labels.append(ELLIPSIS)
                rest = rest[3:]
            elif rest[0].isalpha():
                labels.append(rest[0])
                rest = rest[1:]
            else:
                raise RuntimeError(f"einsum(): invalid subscript given at index "
                                   f"{len(lhs) - len(rest)} in the equation string, subscripts "
                                   f"must be in [a-zA-Z]")
        n_lab = sum(1 for x in labels if x != ELLIPSIS)
        if (ELLIPSIS in labels and nd < n_lab) or (ELLIPSIS not in labels and nd != n_lab):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_lab}) "
                               f"does not match the number of dimensions ({nd}) for operand "
                               f"{len(ops)}" + ("" if ELLIPSIS in labels else
                                                " and no ellipsis was given"))
        ops.append(labels)
    out = None
    if arrow:
        out = []
        rest = rhs
        while rest:
            if rest.startswith(ELLIPSIS):
                out.append(ELLIPSIS)
                rest = rest[3:]
            else:
                out.append(rest[0])
                rest = rest[1:]
    return ops, out


def _sum(t, dims, keepdim):
    from .reduction import sum as sum_
    return sum_(t, dims, keepdim)


def _sumproduct_pair(left, right, sum_dims):
    """torch's sumproduct_pair with keepdim=True: permute, fold to 3-D, bmm, unfold, permute."""
    if not sum_dims:
        return left * right
    ndim = left.dim()
    lro, lo, ro = [], [], []
    sum_size = 1
    for i in range(ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                sum_size *= left.shape[i]
            elif sl:
                left = _sum(left, (i,), True)
            elif sr:
                right = _sum(right, (i,), True)
        elif sl and sr:
            lro.append(i)
        elif sl:
            lo.append(i)
        else:
            ro.append(i)
    lro_size = math.prod(left.shape[d] for d in lro)
    lo_size = math.prod(left.shape[d] for d in lo)
    ro_size = math.prod(right.shape[d] for d in ro)
    out_size = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sum_dims)
                + [right.shape[d] for d in ro])
    lperm = lro + lo + list(sum_dims) + ro
    rperm = lro + list(sum_dims) + ro + lo
    operm = [0] * len(lperm)
    for i, d in enumerate(lro + lo + list(sum_dims) + ro):
        operm[d] = i
    left = _shape.reshape(_shape.permute(left, *lperm), (lro_size, lo_size, sum_size))
    right = _shape.reshape(_shape.permute(right, *rperm), (lro_size, sum_size, ro_size))
    from .linalg import bmm
    return _shape.permute(_shape.view(bmm(left, right), tuple(out_size)), *operm)


@function("einsum")
def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    labels, out = _parse(equation, [t.dim() for t in operands])
    ell_dims = max((t.dim() - (len(lab) - 1) for t, lab in zip(operands, labels)
                    if ELLIPSIS in lab), default=0)
    count = {}
    for lab in labels:
        for x in lab:
            if x != ELLIPSIS:
                count[x] = count.get(x, 0) + 1
    perm_of, perm_index, ell_index = {}, 0, 0
    if out is None:  # implicit: the ellipsis, then the labels seen once, in torch's label order
        perm_index = ell_dims
        for x in sorted(count, key=_label_order):
            if count[x] == 1:
                perm_of[x] = perm_index
                perm_index += 1
    else:
        for x in out:
            if x == ELLIPSIS:
                ell_index = perm_index
                perm_index += ell_dims
            else:
                if x not in count:
                    raise RuntimeError(f"einsum(): output subscript {x} does not appear in the "
                                       f"equation for any input operand")
                perm_of[x] = perm_index
                perm_index += 1
    out_dims = perm_index
    if out is not None and ELLIPSIS not in out:
        ell_index = perm_index
        perm_index += ell_dims
    for x in sorted(count, key=_label_order):
        if x not in perm_of:
            perm_of[x] = perm_index
            perm_index += 1

    ops = []
    for t, lab in zip(operands, labels):
        perm = [-1] * perm_index
        seen = {}
        j = 0
        for x in lab:
            if x == ELLIPSIS:
                for _ in range(ell_dims - (t.dim() - (len(lab) - 1))):
                    t = _shape.unsqueeze(t, j)
                for k in range(ell_dims):
                    perm[ell_index + k] = j
                    j += 1
            elif x in seen:  # repeated label: take the diagonal
                d = seen[x]
                if t.shape[j] != t.shape[d]:
                    raise RuntimeError(f"einsum(): subscript {x} is repeated for operand "
                                       f"{len(ops)} but the sizes don't match, {t.shape[j]} != "
                                       f"{t.shape[d]}")
                from .indexing import diagonal
                t = _shape.movedim(diagonal(t, 0, d, j), -1, d)
            else:
                seen[x] = j
                perm[perm_of[x]] = j
                j += 1
        for i in range(perm_index):
            if perm[i] == -1:
                t = _shape.unsqueeze(t, -1)
                perm[i] = j
                j += 1
        ops.append(_shape.permute(t, *perm))
    counts = [sum(1 for t in ops if t.shape[d] != 1) for d in range(perm_index)]

    while len(ops) > 1:
        a, b = ops[0], ops[1]
        ops = ops[2:]
        sum_dims = []
        for d in range(out_dims, perm_index):
            if a.shape[d] != 1 and b.shape[d] != 1:
                counts[d] -= 1
                if counts[d] == 1:
                    sum_dims.append(d)
                    counts[d] = 0
            elif counts[d] == 1:
                if a.shape[d] != 1:
                    a = _sum(a, (d,), True)
                    counts[d] = 0
                elif b.shape[d] != 1:
                    b = _sum(b, (d,), True)
                    counts[d] = 0
        ops.append(_sumproduct_pair(a, b, sum_dims))

    result = ops[0]
    if perm_index > out_dims:
        if len(operands) > 1:
            return _shape.view(result, tuple(result.shape[:out_dims]))
        return _sum(result, tuple(range(out_dims, perm_index)), False)
    return result
