"""Direct mode: ops compute at once on the arrays their tensors hold, recording nothing.

autograd.Function runs the user's forward and backward this way on tensors that wrap JAX tracers,
inside a jax.custom_vjp that the replayed program calls.
"""

import contextlib
import warnings

import jax

from .._lazy import Value, materialize
from . import grad_mode


@contextlib.contextmanager
def direct_mode():
    st = grad_mode.state
    prev = st.direct, st.enabled
    st.direct, st.enabled = True, False
    try:
        yield
    finally:
        st.direct, st.enabled = prev


def array(t):
    """The array of `t`; a pending value (a tensor the function closes over) is computed now."""
    v = t._v
    if v.data is None:
        warnings.warn("torchish: an autograd.Function reads a tensor that is neither an argument "
                      "nor saved in ctx; its current value is baked into the compiled program "
                      "(pass it to apply() instead)", UserWarning, stacklevel=4)
        with jax.ensure_compile_time_eval():
            materialize([v])
    return v.data


def direct_call(op, inputs, params, outs, cdtype):
    """What `_dispatch.call` does in direct mode: apply the impl now."""
    from .._lazy import apply_op
    from .._tensor import Tensor, new_tensor
    xs = [array(x) if isinstance(x, Tensor) else x for x in inputs]
    ys = apply_op(op, params, cdtype, xs)
    res = [new_tensor(Value(shape, dt, data=y), None, False, i)
           for i, ((shape, dt), y) in enumerate(zip(outs, ys))]
    if op.view:
        base = inputs[0]
        root = base._base if base._base is not None else base
        res[0]._set_view_of(root, base._chain + ((op, params),))
    return res[0] if op.nout == 1 else tuple(res)
