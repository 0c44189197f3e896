"""Storage sharing between a base tensor and its views, done functionally.

A view remembers its root base and the chain of view ops that derives it. Writing into a view
scatters the new view value into the base (torch's CopySlices node); writing into the base, or
through any view, re-derives every other live view from the new base value.
"""

import weakref

import jax.numpy as jnp

from . import _dispatch
from ._ops._registry import op
from .autograd import grad_mode


def _replay(x, chain):
    from ._lazy import apply_op
    for o, params in chain:
        (x,) = apply_op(o, dict(params), None, [x])
    return x


@op("view_scatter", node="CopySlices")
def _view_scatter(base, new, chain):
    # torch: every element of a view aliases one base element, so the view op applied to the
    # base's flat positions tells where each view element lives.
    if not chain:
        return new.astype(base.dtype)
    pos = _replay(jnp.arange(base.size).reshape(base.shape), chain)
    flat = base.reshape(-1).at[pos.reshape(-1)].set(new.astype(base.dtype).reshape(-1))
    return flat.reshape(base.shape)


@op("view_replay", node="AsStridedBackward0", saves=False)
def _view_replay(base, chain):
    return _replay(base, chain)


def write_through(view):
    """After an in-place op on `view`, update its root base and the base's other views."""
    base = view._base
    if any(o.name == "alias" for o, _ in view._chain):
        # torch: a write through detach()/.data changes the storage, not the base's graph
        with grad_mode.no_grad():
            new_base = _dispatch.call(_view_scatter, (base, view), (("chain", view._chain),))
    else:
        new_base = _dispatch.call(_view_scatter, (base, view), (("chain", view._chain),))
    base._v = new_base._v
    base._v.owner = weakref.ref(base)
    if new_base._requires_grad:
        base._grad_fn = new_base._grad_fn
        base._out_nr = 0
        base._requires_grad = True
    refresh_views(base, view)


def refresh_views(base, written):
    """Re-derive the live views of `base` (all but `written`, which already holds its value)."""
    vs = base._views
    if not vs:
        return
    live = [r for r in vs if r() is not None]
    vs[:] = live
    for ref in live:
        w = ref()
        if w is None:
            continue
        if w is written and not (written._requires_grad and base._requires_grad):
            continue
        if any(o.name == "alias" for o, _ in w._chain):
            # torch: detach()/.data share storage but never join the base's graph
            with grad_mode.no_grad():
                r = _dispatch.call(_view_replay, (base,), (("chain", w._chain),))
        else:
            r = _dispatch.call(_view_replay, (base,), (("chain", w._chain),))
        w._v = r._v
        r._v.owner = weakref.ref(w)
        if r._requires_grad and grad_mode.state.enabled:
            w._grad_fn = r._grad_fn
            w._out_nr = 0
            w._requires_grad = True
