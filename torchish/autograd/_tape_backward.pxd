# Where Cython compiles _tape_backward.py (setup.py): backward()'s tape, nodes, values and lists
# typed. Plain Python ignores this file.
cimport cython
from torchish._lazy cimport Value, NodeState
from torchish._tape cimport Tape

@cython.locals(tp=Tape, gf=NodeState, nd=NodeState, un=NodeState, v=Value, live=list,
               slots=list, gstate=list, out=list, tpaccs=list)
cpdef backward(t, retain_graph)
