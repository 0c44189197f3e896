"""The op table: one OpDef per torch overload, registered with the `@op` decorator.

An OpDef holds every fact about an op: the JAX impl, the grad_fn name torch records, the promotion
kind, which operands carry gradient, whether it is a view, and the torch checks that run (once per
input signature) before shape inference. Surfaces (functions, methods, dunders) are attached by the
family modules from these rows.
"""

from .. import _dtypes

# torch's elementwise promotion kinds (torch._prims_common.ELEMENTWISE_TYPE_PROMOTION_KIND)
DEFAULT, INT_TO_FLOAT, ALWAYS_BOOL, COMPLEX_TO_FLOAT, BOOL_TO_LONG = (
    "default", "int_to_float", "always_bool", "complex_to_float", "bool_to_long")

OPS = {}


class OpDef:
    """One row of the table."""

    __slots__ = ("name", "impl", "node", "promote", "promote_args", "nout", "out_diff", "saves",
                 "check", "view", "arity", "broadcast", "linear", "meta", "__weakref__")

    def __init__(self, name, impl, node=None, promote=None, promote_args=None, nout=1,
                 out_diff=None, saves=True, check=None, view=False, arity=None, broadcast=False,
                 linear=False):
        self.name = name
        self.impl = impl
        self.node = node  # grad_fn class name torch shows, or None: not differentiable
        self.promote = promote
        self.promote_args = promote_args  # operand indices cast to the compute dtype (None: all)
        self.nout = nout
        self.out_diff = out_diff  # per-output differentiability (None: all)
        self.saves = saves  # torch's node saves tensors: a second backward raises
        self.check = check  # torch's argument checks: check(avals, params) raises torch's error
        self.view = view
        self.arity = arity  # operands that are torch tensor arguments (the rest: data scalars)
        self.broadcast = broadcast
        # its backward is a linear map that reads no operand value (views, add, sum, cat...):
        # after a backward frees the graph, such a node lets its concrete operands go
        self.linear = linear or view
        self.meta = {}  # (params, avals) -> (out avals, compute dtype)

    def __repr__(self):
        return f"<op {self.name}>"


def op(name, **facts):
    """Decorator registering `impl` as the row `name`."""
    def register(impl):
        d = OPS[name] = OpDef(name, impl, **facts)
        return d
    return register


def compute_dtype(kind, dims, zeros, scalars):
    """The dtype an op computes in, from torch's promotion of its operands."""
    if kind is None:
        return None
    r = _dtypes.result_type(dims, zeros, scalars)
    if kind == INT_TO_FLOAT and r._kind < 2:
        return _dtypes.get_default_dtype()
    if kind == BOOL_TO_LONG and r is _dtypes.bool_:
        return _dtypes.int64
    return r
