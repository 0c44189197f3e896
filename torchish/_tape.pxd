# Where Cython compiles _tape.py (setup.py): the tape's fields as typed struct members.
# Plain Python ignores this file.
cimport cython
from torchish._lazy cimport NodeState

cdef class Tape:
    cdef public long long gen
    cdef public object ok
    cdef public Py_ssize_t n
    cdef public list steps, args, argv, sf, si, nodes, leaves, leaf_accs, accs, big
    cdef public dict argslot, leaf_index, acc_index

    cpdef reset(self)
    cpdef arg(self, v)
    cpdef scalar(self, x)
    cpdef leaf(self, acc, x)

    @cython.locals(nd=NodeState)
    cpdef bring(self, node)
