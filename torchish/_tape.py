"""The tape: every op recorded since the last program ran, its program step built as it records.

Walking a graph at backward costs as much as the XLA call it feeds (measured: seed 11 us, polyfit
35 us), so each recorded op appends its step here at once: operand slots, concrete arguments,
packed Python scalars, and for differentiable nodes how each operand is differentiated (an edge
to a node on the tape, a leaf's gradient, or nothing). A training step's `loss.backward()` then
finds its whole program signature already built (`autograd/_tape_backward.py`). Any program that
runs starts a new tape (a new generation); anything the tape cannot express (an edge into an
older generation, a value written in place under a node, a hook put on one of its nodes, a node
freed) marks it unusable and the graph walk takes over.
"""

import itertools
import math
import threading
import weakref

from ._lazy import ARG, DONATE_MIN, Value, materialize, scalar_step

NO_EDGE, NODE_EDGE = -1, -2  # how a differentiable step's operand is differentiated (else: leaf k)
MAX_SLOTS = 2000  # a longer tape (ops nothing observes) is computed and starts over: see flush


class Tape:
    """The steps of one generation; `ok` is False once they cannot serve a backward."""

    __slots__ = ("gen", "steps", "args", "argv", "argslot", "sf", "si", "n", "nodes", "ok",
                 "leaves", "leaf_accs", "leaf_index", "accs", "acc_index", "big")

    def __init__(self):
        self.reset()

    def reset(self):
        self.gen = next(_generations)  # unique across threads: a node's tgen names one tape
        self.steps = []
        self.args = []  # concrete operands' arrays, in argument order
        self.argv = []  # their Values (kept alive: slots are found by id)
        self.argslot = {}  # id(Value) -> slot
        self.sf = []
        self.si = []
        self.n = 0
        self.nodes = []  # weakrefs to the nodes, one per op step in order: dead branches die
        self.ok = True
        self.leaves = []  # (index in accs, Value): a leaf's value as an op used it
        self.leaf_accs = []  # the index in accs of each of leaves
        self.leaf_index = {}  # (id(acc), id(Value)) -> index in leaves
        self.accs = []  # the leaves' AccumulateGrads
        self.acc_index = {}  # id(acc) -> index in accs
        self.big = []  # indices of the arguments large enough to donate

    def arg(self, v):
        """The slot of concrete operand `v`."""
        s = self.argslot.get(id(v))
        if s is None:
            if math.prod(v.shape) * v.dtype.itemsize >= DONATE_MIN:
                self.big.append(len(self.args))
            self.args.append(v.data)
            self.argv.append(v)
            self.steps.append((ARG, v.shape, v.dtype))
            s = self.argslot[id(v)] = self.n
            self.n += 1
        return s

    def scalar(self, x):
        """The slot of Python scalar operand `x`."""
        self.steps.append(scalar_step(x, self.sf, self.si))
        s = self.n
        self.n += 1
        return s

    def bring(self, node):
        """Steps computing `node` (from an older generation) here, as constants for autograd."""
        gen = self.gen
        stack = [(node, False)]
        while stack:
            nd, ready = stack.pop()
            if nd.tgen == gen or nd.tgen == -gen:
                continue
            if not ready:
                stack.append((nd, True))
                for x in nd.inputs:
                    if type(x) is Value and x.data is None:
                        stack.append((x.node, False))
                continue
            ins = []
            for x in nd.inputs:
                if type(x) is Value:
                    ins.append(x.node.tslot + x.idx if x.data is None else self.arg(x))
                else:
                    ins.append(self.scalar(x))
            nd.tgen = -gen  # on this tape, but not differentiable through it
            nd.tslot = self.n
            self.nodes.append(weakref.ref(nd))
            self.steps.append((nd.op, nd.params, nd.cdtype, tuple(ins), None, len(nd.outs)))
            self.n += len(nd.outs)

    def leaf(self, acc, x):
        """The index of leaf operand `x` (the value of `acc`'s tensor as an op used it)."""
        key = (id(acc), id(x))
        k = self.leaf_index.get(key)
        if k is None:
            a = self.acc_index.get(id(acc))
            if a is None:
                a = self.acc_index[id(acc)] = len(self.accs)
                self.accs.append(acc)
            k = self.leaf_index[key] = len(self.leaves)
            self.leaves.append((a, x))
            self.leaf_accs.append(a)
        return k




def touched(node):
    """`node` got a hook or was freed: a tape holding it can no longer serve a backward."""
    tp = local.tape
    g = getattr(node, "tgen", 0)  # (an AccumulateGrad has none: it is on no tape)
    if g and (g == tp.gen or g == -tp.gen):
        tp.ok = False


_generations = itertools.count(1)


class _PerThread(threading.local):
    """Each thread records on a tape of its own: ops of two threads never share slots."""

    def __init__(self):
        self.tape = Tape()


local = _PerThread()


def flush():
    """Compute every pending value a live tensor holds on the tape, and start a new tape.

    Done when the tape passes MAX_SLOTS: ops that nothing observes (a long loop of updates
    never printed) would otherwise make one ever longer program, and bringing their lineage
    onto each new tape would cost more every time."""
    tp = local.tape
    want = []
    for r in tp.nodes:
        nd = r()
        if nd is not None:
            for o in nd.outs:
                v = o() if o is not None else None
                if v is not None and v.data is None and v.live():
                    want.append(v)
    if want:
        materialize(want)  # a program ran: it starts the new tape
    else:
        tp.reset()
