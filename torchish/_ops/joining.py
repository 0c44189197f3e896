"""Joining and splitting: cat/stack/hstack/vstack, split/chunk/unbind/tensor_split, and the
composites torch builds from them and from views (meshgrid, diff, tile), recording the same
grad_fn chains as torch.
"""

import jax.numpy as jnp

from .._dispatch import call
from .._tensor import _wrap_dim
from ._registry import op
from ._surface import function, method
from .shape import _fmt, expand, view


def _legacy_empty(t):
    # torch: a 1-D empty tensor may be concatenated with anything (it is skipped)
    return t._v.shape == (0,)


@op("cat", node="CatBackward0", promote="default", saves=False, linear=True)
def _cat(*xs, dim):
    kept = [x for x in xs if x.shape != (0,)] or list(xs[:1])
    return jnp.concatenate(kept, axis=dim)


@op("stack", node="StackBackward0", promote="default", saves=False, linear=True)
def _stack(*xs, dim):
    return jnp.stack(xs, axis=dim)


@function("cat", "concat", "concatenate")
def cat(tensors, dim=0):
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    ref = next((t for t in tensors if not _legacy_empty(t)), tensors[0])
    n = ref.dim()
    if n == 0:
        i = tensors.index(ref)
        raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = _wrap_dim(dim, n)
    for i, x in enumerate(tensors):
        if _legacy_empty(x) and x is not ref:
            continue
        if x.dim() != n:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {n} and "
                               f"{x.dim()}")
        for j in range(n):
            if j != d and x._v.shape[j] != ref._v.shape[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected "
                                   f"size {ref._v.shape[j]} but got size {x._v.shape[j]} for "
                                   f"tensor number {i} in the list.")
    return call(_cat, tensors, (("dim", d),))


@function("stack")
def stack(tensors, dim=0):
    tensors = tuple(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, x in enumerate(tensors):
        if x._v.shape != tensors[0]._v.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{_fmt(tensors[0]._v.shape)} at entry 0 and {_fmt(x._v.shape)} at "
                               f"entry {i}")
    d = _wrap_dim(dim, tensors[0].dim() + 1)
    return call(_stack, tensors, (("dim", d),))


def _atleast(n, tensors):
    from . import _surface
    return _surface.FUNCTIONS[f"atleast_{n}d"](tuple(tensors))


@function("hstack")
def hstack(tensors):
    ts = _atleast(1, tensors)
    return cat(ts, 0 if ts[0].dim() == 1 else 1)


@function("vstack", "row_stack")
def vstack(tensors):
    return cat(_atleast(2, tensors), 0)


@function("dstack")
def dstack(tensors):
    return cat(_atleast(3, tensors), 2)


# ---- splitting -------------------------------------------------------------------------------

def _split_impl(x, dim, sizes):
    idx, acc = [], 0
    for s in sizes[:-1]:
        acc += s
        idx.append(acc)
    return tuple(jnp.split(x, idx, axis=dim))


def _unbind_impl(x, dim):
    return tuple(jnp.moveaxis(x, dim, 0))


_rows = {}


def _rows_by_n(name, node, impl, n):
    """The row `name` with n outputs (the table needs the output count up front)."""
    key = (name, n)
    r = _rows.get(key)
    if r is None:
        fn = impl if n != 1 else (lambda x, **kw: impl(x, **kw)[0])
        r = _rows[key] = op(f"{name}/{n}", node=node, saves=False, nout=n, linear=True)(fn)
    return r


def _multi(name, node, impl, t, params, n):
    out = call(_rows_by_n(name, node, impl, n), (t,), params)
    return out if isinstance(out, tuple) else (out,)


@function("split")
@method("split")
def split(tensor, split_size_or_sections, dim=0):
    d = _wrap_dim(dim, tensor.dim())
    size = tensor._v.shape[d]
    if isinstance(split_size_or_sections, int):
        s = split_size_or_sections
        if s < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
        if s == 0 and size != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        sizes = [s] * (size // s) + ([size % s] if size % s else []) if s else [0]
        node, name = "SplitBackward0", "split"
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got split_sizes="
                               f"{_fmt(sizes)}")
        node, name = "SplitWithSizesBackward0", "split_with_sizes"
    if size == 0 and isinstance(split_size_or_sections, int):
        sizes = [0]
    return _multi(name, node, _split_impl, tensor, (("dim", d), ("sizes", tuple(sizes))),
                  len(sizes))


