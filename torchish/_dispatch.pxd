# Where Cython compiles _dispatch.py (setup.py): call()'s values, nodes and tape typed, so their
# fields are struct accesses. Plain Python ignores this file.
cimport cython
from torchish._lazy cimport Value, NodeState
from torchish._tape cimport Tape

@cython.locals(v=Value, node=NodeState, nd=NodeState, gf=NodeState, tp=Tape)
cpdef call(op, inputs, params=*)
