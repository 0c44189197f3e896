"""Shape and view ops: view vs reshape (contiguity, strides, UnsafeViewBackward0 over
CloneBackward0), squeeze/unsqueeze/flatten/expand/permute/transpose, joining and splitting,
movedim/tile/meshgrid/diff, and torch's error messages for each."""

from . import error, grads

M = [[0.5, -1.25, 2.0], [-0.75, 1.5, 0.25]]
T3 = [[[0.5, -1.0, 2.0, 1.5], [0.25, 3.0, 1.25, -2.0], [1.0, 0.0, -0.5, 0.75]],
      [[2.5, -1.5, 0.5, 1.0], [-0.25, 0.5, 2.0, -1.0], [1.5, 1.0, 0.25, -0.75]]]
V = [0.5, -1.25, 2.0]


def _g(f, *data):
    return lambda torch: grads(torch, f, *(data or (M,)))


def _gt(f, *data):
    """Like _g, for functions that need the torch module: f(torch, *leaves)."""
    return lambda torch: grads(torch, lambda *xs: f(torch, *xs), *data)


def _layout(torch, f, data=T3):
    """Shape, strides and contiguity of a view of a fresh tensor."""
    t = f(torch.tensor(data))
    return {"shape": t.shape, "stride": t.stride(), "contiguous": t.is_contiguous(),
            "stride0": t.stride(0) if t.dim() else None}


VIEWS = {
    "view": lambda a: a.view(3, 2), "view_infer": lambda a: a.view(-1), "view_tuple":
    lambda a: a.view((1, 6)), "view_as": lambda a: a.view_as(a.t().contiguous()),
    "reshape": lambda a: a.reshape(3, 2), "reshape_fn_tuple": lambda a: a.reshape((6,)),
    "reshape_t": lambda a: a.t().reshape(6), "reshape_T_infer": lambda a: a.T.reshape(-1, 2),
    "reshape_t_viewable": lambda a: a.t().reshape(3, 1, 2), "view_t_compatible":
    lambda a: a.t().view(3, 1, 2), "flatten": lambda a: a.flatten(), "flatten_t":
    lambda a: a.t().flatten(), "ravel": lambda a: a.ravel(), "unflatten":
    lambda a: a.unflatten(1, (3, 1)),
    "unflatten_infer": lambda a: a.flatten().unflatten(0, (-1, 3)),
    "t": lambda a: a.t(), "T": lambda a: a.T, "mT": lambda a: a.mT, "transpose":
    lambda a: a.transpose(0, 1), "transpose_neg": lambda a: a.transpose(-1, -2), "swapaxes":
    lambda a: a.swapaxes(0, 1), "permute": lambda a: a.permute(1, 0), "permute_tuple":
    lambda a: a.permute((1, 0)), "permute_neg": lambda a: a.permute(-1, 0), "squeeze":
    lambda a: a.unsqueeze(0).squeeze(), "squeeze_dim": lambda a: a.unsqueeze(1).squeeze(1),
    "squeeze_dims": lambda a: a.unsqueeze(0).unsqueeze(2).squeeze((0, 2)),
    "squeeze_noop_dim": lambda a: a.squeeze(0), "unsqueeze": lambda a: a.unsqueeze(0),
    "unsqueeze_neg": lambda a: a.unsqueeze(-1), "expand": lambda a: a.expand(4, 2, 3),
    "expand_neg1": lambda a: a.unsqueeze(0).expand(2, -1, -1),
    "expand_as": lambda a: a.expand_as(a.unsqueeze(0).expand(2, 2, 3)), "broadcast_to":
    lambda a: a.broadcast_to((3, 2, 3)), "movedim": lambda a: a.movedim(0, 1), "moveaxis":
    lambda a: a.unsqueeze(0).moveaxis((0, 1), (2, 0)), "contiguous_t": lambda a: a.t().contiguous(),
    "contiguous_noop": lambda a: a.contiguous(), "clone": lambda a: a.clone(), "clone_t":
    lambda a: a.t().clone(), "tile": lambda a: a.tile(2), "tile_more": lambda a: a.tile((2, 1, 2)),
    "repeat": lambda a: a.repeat(2, 1),
    "view_chain": lambda a: a.t().unsqueeze(0).transpose(0, 2).squeeze(),
}