@function("chunk")
@method("chunk")
def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _wrap_dim(dim, input.dim())
    size = input._v.shape[d]
    step = -(-size // chunks)
    return split(input, step, d) if size else split(input, 0, d)


@function("unbind")
@method("unbind")
def unbind(input, dim=0):
    d = _wrap_dim(dim, input.dim())
    n = input._v.shape[d]
    return _multi("unbind", "UnbindBackward0", _unbind_impl, input, (("dim", d),), n)


@function("tensor_split")
@method("tensor_split")
def tensor_split(input, indices_or_sections, dim=0):
    from .indexing import narrow
    d = _wrap_dim(dim, input.dim())
    size = input._v.shape[d]
    if isinstance(indices_or_sections, int):
        n = indices_or_sections
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        q, r = divmod(size, n)
        bounds, acc = [], 0
        for i in range(n):
            bounds.append((acc, q + (i < r)))
            acc += q + (i < r)
    else:
        cuts = [min(max(int(i), 0), size) for i in indices_or_sections]
        starts = [0] + cuts
        ends = cuts + [size]
        bounds = [(s, max(e - s, 0)) for s, e in zip(starts, ends)]
    return tuple(narrow(input, d, s, n) for s, n in bounds)


# ---- composites --------------------------------------------------------------------------------

@function("meshgrid")
def meshgrid(*tensors, indexing="ij"):
    ts = tuple(tensors[0]) if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)) \
        else tensors
    n = len(ts)
    pos = list(range(n))
    if indexing == "xy" and n >= 2:
        pos[0], pos[1] = 1, 0
    elif indexing != "ij":
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    out = [None] * n
    for i, t in enumerate(ts):
        out[pos[i]] = t.numel()
    shape = tuple(out)
    # torch: each grid is the input viewed along its axis, then expanded
    return tuple(expand(view(t, tuple(-1 if j == pos[i] else 1 for j in range(n))), shape)
                 for i, t in enumerate(ts))


@function("diff")
@method("diff")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    from .indexing import narrow
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, input, append) if p is not None]
        input = cat(parts, dim)
    d = _wrap_dim(dim, input.dim())
    for _ in range(n):
        size = input._v.shape[d]
        if size == 0:
            break
        hi, lo = narrow(input, d, 1, size - 1), narrow(input, d, 0, size - 1)
        if input.dtype.name == "bool":
            input = hi.logical_xor(lo)
        else:
            input = hi - lo
    return input


@function("tile")
@method("tile")
def tile(input, dims):
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    dims = (1,) * (input.dim() - len(dims)) + dims
    return input.repeat(*dims)  # torch: tile is repeat with the reps padded by leading ones



def _split_fn(name, dim_of, min_dim):
    def fn(input, indices_or_sections):
        if input.dim() < min_dim:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, "
                               f"but got a tensor with {input.dim()} dimensions!")
        d = dim_of(input)
        if isinstance(indices_or_sections, int) and input.shape[d] % indices_or_sections:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the "
                               f"size of the dimension {input.shape[d]} is not divisible by the "
                               f"split_size {indices_or_sections}!")
        return tensor_split(input, indices_or_sections, d)
    function(name)(fn)
    method(name)(fn)
    return fn


hsplit = _split_fn("hsplit", lambda t: 0 if t.dim() == 1 else 1, 1)
vsplit = _split_fn("vsplit", lambda t: 0, 2)
dsplit = _split_fn("dsplit", lambda t: 2, 3)


@function("column_stack")
def column_stack(tensors):
    # torch: 0-d and 1-d inputs become columns (a view), then hstack
    cols = [view(t, (t.numel(), 1)) if t.dim() <= 1 else t for t in tensors]
    return hstack(cols)


@op("rot90", node="Rot90Backward0", saves=False)
def _rot90(x, k, dims):
    return jnp.rot90(x, k, axes=dims)


@function("rot90")
@method("rot90")
def rot90(input, k=1, dims=(0, 1)):
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.dim()}")
    d0, d1 = (_wrap_dim(d, input.dim()) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and "
                           f"dim1 = {d1}")
    return call(_rot90, (input,), (("k", k % 4), ("dims", (d0, d1))))


@function("flipud")
@method("flipud")
def flipud(input):
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return input.flip(0)


@function("fliplr")
@method("fliplr")
def fliplr(input):
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return input.flip(1)


@function("cartesian_prod")
def cartesian_prod(*tensors):
    if len(tensors) == 1:
        return tensors[0]
    # torch: the ij meshgrid, each grid flattened, stacked as columns
    return stack([g.flatten() for g in meshgrid(*tensors, indexing="ij")], 1)


@op("block_diag", node="BlockDiagBackward0", promote="default", saves=False)
def _block_diag(*xs):
    xs = [x if x.ndim == 2 else x.reshape(1, -1) for x in xs]  # 0-d and 1-d: one-row blocks
    rows = sum(x.shape[0] for x in xs)
    cols = sum(x.shape[1] for x in xs)
    out = jnp.zeros((rows, cols), xs[0].dtype)
    r = c = 0
    for x in xs:
        out = out.at[r:r + x.shape[0], c:c + x.shape[1]].set(x)
        r, c = r + x.shape[0], c + x.shape[1]
    return out


@function("block_diag")
def block_diag(*tensors):
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t.dim()} dimensions")
    return call(_block_diag, tuple(tensors))
