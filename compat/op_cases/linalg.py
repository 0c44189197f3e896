"""Matrix products: matmul over every rank combination with torch's grad_fn chains (DotBackward0,
MvBackward0, SqueezeBackward4 over MmBackward0, UnsafeViewBackward0 over MmBackward0/BmmBackward0,
broadcast batches), mm/bmm/mv/dot and their shape/dtype errors, addmm/addmv/baddbmm/addbmm,
outer, einsum, trace, kron, cross, tensordot."""

from . import error, grads


def _m(*shape, scale=0.25):
    """Deterministic data of `shape` (nested lists)."""
    n = 1
    for s in shape:
        n *= s
    flat = [((i * 7) % 11 - 5) * scale for i in range(n)]

    def build(off, dims):
        if not dims:
            return flat[off]
        step = 1
        for s in dims[1:]:
            step *= s
        return [build(off + i * step, dims[1:]) for i in range(dims[0])]
    return build(0, shape)


RANKS = {
    "1_1": ((3,), (3,)), "2_1": ((2, 3), (3,)), "1_2": ((3,), (3, 4)), "2_2": ((2, 3), (3, 4)),
    "3_1": ((2, 2, 3), (3,)), "3_2": ((2, 2, 3), (3, 4)), "1_3": ((3,), (2, 3, 4)),
    "2_3": ((2, 3), (2, 3, 4)), "3_3": ((2, 2, 3), (2, 3, 4)), "4_3": ((2, 1, 2, 3), (3, 3, 4)),
    "3_4": ((3, 2, 3), (2, 1, 3, 4)), "4_1": ((2, 2, 2, 3), (3,)), "1_4": ((3,), (2, 2, 3, 4)),
    "3b_3": ((1, 2, 3), (2, 3, 4)), "4_2": ((2, 2, 2, 3), (3, 4)),
}


def _mat(shapes, fn):
    return lambda torch: grads(torch, fn, *(_m(*s) for s in shapes))


