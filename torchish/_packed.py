"""Small program outputs travel in one buffer.

A jitted call costs about 0.9 us per output array (measured on this machine: ten scalar outputs
13.3 us, the same ten packed into one 6.0 us), and a training step's program returns many small
ones: the loss, scalar parameters, biases and their gradients. So the tape's backward program
concatenates its same-dtype outputs of at most PACK_MAX elements into one flat buffer. Each such
output becomes a pending output of one `unpack/k` node over that buffer: the next program that
reads them slices inside XLA (free); an observation (`loss.item()`, print) reads the slice from
the buffer on the host (`host`), so it runs no program and leaves the tape as it is. They stay
pending on that node: a program that reads one never returns the others again (that would copy
them out of their buffer for nothing).
"""

import math

import numpy as np

from . import _program_cache
from ._lazy import Node, Value, data_of
from ._ops._registry import op

PACK_MAX = 4096  # elements


def packing():
    """Whether a program now may pack: not under a JAX trace (torch.compile), where a pending
    value over a traced buffer would outlive the trace, nor where a trace cannot be told."""
    return (_program_cache.supported
            and _program_cache.trace_ctx.trace is _program_cache.eval_trace)


def layout(avals):
    """How outputs of avals `avals` ((shape, dtype) each) travel: (indices returned as they
    are, groups), a group being (indices, parts, dtype) with a part (shape, offset, size) per
    index."""
    by_dtype = {}
    for i, (shape, dt) in enumerate(avals):
        if math.prod(shape) <= PACK_MAX:
            by_dtype.setdefault(dt, []).append(i)
    groups, packed = [], set()
    for dt, idx in by_dtype.items():
        if len(idx) < 2:
            continue
        parts, off = [], 0
        for i in idx:
            shape = avals[i][0]
            n = math.prod(shape)
            parts.append((shape, off, n))
            off += n
        groups.append((tuple(idx), tuple(parts), dt))
        packed.update(idx)
    return tuple(i for i in range(len(avals)) if i not in packed), tuple(groups)


def pack(outs, plain, groups):
    """At trace time: the outputs as the program returns them (plain ones, one buffer a group)."""
    import jax.numpy as jnp
    return ([outs[i] for i in plain],
            [jnp.concatenate([outs[i].reshape(-1) for i in idx]) for idx, _, _ in groups])


def _unpack(buf, layout):
    return tuple(buf[o:o + n].reshape(shape) for shape, o, n in layout)


_rows = {}


class Unpacked(Node):
    """An unpack node: its outputs are slices of a concrete buffer."""

    __slots__ = ()


def unpack_node(buf, dtype, parts):
    """The node over concrete buffer `buf` whose outputs are `parts`; the caller makes a
    pending Value output j of it (`node.outs[j]` a weakref to it, as a recorded op's)."""
    k = len(parts)
    row = _rows.get(k)
    if row is None:
        row = _rows[k] = op(f"unpack/{k}", nout=k)(_unpack)
    src = Value((parts[-1][1] + parts[-1][2],), dtype, buf)
    return Unpacked(row, (("layout", parts),), None, (src,), k)


def host(v):
    """Value `v` as a NumPy array (an observation): a packed output is sliced from its buffer."""
    nd = v.node
    if v.data is None and type(nd) is Unpacked:
        shape, o, n = nd.params[0][1][v.idx]
        return np.asarray(nd.inputs[0].data)[o:o + n].reshape(shape)
    return np.asarray(data_of(v))
