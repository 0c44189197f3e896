"""Views share storage with their base; in-place ops bump the shared version counter
(`_version`)."""


def case_view_writes_reach_base(torch):
    base = torch.zeros(6)
    v = base.view(2, 3)
    v[0, 1] = 5.0
    base.add_(1)
    return {"base": base, "view": v, "is_base": v._base is base, "base_of_base": base._base}


def case_slice_and_transpose_views(torch):
    m = torch.arange(6.0).view(2, 3)
    s = m[:, 1:]
    s.fill_(-1.0)
    t = m.t()
    t[0, 1] = 9.0
    r = m[1]
    r.mul_(10)
    return {"m": m, "t": t, "t_contiguous": t.is_contiguous(), "m_contiguous": m.is_contiguous()}


def case_clone_and_reshape(torch):
    x = torch.arange(4.0)
    c = x.clone()
    c[0] = 100.0
    r = x.reshape(2, 2)
    r[1, 1] = 7.0
    nc = x.view(2, 2).T.reshape(4)  # not viewable: a copy
    nc[0] = -1.0
    return {"x": x, "clone": c, "reshape_is_view": r._base is x, "copy": nc}


def case_detach_shares_storage(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    d.zero_()
    return {"x": x, "d": d, "x_version": x._version, "d_version": d._version}


def case_version_counter(torch):
    x = torch.ones(3)
    versions = [x._version]
    y = x + 1  # out of place: no bump
    versions.append(x._version)
    x.add_(1)
    versions.append(x._version)
    x[0] = 5.0
    versions.append(x._version)
    v = x.view(3)
    v.mul_(2)
    versions.append(x._version)
    return {"versions": versions, "view_version": v._version, "y_version": y._version, "x": x}


def case_in_place_through_view_of_non_leaf(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    v = y[:2]
    v.mul_(2)
    y.sum().backward()
    return {"y": y, "v": v, "x": x}


def case_no_grad_update_keeps_leaf(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    return {"w": w, "version": w._version}


def case_in_place_ops_return_self(torch):
    x = torch.tensor([1.0, -2.0])
    return {
        "add_": x.add_(1) is x,
        "mul_": x.mul_(2) is x,
        "clamp_": x.clamp_(min=0) is x,
        "zero_": x.zero_() is x,
        "x": x,
    }
