# Where Cython compiles _lazy.py (setup.py): Value and NodeState become typed structs, so the
# compiled recorder reads and writes their fields directly. Plain Python ignores this file.
cdef class Value:
    cdef public object data, node, shape, dtype, av, owner
    cdef public Py_ssize_t idx
    cdef object __weakref__

cdef class NodeState:
    cdef public object op, params, cdtype, inputs, outs, edges
    cdef public long long tgen
    cdef public Py_ssize_t tslot