CASES = [(f"matmul_{k}", _mat(v, lambda a, b: a @ b)) for k, v in RANKS.items()]
CASES += [
    ("matmul_fn", _mat(RANKS["2_2"], lambda a, b: a.matmul(b))),
    ("matmul_transposed", _mat(((3, 2), (3, 4)), lambda a, b: a.t() @ b)),
    ("matmul_3d_transposed", _mat(((2, 3, 2), (2, 3, 4)), lambda a, b: a.transpose(1, 2) @ b)),
    ("matmul_rmatmul", lambda torch: torch.tensor(_m(3)).__rmatmul__(torch.tensor(_m(2, 3)))),
    ("matmul_int", lambda torch: torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[5], [6]])),
    ("matmul_float64", lambda torch: grads(torch, lambda a, b: a @ b, torch.tensor(
        _m(2, 3), dtype=torch.float64, requires_grad=True), torch.tensor(
        _m(3, 2), dtype=torch.float64, requires_grad=True))),
    ("matmul_err_0d", lambda torch: error(lambda: torch.tensor(1.0) @ torch.ones(2))),
    ("matmul_err_1_1", lambda torch: error(lambda: torch.ones(3) @ torch.ones(2))),
    ("matmul_err_2_2", lambda torch: error(lambda: torch.ones(2, 3) @ torch.ones(2, 3))),
    ("matmul_err_2_1", lambda torch: error(lambda: torch.ones(2, 3) @ torch.ones(2))),
    ("matmul_err_1_2", lambda torch: error(lambda: torch.ones(2) @ torch.ones(3, 4))),
    ("matmul_err_3_3", lambda torch: error(lambda: torch.ones(2, 2, 3) @ torch.ones(2, 2, 3))),
    ("matmul_err_batch", lambda torch: error(lambda: torch.ones(2, 2, 3) @ torch.ones(3, 3, 4))),
    ("matmul_err_3_2", lambda torch: error(lambda: torch.ones(2, 2, 3) @ torch.ones(2, 4))),
    ("matmul_err_dtype", lambda torch: error(lambda: torch.ones(2, 3) @ torch.ones(
        3, 2, dtype=torch.float64))),
    ("mm", _mat(((2, 3), (3, 4)), lambda a, b: a.mm(b))),
    ("mm_t", _mat(((2, 3), (4, 3)), lambda a, b: a.mm(b.t()))),
    ("bmm", _mat(((2, 2, 3), (2, 3, 4)), lambda a, b: a.bmm(b))),
    ("mv", _mat(((2, 3), (3,)), lambda a, b: a.mv(b))),
    ("dot", _mat(((3,), (3,)), lambda a, b: a.dot(b))),
    ("inner_1d", _mat(((3,), (3,)), lambda a, b: a.inner(b))),
    ("vdot", _mat(((3,), (3,)), lambda a, b: a.vdot(b))),
    ("mm_err_shape", lambda torch: error(lambda: torch.ones(2, 3).mm(torch.ones(2, 3)))),
    ("mm_err_1d", lambda torch: error(lambda: torch.ones(3).mm(torch.ones(3, 2)))),
    ("mm_err_dtype", lambda torch: error(lambda: torch.ones(2, 3).mm(torch.ones(
        3, 2, dtype=torch.float64)))),
    ("mm_int", lambda torch: torch.tensor([[1, 2]]).mm(torch.tensor([[3], [4]]))),
    ("bmm_err_2d", lambda torch: error(lambda: torch.ones(2, 3).bmm(torch.ones(3, 2)))),
    ("bmm_err_batch", lambda torch: error(lambda: torch.ones(2, 2, 3).bmm(torch.ones(3, 3, 2)))),
    ("bmm_err_inner", lambda torch: error(lambda: torch.ones(2, 2, 3).bmm(torch.ones(2, 2, 2)))),
    ("mv_err", lambda torch: error(lambda: torch.ones(2, 3).mv(torch.ones(2)))),
    ("mv_err_dim", lambda torch: error(lambda: torch.ones(3).mv(torch.ones(3)))),
    ("dot_err_size", lambda torch: error(lambda: torch.ones(3).dot(torch.ones(2)))),
    ("dot_err_2d", lambda torch: error(lambda: torch.ones(2, 3).dot(torch.ones(3)))),
    ("dot_err_dtype", lambda torch: error(lambda: torch.ones(3).dot(torch.ones(
        3, dtype=torch.float64)))),
    ("addmm", _mat(((2, 4), (2, 3), (3, 4)), lambda c, a, b: c.addmm(a, b))),
    ("addmm_bcast", lambda torch: grads(torch, torch.addmm, _m(4), _m(2, 3), _m(3, 4))),
    ("addmm_alpha_beta", _mat(((2, 4), (2, 3), (3, 4)),
                              lambda c, a, b: c.addmm(a, b, beta=0.5, alpha=2.0))),
    ("addmm_beta0", _mat(((2, 4), (2, 3), (3, 4)), lambda c, a, b: c.addmm(a, b, beta=0))),
    ("addmm_err", lambda torch: error(lambda: torch.ones(2, 4).addmm(
        torch.ones(2, 3), torch.ones(2, 4)))),
    ("addmm_err_bcast", lambda torch: error(lambda: torch.ones(3, 4).addmm(
        torch.ones(2, 3), torch.ones(3, 4)))),
    ("addmv", _mat(((2,), (2, 3), (3,)), lambda c, a, b: c.addmv(a, b, alpha=0.5))),
    ("addbmm", _mat(((2, 4), (2, 2, 3), (2, 3, 4)), lambda c, a, b: c.addbmm(a, b))),
    ("baddbmm", _mat(((2, 2, 4), (2, 2, 3), (2, 3, 4)), lambda c, a, b: c.baddbmm(a, b))),
    ("baddbmm_bcast", _mat(((4,), (2, 2, 3), (2, 3, 4)),
                           lambda c, a, b: c.baddbmm(a, b, beta=2, alpha=0.5))),
    ("addr", _mat(((2, 3), (2,), (3,)), lambda c, a, b: c.addr(a, b))),
    ("outer", _mat(((2,), (3,)), lambda a, b: a.outer(b))),
    ("ger", _mat(((2,), (3,)), lambda a, b: a.ger(b))),
    ("trace", _mat(((3, 3),), lambda a: a.trace())),
    ("trace_rect", _mat(((2, 3),), lambda a: a.trace())),
    ("trace_err", lambda torch: error(lambda: torch.ones(2, 2, 2).trace())),
    ("kron", _mat(((2, 2), (2, 3)), lambda a, b: a.kron(b))),
    ("kron_1d", _mat(((2,), (3,)), lambda a, b: a.kron(b))),
    ("cross", _mat(((2, 3), (2, 3)), lambda a, b: a.cross(b, dim=1))),
    ("cross_default_dim", _mat(((3, 2), (3, 2)), lambda a, b: a.cross(b))),
    ("cross_err", lambda torch: error(lambda: torch.ones(2, 4).cross(torch.ones(2, 4), dim=1))),
    ("einsum_ij_jk", lambda torch: grads(torch, lambda a, b: torch.einsum("ij,jk->ik", a, b),
                                         _m(2, 3), _m(3, 4))),
    ("einsum_trace", lambda torch: grads(torch, lambda a: torch.einsum("ii", a), _m(3, 3))),
    ("einsum_batch", lambda torch: grads(
        torch, lambda a, b: torch.einsum("bij,bjk->bik", a, b), _m(2, 2, 3), _m(2, 3, 4))),
    ("einsum_outer", lambda torch: grads(torch, lambda a, b: torch.einsum("i,j->ij", a, b),
                                         _m(2), _m(3))),
    ("einsum_sum", lambda torch: grads(torch, lambda a: torch.einsum("ij->j", a), _m(2, 3))),
    ("einsum_list", lambda torch: torch.einsum("ij,jk", [torch.ones(2, 3), torch.ones(3, 2)])),
    ("einsum_ellipsis", lambda torch: grads(
        torch, lambda a, b: torch.einsum("...ij,...jk->...ik", a, b), _m(2, 2, 3), _m(3, 4))),
    ("einsum_ellipsis_implicit", lambda torch: grads(
        torch, lambda a, b: torch.einsum("...j,jk", a, b), _m(2, 2, 3), _m(3, 4))),
    ("einsum_ellipsis_sum", lambda torch: grads(
        torch, lambda a: torch.einsum("i...->i", a), _m(2, 3, 2))),
    ("einsum_implicit_order", lambda torch: grads(
        torch, lambda a, b: torch.einsum("kj,ji", a, b), _m(2, 3), _m(3, 4))),
    ("einsum_dot", lambda torch: grads(torch, lambda a, b: torch.einsum("i,i", a, b), _m(3),
                                       _m(3))),
    ("einsum_full", lambda torch: grads(torch, lambda a, b: torch.einsum("ij,ij->", a, b),
                                        _m(2, 3), _m(2, 3))),
    ("einsum_diag", lambda torch: grads(torch, lambda a: torch.einsum("ii->i", a), _m(3, 3))),
    ("einsum_transpose", lambda torch: grads(torch, lambda a: torch.einsum("ijk->kji", a),
                                             _m(2, 3, 2))),
    ("einsum_three", lambda torch: grads(torch, lambda a, b, c: torch.einsum(
        "ij,jk,kl->il", a, b, c), _m(2, 3), _m(3, 4), _m(4, 2))),
    ("einsum_upper", lambda torch: grads(torch, lambda a, b: torch.einsum("Ab,bC->AC", a, b),
                                         _m(2, 3), _m(3, 2))),
    ("einsum_broadcast_one", lambda torch: grads(
        torch, lambda a, b: torch.einsum("bij,bjk->bik", a, b), _m(1, 2, 3), _m(2, 3, 4))),
    ("einsum_err_operands", lambda torch: error(lambda: torch.einsum("ij,jk", torch.ones(2, 2)))),
    ("einsum_err_dims", lambda torch: error(lambda: torch.einsum("ij", torch.ones(2, 2, 2)))),
    ("einsum_err_out", lambda torch: error(lambda: torch.einsum("ij->k", torch.ones(2, 2)))),
    ("tensordot", lambda torch: grads(torch, lambda a, b: torch.tensordot(a, b, dims=1),
                                      _m(2, 3), _m(3, 4))),
    ("tensordot_pairs", lambda torch: grads(
        torch, lambda a, b: torch.tensordot(a, b, dims=([1, 2], [0, 1])), _m(2, 3, 4),
        _m(3, 4, 2))),
    ("chain_matmul", lambda torch: grads(torch, torch.chain_matmul, _m(2, 3), _m(3, 4), _m(4, 2))),
    ("chain_matmul_other_order", lambda torch: grads(torch, torch.chain_matmul, _m(4, 2), _m(2, 3),
                                                     _m(3, 1))),
    ("matrix_power", lambda torch: grads(torch, lambda a: torch.matrix_power(a, 3), _m(2, 2))),
    ("matrix_power_5", lambda torch: grads(torch, lambda a: a.matrix_power(5), _m(2, 2))),
    ("matrix_power_1", lambda torch: grads(torch, lambda a: a.matrix_power(1), _m(2, 2))),
    ("matmul_3_2_nograd", lambda torch: _chain(torch.tensor(_m(2, 2, 3), requires_grad=True)
                                               @ torch.tensor(_m(3, 4)))),
    ("matmul_3t_2_nograd", lambda torch: _chain(torch.tensor(
        _m(2, 3, 2), requires_grad=True).transpose(1, 2) @ torch.tensor(_m(3, 4)))),
    ("matmul_2_3_nograd", lambda torch: _chain(torch.tensor(_m(2, 3)) @ torch.tensor(
        _m(2, 3, 4), requires_grad=True))),
    ("matmul_1_3_nograd", lambda torch: _chain(torch.tensor(_m(3)) @ torch.tensor(
        _m(2, 3, 4), requires_grad=True))),
    ("matmul_3_1_nograd", lambda torch: _chain(torch.tensor(_m(2, 2, 3), requires_grad=True)
                                               @ torch.tensor(_m(3)))),
    ("matmul_empty", lambda torch: torch.ones(2, 0) @ torch.ones(0, 3)),
    ("matmul_precision", lambda torch: torch.tensor(
        [[1.0000001, 3.3333333], [1e-3, 7.7777777]]) @ torch.tensor(
        [[2.2222222, 1e4], [9.8765432, 0.1234567]])),
]



def _chain(t):
    """The value and grad_fn chain only (no backward)."""
    return t
