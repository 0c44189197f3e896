"""Write-back: a traced program's outputs become the new values, `.grad`s and return value.

The program is pure (arrays in, arrays out); what the function did to tensors happens here, after
it runs: changed values go into their tensors (bumping the version counter by what the traced call
bumped it, refreshing views), grads are cleared, updated in place or newly set, and the recorded
return value is rebuilt with state tensors as themselves and other returned tensors as new
detached ones.
"""

import weakref

from .._lazy import Value
from .._tensor import Tensor, new_tensor
from ..autograd import grad_mode

NONE, SAME, NEW = 1, 2, 3  # what a call did to a state tensor's .grad: None, new value, new tensor
HOLE = object()  # where a returned tensor goes in the recorded return value


def tree_tensors(x, out):
    """The tensors of a return value, in flattening order."""
    if isinstance(x, Tensor):
        out.append(x)
    elif type(x) in (tuple, list):
        for y in x:
            tree_tensors(y, out)
    elif type(x) is dict:
        for y in x.values():
            tree_tensors(y, out)
    return out


def rebuild(x, make, leaf=Tensor):
    """x with each `leaf` (a Tensor, or the HOLE marker) replaced by make(), in flattening
    order."""
    if isinstance(x, leaf) if isinstance(leaf, type) else x is leaf:
        return make()
    if type(x) in (tuple, list):
        return type(x)(rebuild(y, make, leaf) for y in x)
    if type(x) is dict:
        return {k: rebuild(y, make, leaf) for k, y in x.items()}
    return x


class WriteBack:
    """The plan made while tracing; `objs` are the state tensors then the tensor arguments."""

    def __init__(self, vout, gout, res, res_spec, avals):
        self.vout = vout  # [(tensor index, output index, version delta)]
        self.gout = gout  # [(tensor index, action, output index, version delta)]
        self.res = res  # the return value with its tensors as HOLEs
        self.res_spec = res_spec  # per returned tensor: ("t", tensor index) or ("o", out index)
        self.avals = avals  # per output: (shape, dtype)

    def __call__(self, objs, outs):
        """Apply the program's outputs; returns the call's return value."""
        avals = self.avals
        for k, i, dv in self.vout:
            t = objs[k]
            v = Value(avals[i][0], avals[i][1], data=outs[i])
            t._v = v
            v.owner = weakref.ref(t)
            t._vc[0] += dv
            if t._views:
                from .._views import refresh_views
                with grad_mode.no_grad():
                    refresh_views(t, None)
        for k, act, i, dv in self.gout:
            t = objs[k]
            if act == NONE:
                t._grad = None
            elif act == SAME:
                g = t._grad
                v = Value(avals[i][0], avals[i][1], data=outs[i])
                g._v = v
                v.owner = weakref.ref(g)
                g._vc[0] += dv
            else:
                t._grad = new_tensor(Value(avals[i][0], avals[i][1], data=outs[i]), None,
                                     False, 0)
        if not self.res_spec:
            return self.res
        spec = iter(self.res_spec)

        def make():
            kind, i = next(spec)
            if kind == "t":
                return objs[i]
            return new_tensor(Value(avals[i][0], avals[i][1], data=outs[i]), None, False, 0)
        return rebuild(self.res, make, HOLE)
