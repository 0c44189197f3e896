# Where Cython compiles _registry.py (setup.py): an op row's fields as a typed struct, read on
# every recorded op. Plain Python ignores this file.
cdef class OpDef:
    cdef public object name, impl, node, promote, promote_args, nout, out_diff, saves, check
    cdef public object view, arity, broadcast, linear
    cdef public dict meta
    cdef object __weakref__
