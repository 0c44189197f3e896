"""Helpers for module cases: deterministic values (no RNG) and the standard forward/backward record.

Values come from the golden-ratio sequence frac(i * 0.618...) computed in float64, exact in both
libraries, mapped to [-scale, scale) and cast; parameters and buffers are overwritten with them
after construction so that initialisation randomness never enters a reference.
"""

GOLDEN = 0.6180339887498949


def det(torch, *shape, seed=0, scale=1.0, dtype=None, requires_grad=False):
    n = 1
    for s in shape:
        n *= s
    i = torch.arange(n, dtype=torch.float64)
    v = ((i * GOLDEN + seed * 0.1) % 1.0 * 2.0 - 1.0) * scale
    t = v.to(dtype or torch.float32).reshape(shape)
    return t.requires_grad_() if requires_grad else t


def fill(torch, module, scale=0.5, positive=()):
    """Overwrite every floating parameter and buffer with det() values (names in `positive`
    get |values| + 0.5, for variances)."""
    with torch.no_grad():
        for k, (name, t) in enumerate(list(module.named_parameters())
                                      + list(module.named_buffers())):
            if not t.dtype.is_floating_point:
                continue
            v = det(torch, *t.shape, seed=k + 1, scale=scale, dtype=t.dtype)
            if name.split(".")[-1] in positive:
                v = v.abs() + 0.5
            t.copy_(v)
    return module


def layout(torch, module):
    """repr, state_dict keys with shapes and dtypes, parameter and buffer names."""
    return {
        "repr": repr(module),
        "state_dict": [[k, list(v.shape), str(v.dtype)] for k, v in module.state_dict().items()],
        "parameters": [n for n, _ in module.named_parameters()],
        "buffers": [n for n, _ in module.named_buffers()],
    }


def run_module(torch, module, inputs, positive=(), scale=0.5, grad_fn_chain=1, fill_params=True):
    """Forward `inputs` (tensors; floating ones get requires_grad), backward a weighted sum of
    the output(s), and record everything a user can observe."""
    if fill_params:
        fill(torch, module, scale, positive)
    rec = layout(torch, module)
    ins = [x.requires_grad_() if x.dtype.is_floating_point and x.is_leaf else x for x in inputs]
    out = module(*ins)
    outs = out if isinstance(out, tuple) else (out,)
    flat = []
    for o in outs:
        flat.extend(o if isinstance(o, tuple) else (o,))
    rec["out"] = out
    rec["grad_fn"] = [chain(o.grad_fn, grad_fn_chain) for o in flat]
    loss = None
    for k, o in enumerate(flat):
        if o.requires_grad:
            term = (o * det(torch, *o.shape, seed=20 + k, dtype=o.dtype)).sum()
            loss = term if loss is None else loss + term
    if loss is not None:
        loss.backward()
    rec["inputs"] = ins
    rec["params"] = dict(module.named_parameters())
    rec["buffers_after"] = dict(module.named_buffers())
    return rec


def chain(node, depth):
    """grad_fn names along first edges, `depth` deep (None for no grad_fn)."""
    names = []
    while node is not None and len(names) < depth:
        names.append(type(node).__name__)
        nxt = [n for n, _ in node.next_functions if n is not None]
        node = nxt[0] if nxt else None
    return names
