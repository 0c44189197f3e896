"""torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp, hvp.

The user's function is recorded like any code; jacobian and jvp are one engine segment each
(jax.jacrev / jax.jvp over the replay), vjp/vhp/hvp go through autograd.grad. `vectorize` and
`strategy` are accepted and do not change the result (every jacobian is computed in one program).
"""

from .._tensor import Tensor
from . import engine, grad_mode
from .graph import accumulator


def _as_tuple(x, what, fn):
    if isinstance(x, Tensor):
        return False, (x,)
    if not isinstance(x, tuple):
        raise TypeError(f"The {what} given to {fn} must be either a Tensor or a tuple of Tensors "
                        f"but the given {what} has type {type(x)}.")
    for i, e in enumerate(x):
        if not isinstance(e, Tensor):
            raise TypeError(f"The {what} given to {fn} must be either a Tensor or a tuple of "
                            f"Tensors but the value at index {i} has type {type(e)}.")
    return True, x


def _outputs(out, fn):
    return _as_tuple(out, "outputs of the user-provided function", fn)


def _prepare(inputs, create_graph):
    """torch's _grad_preprocess: fresh leaves, or views keeping the graph when create_graph."""
    res = []
    for t in inputs:
        if create_graph and t.requires_grad:
            res.append(t.view_as(t))
        else:
            res.append(t.detach().requires_grad_(True))
    return tuple(res)


def _post(ts, create_graph):
    if create_graph:
        return ts
    return tuple(t.detach() if isinstance(t, Tensor) else t for t in ts)


def _pack(is_tuple, ts):
    return ts if is_tuple else ts[0]


def _check_strict_out(outs, strict):
    if strict:
        for i, o in enumerate(outs):
            if not o.requires_grad:
                raise RuntimeError(f"Output {i} of the user-provided function does not require "
                                   f"gradients. The outputs must be computed in a differentiable "
                                   f"manner from the input when running in strict mode.")


def _check_v(v, ref, name_none):
    if v is None:
        if len(ref) != 1 or ref[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if {name_none} a single Tensor "
                               f"with a single element.")
        from .._ops.factory import ones_like
        return (ones_like(ref[0]),)
    _, v = _as_tuple(v, "variable v", "")
    if len(v) != len(ref):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(ref)} but got "
                           f"{len(v)}.")
    for a, b in zip(v, ref):
        if a.shape != b.shape:
            raise RuntimeError(f"v has invalid size: should be {b.shape} but got {a.shape}.")
    return v


def _key(t):
    return accumulator(t) if t._grad_fn is None else (id(t._grad_fn), t._out_nr)


def _diff(outs, inps, create_graph, mode, tangents=None):
    """One segment from `outs` to `inps`; returns {(out index, input index): Tensor} and values."""
    from .._ops.factory import zeros
    live = [(i, o) for i, o in enumerate(outs) if o._grad_fn is not None]
    keys = [_key(t) for t in inps]
    res = {}
    for i, o in enumerate(outs):  # an output that is an input: the identity
        for j, t in enumerate(inps):
            if o is t and mode == "jac":
                from .._ops.factory import eye
                n = t.numel()
                res[(i, j)] = eye(n, dtype=t.dtype).reshape(t.shape + t.shape)
            elif o is t:
                res[(i, j)] = tangents[keys[j]]
    if live:
        leaves = {id(k) for k in keys if not isinstance(k, tuple)}
        cuts = {k[0] for k in keys if isinstance(k, tuple)}
        sinks = [(o._grad_fn, o._out_nr, o._v) for _, o in live]
        src, ts = engine.segment(sinks, [engine.ONES] * len(sinks), cuts,
                                 lambda acc: id(acc) in leaves, {}, create_graph, mode=mode,
                                 tangents=tangents)
        col = {id(k) if not isinstance(k, tuple) else k: n for n, k in enumerate(src)}
        for a, (i, o) in enumerate(live):
            for j, k in enumerate(keys):
                n = col.get(id(k) if not isinstance(k, tuple) else k)
                if n is not None:
                    res[(i, j)] = ts[a * len(src) + n] if mode == "jac" else ts[a]
    for i, o in enumerate(outs):
        for j, t in enumerate(inps):
            if (i, j) not in res:
                shape = o.shape + t.shape if mode == "jac" else o.shape
                res[(i, j)] = zeros(shape, dtype=o.dtype)
    return res


def _check_strict_in(res_used, strict, outs, inps):
    if strict:
        for i in range(len(outs)):
            for j in range(len(inps)):
                if not res_used(i, j):
                    raise RuntimeError(f"Output {i} of the user-provided function is independent "
                                       f"of input {j}. This is not allowed in strict mode.")


