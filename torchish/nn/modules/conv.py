"""Conv1d/2d/3d and ConvTranspose1d/2d/3d over the `convolution` row (ConvolutionBackward0)."""

import math

from ..._ops import nn_kernels as K
from ...autograd import grad_mode
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module
from .utils import _pair, _single, _triple, empty

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    __constants__ = ["stride", "padding", "dilation", "groups", "padding_mode", "output_padding",
                     "in_channels", "out_channels", "kernel_size"]

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 transposed, output_padding, groups, bias, padding_mode, device=None,
                 dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'valid', 'same'}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError("padding_mode must be one of {'zeros', 'reflect', 'replicate', "
                             f"'circular'}}, but got padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad widths for non-zero padding modes: last dim first, (left, right) each
        if isinstance(padding, str):
            pads = [(0, 0)] * len(kernel_size)
            if padding == "same":
                pads = [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2)
                        for d, k in zip(dilation, kernel_size)]
        else:
            pads = [(p, p) for p in padding]
        self._reversed_padding_repeated_twice = [x for lr in reversed(pads) for x in lr]
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups)) + tuple(kernel_size)
        self.weight = Parameter(empty(*shape, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        with grad_mode.no_grad():
            init.kaiming_uniform_(self.weight, a=math.sqrt(5))
            if self.bias is not None:
                fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
                bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "padding_mode"):
            self.padding_mode = "zeros"


def _conv_class(nsp, ntuple, conv):
    class Conv(_ConvNd):
        def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                     dilation=1, groups=1, bias=True, padding_mode="zeros", device=None,
                     dtype=None):
            super().__init__(in_channels, out_channels, ntuple(kernel_size), ntuple(stride),
                             padding if isinstance(padding, str) else ntuple(padding),
                             ntuple(dilation), False, ntuple(0), groups, bias, padding_mode,
                             device, dtype)

        def _conv_forward(self, input, weight, bias):
            if self.padding_mode != "zeros":
                padded = F.pad(input, self._reversed_padding_repeated_twice,
                               mode=self.padding_mode)
                return conv(padded, weight, bias, self.stride, ntuple(0), self.dilation,
                            self.groups)
            return conv(input, weight, bias, self.stride, self.padding, self.dilation,
                        self.groups)

        def forward(self, input):
            return self._conv_forward(input, self.weight, self.bias)

    Conv.__name__ = Conv.__qualname__ = f"Conv{nsp}d"
    Conv.__doc__ = f"{nsp}-d convolution (cross-correlation) over (N, C, *spatial) input."
    return Conv


Conv1d = _conv_class(1, _single, K.conv1d)
Conv2d = _conv_class(2, _pair, K.conv2d)
Conv3d = _conv_class(3, _triple, K.conv3d)


class _ConvTransposeNd(_ConvNd):
    def __init__(self, *args, **kwargs):
        if args[10] != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f"{type(self).__name__}")
        super().__init__(*args, **kwargs)

    def _output_padding(self, input, output_size, stride, padding, kernel_size, nsp,
                        dilation=None):
        """The output_padding that gives `output_size` (torch's checks and messages)."""
        if output_size is None:
            return tuple(self.output_padding)
        non_spatial = 2 if input.dim() == nsp + 2 else 1
        output_size = list(output_size)
        if len(output_size) == non_spatial + nsp:
            output_size = output_size[non_spatial:]
        if len(output_size) != nsp:
            raise ValueError(f"ConvTranspose{nsp}D: for {input.dim()}D input, output_size must "
                             f"have {nsp} or {non_spatial + nsp} elements (got "
                             f"{len(output_size)})")
        mins = [(input.size(d + non_spatial) - 1) * stride[d] - 2 * padding[d]
                + (dilation[d] if dilation is not None else 1) * (kernel_size[d] - 1) + 1
                for d in range(nsp)]
        maxs = [m + s - 1 for m, s in zip(mins, stride)]
        for size, lo, hi in zip(output_size, mins, maxs):
            if size < lo or size > hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {mins} to {maxs} (for an input of "
                                 f"{input.size()[2:]})")
        return tuple(s - m for s, m in zip(output_size, mins))


def _conv_transpose_class(nsp, ntuple, conv):
    class ConvTranspose(_ConvTransposeNd):
        def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                     output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                     device=None, dtype=None):
            super().__init__(in_channels, out_channels, ntuple(kernel_size), ntuple(stride),
                             ntuple(padding), ntuple(dilation), True, ntuple(output_padding),
                             groups, bias, padding_mode, device, dtype)

        def forward(self, input, output_size=None):
            output_padding = self._output_padding(input, output_size, self.stride, self.padding,
                                                  self.kernel_size, nsp, self.dilation)
            return conv(input, self.weight, self.bias, self.stride, self.padding,
                        output_padding, self.groups, self.dilation)

    ConvTranspose.__name__ = ConvTranspose.__qualname__ = f"ConvTranspose{nsp}d"
    ConvTranspose.__doc__ = f"{nsp}-d transposed convolution (the gradient of Conv{nsp}d)."
    return ConvTranspose


ConvTranspose1d = _conv_transpose_class(1, _single, K.conv_transpose1d)
ConvTranspose2d = _conv_transpose_class(2, _pair, K.conv_transpose2d)
ConvTranspose3d = _conv_transpose_class(3, _triple, K.conv_transpose3d)

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]
