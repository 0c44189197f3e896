# Where Cython compiles _tape_backward.py (setup.py): backward()'s tape and nodes typed.
# Plain Python ignores this file.
cimport cython
from torchish._lazy cimport Value, NodeState
from torchish._tape cimport Tape

@cython.locals(tp=Tape, gf=NodeState, nd=NodeState, un=NodeState, v=Value)
cpdef backward(t, retain_graph)