def _reaches(o, t):
    """Whether output `o` depends on input `t` through the recorded graph."""
    if o is t:
        return True
    k = _key(t)
    for nd in engine.topo([o._grad_fn]):
        for e in nd.edges:
            if e is None:
                continue
            if isinstance(k, tuple) and (id(e[0]), e[1]) == k or e[0] is k:
                return True
    return False


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """torch.autograd.functional.jacobian."""
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                  "Hessian isonly implemented for `vectorize=True`.")
    is_in, inputs = _as_tuple(inputs, "inputs", "jacobian")
    with grad_mode.enable_grad():
        inps = _prepare(inputs, create_graph)
        is_out, outs = _outputs(func(*inps), "jacobian")
        _check_strict_out(outs, strict)
        _check_strict_in(lambda i, j: _reaches(outs[i], inps[j]), strict, outs, inps)
        res = _diff(outs, inps, create_graph, "jac")
    rows = tuple(_post(tuple(res[(i, j)] for j in range(len(inps))), create_graph)
                 for i in range(len(outs)))
    if is_out:
        return tuple(_pack(is_in, r) for r in rows)
    return _pack(is_in, rows[0])


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """torch.autograd.functional.hessian."""
    is_in, inputs = _as_tuple(inputs, "inputs", "hessian")

    def single(*inp):
        out = func(*inp)
        is_out, t_out = _outputs(out, "hessian")
        _check_strict_out(t_out, strict)
        if is_out:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def jac(*inp):
        return jacobian(single, inp, create_graph=True)

    res = jacobian(jac, inputs if is_in else inputs[0], create_graph=create_graph, strict=strict)
    return res if is_in else res[0]


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.vjp: (func(inputs), v^T J)."""
    from . import grad
    is_in, inputs = _as_tuple(inputs, "inputs", "vjp")
    with grad_mode.enable_grad():
        inps = _prepare(inputs, create_graph)
        out = func(*inps)
        is_out, outs = _outputs(out, "vjp")
        _check_strict_out(outs, strict)
        v = _check_v(v, outs, "the user-provided function returns")
        _check_strict_in(lambda i, j: _reaches(outs[i], inps[j]), strict, outs, inps)
        pairs = [(o, g) for o, g in zip(outs, v) if o.requires_grad]
        if pairs:
            gs = grad([o for o, _ in pairs], inps, [g for _, g in pairs],
                      create_graph=create_graph, allow_unused=True, materialize_grads=True)
        else:
            from .._ops.factory import zeros_like
            gs = tuple(zeros_like(t) for t in inps)
    return _pack(is_out, _post(outs, create_graph)), _pack(is_in, _post(gs, create_graph))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.jvp: (func(inputs), J v), by forward mode over the replay."""
    is_in, inputs = _as_tuple(inputs, "inputs", "jvp")
    v = _check_v(v, inputs, "the input to the user-provided function is")
    with grad_mode.enable_grad():
        inps = _prepare(inputs, create_graph)
        is_out, outs = _outputs(func(*inps), "jvp")
        _check_strict_out(outs, strict)
        _check_strict_in(lambda i, j: _reaches(outs[i], inps[j]), strict, outs, inps)
        tangents = {_key(t): g for t, g in zip(inps, v)}
        res = _diff(outs, inps, create_graph, "jvp", tangents)
        tout = []
        for i, o in enumerate(outs):
            same = [j for j, t in enumerate(inps) if o is t]
            tout.append(res[(i, same[0])] if same else res[(i, 0)])
    return _pack(is_out, _post(outs, create_graph)), _pack(is_out, _post(tuple(tout),
                                                                         create_graph))


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.vhp: (func(inputs), v^T H)."""
    return _second("vhp", func, inputs, v, create_graph, strict)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.hvp: (func(inputs), H v); H is symmetric, so computed as v^T H."""
    return _second("hvp", func, inputs, v, create_graph, strict)


def _second(name, func, inputs, v, create_graph, strict):
    from . import grad
    is_in, inputs = _as_tuple(inputs, "inputs", name)
    v = _check_v(v, inputs, "the input to the user-provided function is")
    with grad_mode.enable_grad():
        inps = _prepare(inputs, create_graph)
        out = func(*inps)
        is_out, outs = _outputs(out, name)
        _check_strict_out(outs, strict)
        if is_out:
            raise RuntimeError(f"The function given to {name} should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {name} should "
                               f"contain a single element")
        jac = grad(out, inps, create_graph=True, allow_unused=True, materialize_grads=True)
        pairs = [(j, g) for j, g in zip(jac, v) if j.requires_grad]
        if pairs:
            res = grad([j for j, _ in pairs], inps, [g for _, g in pairs],
                       create_graph=create_graph, allow_unused=True, materialize_grads=True)
        else:
            from .._ops.factory import zeros_like
            res = tuple(zeros_like(t) for t in inps)
    return _post(outs, create_graph)[0], _pack(is_in, _post(res, create_graph))


__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]