CASES = [(f"v_{n}", _g(f)) for n, f in VIEWS.items()]
CASES += [
    ("v_squeeze_0d", _g(lambda a: a.squeeze(), 1.5)),
    ("v_squeeze_0d_dim", _g(lambda a: a.squeeze(0), 1.5)),
    ("v_unsqueeze_0d", _g(lambda a: a.unsqueeze(0), 1.5)),
    ("v_flatten_0d", _g(lambda a: a.flatten(), 1.5)),
    ("v_view_0d", _g(lambda a: a.view(1, 1), 1.5)),
    ("v_reshape_empty", lambda torch: torch.zeros(0, 3).reshape(3, 0, 2)),
    ("v_view_infer_empty", lambda torch: error(lambda: torch.zeros(0, 3).view(-1, 0))),
    ("v_flatten_range", _g(lambda a: a.flatten(1, 2), T3)),
    ("v_flatten_t3_perm", _g(lambda a: a.permute(2, 0, 1).flatten(1), T3)),
    ("v_view_perm_ok", _g(lambda a: a.permute(1, 0, 2).view(3, 2, 2, 2), T3)),
    ("v_reshape_perm", _g(lambda a: a.permute(1, 0, 2).reshape(3, 8), T3)),
    ("v_T_3d", _g(lambda a: a.T, T3)),
    ("v_mT_3d", _g(lambda a: a.mT, T3)),
    ("v_movedim_3d", _g(lambda a: a.movedim((0, 2), (1, 0)), T3)),
    ("v_T_1d", _g(lambda a: a.T, V)),
    ("v_t_1d", _g(lambda a: a.t(), V)),
    ("layout_contiguous", lambda torch: _layout(torch, lambda t: t)),
    ("layout_t", lambda torch: _layout(torch, lambda t: t[0].t())),
    ("layout_transpose", lambda torch: _layout(torch, lambda t: t.transpose(0, 2))),
    ("layout_permute", lambda torch: _layout(torch, lambda t: t.permute(2, 0, 1))),
    ("layout_expand", lambda torch: _layout(torch, lambda t: t[:, :1].expand(2, 5, 4))),
    ("layout_expand_new", lambda torch: _layout(torch, lambda t: t.expand(3, 2, 3, 4))),
    ("layout_unsqueeze", lambda torch: _layout(torch, lambda t: t.unsqueeze(1))),
    ("layout_unsqueeze_t", lambda torch: _layout(torch, lambda t: t.transpose(0, 1).unsqueeze(2))),
    ("layout_squeeze", lambda torch: _layout(torch, lambda t: t[:1].squeeze(0))),
    ("layout_view_perm", lambda torch: _layout(torch, lambda t: t.permute(1, 0, 2).view(3, 2, 2,
                                                                                       2))),
    ("layout_reshape_t", lambda torch: _layout(torch, lambda t: t.transpose(1, 2).reshape(2, 12))),
    ("layout_contiguous_t", lambda torch: _layout(torch, lambda t: t.transpose(1, 2).contiguous())),
    ("layout_flatten_t", lambda torch: _layout(torch, lambda t: t.transpose(0, 1).flatten(1))),
    ("layout_0d", lambda torch: _layout(torch, lambda t: t, 1.5)),
    ("layout_size1", lambda torch: _layout(torch, lambda t: t.view(2, 1, 12).transpose(1, 0))),
    ("layout_movedim", lambda torch: _layout(torch, lambda t: t.movedim(2, 0))),
    ("layout_empty", lambda torch: _layout(torch, lambda t: t, [[], []])),
    ("stride_neg_dim", lambda torch: torch.zeros(2, 3, 4).transpose(0, 1).stride(-1)),
    ("contiguous_is_self", lambda torch: [torch.zeros(2, 3).contiguous()._version,
                                          _same(torch.zeros(2, 3), lambda t: t.contiguous())]),
    ("reshape_is_view", lambda torch: _shares(torch, lambda t: t.reshape(6))),
    ("reshape_t_is_copy", lambda torch: _shares(torch, lambda t: t.t().reshape(6))),
    ("view_shares", lambda torch: _shares(torch, lambda t: t.view(3, 2))),
    ("detach", lambda torch: _detach(torch)),
    ("view_dtype", lambda torch: torch.tensor([1.0, -2.0]).view(torch.int32)),
    ("view_dtype_size_error", lambda torch: error(
        lambda: torch.tensor([1.0, -2.0]).view(torch.int64))),
    # errors
    ("view_incompatible", lambda torch: error(lambda: torch.zeros(2, 3).t().view(6))),
    ("view_bad_size", lambda torch: error(lambda: torch.zeros(2, 3).view(4, 2))),
    ("view_bad_infer", lambda torch: error(lambda: torch.zeros(2, 3).view(4, -1))),
    ("view_two_infer", lambda torch: error(lambda: torch.zeros(2, 3).view(-1, -1))),
    ("reshape_bad", lambda torch: error(lambda: torch.zeros(2, 3).reshape(5))),
    ("view_neg_size", lambda torch: error(lambda: torch.zeros(2, 3).view(-2, 3))),
    ("expand_fewer", lambda torch: error(lambda: torch.zeros(2, 3).expand(3))),
    ("expand_mismatch", lambda torch: error(lambda: torch.zeros(2, 3).expand(2, 4))),
    ("expand_mismatch_double", lambda torch: error(
        lambda: torch.zeros(2, 3, dtype=torch.float64).expand(4, 3))),
    ("expand_leading_neg", lambda torch: error(lambda: torch.zeros(2, 3).expand(-1, 2, 3))),
    ("expand_int_names", lambda torch: error(lambda: torch.zeros(2, dtype=torch.int64).expand(3))),
    ("permute_len", lambda torch: error(lambda: torch.zeros(2, 3).permute(0))),
    ("permute_dup", lambda torch: error(lambda: torch.zeros(2, 3).permute(0, 0))),
    ("permute_range", lambda torch: error(lambda: torch.zeros(2, 3).permute(0, 2))),
    ("transpose_range", lambda torch: error(lambda: torch.zeros(2, 3).transpose(0, 2))),
    ("t_3d", lambda torch: error(lambda: torch.zeros(2, 3, 4).t())),
    ("squeeze_range", lambda torch: error(lambda: torch.zeros(2, 3).squeeze(2))),
    ("unsqueeze_range", lambda torch: error(lambda: torch.zeros(2, 3).unsqueeze(3))),
    ("flatten_order", lambda torch: error(lambda: torch.zeros(2, 3, 4).flatten(2, 1))),
    ("unflatten_bad", lambda torch: error(lambda: torch.zeros(2, 6).unflatten(1, (4, 2)))),
    ("movedim_dup", lambda torch: error(lambda: torch.zeros(2, 3).movedim((0, 0), (0, 1)))),
]


