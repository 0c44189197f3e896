"""Attaching table rows to torch's surfaces: `torch.<name>`, `Tensor.<name>`, in-place variants.

Every public function and method is registered here and nowhere else, so `torchish/__init__.py`
only re-exports FUNCTIONS.
"""

from .._dispatch import check_inplace, inplace
from .._tensor import Tensor

FUNCTIONS = {}


def function(*names):
    """Decorator: export `fn` as torch.<name> for each name (with torch's `out=` handling)."""
    def deco(fn):
        for n in names:
            FUNCTIONS[n] = _with_out(fn, n)
        return fn
    return deco


def _with_out(fn, name):
    import inspect
    try:
        takes_dtype = "dtype" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        takes_dtype = False

    def f(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if takes_dtype and kwargs.get("dtype") is None and isinstance(out, Tensor):
            kwargs["dtype"] = out.dtype  # torch: factories and reductions produce out's dtype
        return write_out(name, fn(*args, **kwargs), out, args, kwargs)
    f.__name__ = fn.__name__
    f.__doc__ = fn.__doc__
    f.__wrapped__ = fn
    return f


def write_out(name, result, out, args=(), kwargs=None):
    """torch's `out=`: autograd refused, dtype checked, `out` resized if needed, then written."""
    from .. import _dtypes
    from ..autograd import grad_mode
    if isinstance(out, (tuple, list)):
        return type(out)(write_out(name, r, o) for r, o in zip(result, out))
    if grad_mode.state.enabled and (out._requires_grad or any(
            isinstance(a, Tensor) and a._requires_grad
            for a in list(args) + list((kwargs or {}).values()))):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if not _dtypes.can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {_dtypes.SCALAR_NAMES[result.dtype]} can't be cast to the "
                           f"desired output type {_dtypes.SCALAR_NAMES[out.dtype]}")
    computed = any(isinstance(a, Tensor) for a in list(args) + list((kwargs or {}).values()))
    if out.shape != result.shape and out.numel() != 0 and computed:  # torch: factories resize quietly
        import warnings
        warnings.warn(f"An output with one or more elements was resized since it had shape "
                      f"{list(out.shape)}, which does not match the required output shape "
                      f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
                      "release outputs will not be resized unless they have zero elements. You can "
                      "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                      "with t.resize_(0). (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)", UserWarning,
                      stacklevel=3)
    if result.dtype is not out.dtype:
        result = result.to(out.dtype)
    out._assign(result)
    return out


def method(*names):
    """Decorator: attach `fn` as Tensor.<name> for each name."""
    def deco(fn):
        for n in names:
            setattr(Tensor, n, fn)
        return fn
    return deco


def inplace_method(name, fn):
    """Tensor.<name>_: compute out of place, then rebind `self` (torch's in-place semantics)."""
    def m(self, *args, **kwargs):
        check_inplace(self)
        return inplace(self, fn(self, *args, **kwargs))
    m.__name__ = name
    setattr(Tensor, name, m)
    return m


def reflected(fn):
    def r(self, other):
        return fn(other, self)
    return r
