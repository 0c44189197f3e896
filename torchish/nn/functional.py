"""torch.nn.functional: activations, losses and layers as table rows or torch's decompositions.

The functions live in `_functional_activation`, `_functional_layers` and `_functional_loss`; each
states its public names in `__all__`, and this module re-exports exactly those. Convolution, pooling
and normalization come from `torchish._ops.nn_kernels` (looked up when first used).
"""

from . import _functional_activation, _functional_layers, _functional_loss
from ._functional_activation import *  # noqa: F401,F403
from ._functional_layers import *  # noqa: F401,F403
from ._functional_loss import *  # noqa: F401,F403

__all__ = (_functional_activation.__all__ + _functional_layers.__all__
           + _functional_loss.__all__)

# torch.nn.functional names whose functions live with the nn kernels
_KERNELS = ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
            "conv_transpose3d", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d",
            "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
            "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "layer_norm",
            "batch_norm", "group_norm", "instance_norm", "rms_norm")


def __getattr__(name):
    if name in _KERNELS:
        from .._ops import _surface
        try:
            from .._ops import nn_kernels  # noqa: F401 - registers the kernels' surfaces
        except ImportError:
            pass
        fn = _surface.FUNCTIONS.get(name)
        if fn is not None:
            globals()[name] = fn
            return fn
    raise AttributeError(f"module 'torch.nn.functional' has no attribute '{name}'")