def _same(t, f):
    return f(t) is t


def _shares(torch, f):
    """Whether f(t) shares storage with t (a write through t shows), and the versions."""
    t = torch.zeros(2, 3)
    v = f(t)
    t.add_(1)
    return {"v": v, "version": v._version}


def _detach(torch):
    a = torch.tensor(M, requires_grad=True)
    b = (a * 2).detach()
    c = a.detach()
    c.add_(1)
    return {"b": b, "leaf": [b.is_leaf, b.requires_grad, c._version, a._version], "a": a}


# ---- joining and splitting -------------------------------------------------------------------

A2 = [[0.5, -1.25], [2.0, 1.0]]
B2 = [[-0.75, 1.5], [0.25, 3.0]]
C3 = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
CASES += [
    ("cat0", _gt(lambda torch, a, b: torch.cat([a, b]), A2, B2)),
    ("cat1", _gt(lambda torch, a, b: torch.cat([a, b], 1), A2, B2)),
    ("cat_neg", _gt(lambda torch, a, b: torch.cat([a, b], -1), A2, C3)),
    ("cat_three", _gt(lambda torch, a, b, c: torch.cat([a, b, c], 1), A2, B2, A2)),
    ("cat_promote", lambda torch: grads(torch, lambda a: torch.cat(
        [a, torch.tensor(B2, dtype=torch.float64)]), A2)),
    ("cat_int_float", lambda torch: torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])])),
    ("cat_legacy_empty", lambda torch: grads(torch, lambda a: torch.cat(
        [a, torch.tensor([])]), A2)),
    ("cat_concat_alias", lambda torch: torch.concat([torch.tensor(V), torch.tensor(V)])),
    ("cat_tuple", lambda torch: torch.cat((torch.tensor(V), torch.tensor(V)), dim=0)),
    ("cat_err_sizes", lambda torch: error(lambda: torch.cat(
        [torch.zeros(2, 3), torch.zeros(3, 2)]))),
    ("cat_err_ndim", lambda torch: error(lambda: torch.cat([torch.zeros(2, 3), torch.zeros(3)]))),
    ("cat_err_empty", lambda torch: error(lambda: torch.cat([]))),
    ("cat_err_0d", lambda torch: error(lambda: torch.cat([torch.tensor(1.0), torch.tensor(2.0)]))),
    ("cat_err_dim", lambda torch: error(lambda: torch.cat([torch.zeros(2), torch.zeros(2)], 1))),
    ("stack0", _gt(lambda torch, a, b: torch.stack([a, b]), A2, B2)),
    ("stack_last", _gt(lambda torch, a, b: torch.stack([a, b], -1), A2, B2)),
    ("stack_mid", _gt(lambda torch, a, b: torch.stack((a, b), dim=1), A2, B2)),
    ("stack_0d", _gt(lambda torch, a, b: torch.stack([a, b]), 1.5, 2.5)),
    ("stack_err_shape", lambda torch: error(lambda: torch.stack(
        [torch.zeros(2, 3), torch.zeros(3, 2)]))),
    ("stack_err_empty", lambda torch: error(lambda: torch.stack([]))),
    ("stack_err_dim", lambda torch: error(lambda: torch.stack([torch.zeros(2)], 2))),
    ("hstack", _gt(lambda torch, a, b: torch.hstack([a, b]), A2, B2)),
    ("vstack", _gt(lambda torch, a, b: torch.vstack([a, b]), V, V)),
    ("split_int", _g(lambda a: a.split(2, 1), T3[0])),
    ("split_sizes", _g(lambda a: a.split([1, 3], 1), T3[0])),
    ("split_fn", _gt(lambda torch, a: torch.split(a, [3, 1], dim=-1), T3[0])),
    ("split_exact", _g(lambda a: a.split(1), M)),
    ("split_big", _g(lambda a: a.split(5), M)),
    ("split_err", lambda torch: error(lambda: torch.zeros(2, 4).split([1, 2], 1))),
    ("split_zero_error", lambda torch: error(lambda: torch.zeros(2, 4).split(0, 1))),
    ("chunk_uneven", _g(lambda a: a.chunk(3, 1), [[1.0, 2.0, 3.0, 4.0, 5.0]])),
    ("chunk_more", _g(lambda a: a.chunk(4, 0), M)),
    ("chunk_even", _g(lambda a: a.chunk(2, -1), T3[0])),
    ("chunk_6_4", lambda torch: [c.shape for c in torch.zeros(6).chunk(4)]),
    ("chunk_err", lambda torch: error(lambda: torch.zeros(3).chunk(0))),
    ("unbind0", _g(lambda a: a.unbind(), M)),
    ("unbind1", _g(lambda a: a.unbind(1), M)),
    ("unbind_fn", _gt(lambda torch, a: torch.unbind(a, 2), T3)),
    ("tensor_split", lambda torch: [t.shape for t in torch.zeros(7).tensor_split(3)]),
    ("split_grad_one_part", lambda torch: _one_part(torch)),
    ("meshgrid_ij", _gt(lambda torch, a, b: torch.meshgrid(a, b, indexing="ij"), V, [1.0, 2.0])),
    ("meshgrid_xy", _gt(lambda torch, a, b: torch.meshgrid(a, b, indexing="xy"), V, [1.0, 2.0])),
    ("meshgrid_list", _gt(lambda torch, a, b: torch.meshgrid([a, b], indexing="ij"), V, V)),
    ("diff", _g(lambda a: a.diff(), M)),
    ("diff_dim0", _g(lambda a: a.diff(dim=0), M)),
    ("diff_n2", _g(lambda a: a.diff(n=2), [[1.0, 4.0, 9.0, 16.0]])),
    ("diff_prepend", _g(lambda a, b: a.diff(prepend=b), V, [0.25])),
    ("hsplit", _gt(lambda torch, a: torch.hsplit(a, 3), M)),
    ("hsplit_1d", _gt(lambda torch, a: torch.hsplit(a, [1]), V)),
    ("vsplit", _gt(lambda torch, a: torch.vsplit(a, 2), M)),
    ("dsplit", _gt(lambda torch, a: torch.dsplit(a.reshape(1, 2, 3), [2]), M)),
    ("hsplit_err", lambda torch: error(lambda: torch.hsplit(torch.zeros(2, 3), 2))),
    ("vsplit_err", lambda torch: error(lambda: torch.vsplit(torch.zeros(3), 1))),
    ("column_stack", _gt(lambda torch, a, b: torch.column_stack([a, b]), V, V)),
    ("column_stack_2d", _gt(lambda torch, a, b: torch.column_stack([a, b]), M, [[1.0], [2.0]])),
    ("rot90", _gt(lambda torch, a: torch.rot90(a), M)),
    ("rot90_k", _gt(lambda torch, a: a.rot90(-3, [1, 0]), M)),
    ("rot90_err", lambda torch: error(lambda: torch.rot90(torch.zeros(2, 2), 1, [0, 0]))),
    ("flipud_fliplr", _gt(lambda torch, a: (torch.flipud(a), torch.fliplr(a)), M)),
    ("cartesian_prod", _gt(lambda torch, a, b: torch.cartesian_prod(a, b), V, [1.0, 2.0])),
    ("block_diag", _gt(lambda torch, a, b: torch.block_diag(a, b), M, V)),
    ("block_diag_promote", lambda torch: torch.block_diag(torch.tensor([[1, 2]]),
                                                          torch.tensor(2.5))),
    ("tile_fn", _gt(lambda torch, a: torch.tile(a, (2, 2)), V)),
    ("movedim_fn", _gt(lambda torch, a: torch.movedim(a, -1, 0), T3)),
]


def _one_part(torch):
    a = torch.tensor(M, requires_grad=True)
    p = a.split(1, 1)
    (p[1] * 2).sum().backward()
    return {"grad": a.grad, "fn": p[1].grad_fn, "nr": [q.output_nr for q in p]}
