# Where Cython compiles _dispatch.py (setup.py): call()'s op row, values, nodes and tape typed,
# so their fields are struct accesses. Plain Python ignores this file.
cimport cython
from torchish._lazy cimport Value, NodeState
from torchish._ops._registry cimport OpDef
from torchish._tape cimport Tape

@cython.locals(op=OpDef, v=Value, node=NodeState, nd=NodeState, gf=NodeState, tp=Tape,
               vals=list, ins=list, edges=list)
cpdef call(op, inputs, params=*)
