"""torch.nn.functional: activations, losses and layers as table rows or torch's decompositions.

The functions live in the `_functional_*` modules; each states its public names in `__all__`, and
this module re-exports exactly those. Convolution, pooling and normalization are the functions of
`torchish._ops.nn_kernels` themselves (F's argument order: `torch.batch_norm` differs).
"""

from .._ops import nn_kernels as _kernels
from . import (_functional_activation, _functional_attention, _functional_layers,
               _functional_loss, _functional_loss_extra, _functional_misc, _functional_vision)
from ._functional_activation import *  # noqa: F401,F403
from ._functional_attention import *  # noqa: F401,F403
from ._functional_layers import *  # noqa: F401,F403
from ._functional_loss import *  # noqa: F401,F403
from ._functional_loss_extra import *  # noqa: F401,F403
from ._functional_misc import *  # noqa: F401,F403
from ._functional_vision import *  # noqa: F401,F403

globals().update({_name: getattr(_kernels, _name) for _name in _kernels.F_NAMES})

__all__ = (_functional_activation.__all__ + _functional_attention.__all__
           + _functional_layers.__all__ + _functional_loss.__all__
           + _functional_loss_extra.__all__ + _functional_misc.__all__
           + _functional_vision.__all__ + list(_kernels.F_NAMES)
           + ["multi_head_attention_forward"])


def __getattr__(name):
    # torch keeps multi_head_attention_forward here; ours lives beside MultiheadAttention, whose
    # module imports this one
    if name == "multi_head_attention_forward":
        from .modules.attention import multi_head_attention_forward
        return multi_head_attention_forward
    raise AttributeError(f"module 'torch.nn.functional' has no attribute '{name}'")
