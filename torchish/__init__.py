"""torchish: PyTorch's API and autograd semantics on JAX/XLA. `import torchish as torch`."""

from . import _native  # noqa: F401 - first: it guards the modules that may run compiled
from . import _config, _dtypes
from ._dtypes import (bfloat16, complex64, complex128, dtype, finfo, float16, float32, float64,
                      get_default_dtype, iinfo, int8, int16, int32, int64, promote_types,
                      set_default_dtype, uint8)
from ._dtypes import bool_ as bool  # noqa: A001 - torch.bool
from ._tensor import Size, Tensor, device
from ._tensor_str import printoptions, set_printoptions, get_printoptions
from ._ops import FUNCTIONS as _FUNCTIONS
from ._ops import return_types
from . import accelerator, autograd, backends, cuda, functional, linalg, nn, random
from .functional import broadcast_shapes, broadcast_tensors
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed,
                     seed, set_rng_state)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from . import optim
from . import serialization
from .serialization import load, save
from . import utils
from ._lazy import Stats as _Stats
from ._compile import compile  # noqa: A004 - torch.compile

_config.apply()
globals().update(_FUNCTIONS)
for _alias, _d in _dtypes.ALIASES.items():
    globals()[_alias] = _d

__version__ = "2.13.0+torchish"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.dtype.is_floating_point


def is_complex(input):
    return input.dtype.is_complex


def result_type(tensor1, tensor2):
    def split(x):
        if isinstance(x, Tensor):
            return ([x.dtype], [], []) if x.dim() else ([], [x.dtype], [])
        return [], [], [_dtypes.scalar_dtype(x)]
    a, b = split(tensor1), split(tensor2)
    return _dtypes.result_type(a[0] + b[0], a[1] + b[1], a[2] + b[2])


def can_cast(from_, to):
    return _dtypes.can_cast(from_, to)


def compile_cache_stats():
    """(hits, misses, executions) of the compiled-program cache since the last reset."""
    return _Stats.hits, _Stats.misses, _Stats.executions


def reset_compile_cache_stats():
    _Stats.reset()
