"""torch.autograd: backward(), grad(), grad modes, Function, functional and the engine behind them.
"""

import warnings

from .._tensor import Tensor
from . import engine, graph
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "Variable", "Function", "functional", "graph", "set_detect_anomaly",
           "detect_anomaly", "is_anomaly_enabled"]

Variable = Tensor


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _check_roots(roots, grads, is_grads_batched=False):
    """torch's checks on outputs and their grad_outputs; returns the cotangent per output."""
    if grads is None:
        grads = [None] * len(roots)
    if len(grads) != len(roots):
        raise RuntimeError(f"grad_tensors should have the same length as tensors: got "
                           f"{len(grads)} and {len(roots)}")
    cots = []
    for i, (t, g) in enumerate(zip(roots, grads)):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a "
                               f"grad_fn")
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t.dtype.is_complex:
                raise RuntimeError("grad can be implicitly created only for real scalar outputs")
        else:
            if not isinstance(g, Tensor):
                from .._ops.factory import tensor
                g = tensor(g, dtype=t.dtype)
            shape = g.shape[1:] if is_grads_batched else g.shape
            if shape != t.shape:
                if is_grads_batched:
                    raise RuntimeError(
                        f"If `is_grads_batched=True`, we interpret the first dimension of each "
                        f"grad_output as the batch dimension. The sizes of the remaining "
                        f"dimensions are expected to match the shape of corresponding output, but "
                        f"a mismatch was detected: grad_output[{i}] has a shape of {g.shape} and "
                        f"output[{i}] has a shape of {t.shape}. If you only want some tensors in "
                        f"`grad_output` to be considered batched, consider using vmap.")
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} "
                                   f"and output[{i}] has a shape of {t.shape}.")
        cots.append(g)
    return cots


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """torch.autograd.backward. With create_graph the gradients carry grad_fn GradBackward0."""
    if grad_variables is not None:
        grad_tensors = grad_variables
    roots = _as_list(tensors)
    if inputs is not None:
        targets = _as_list(inputs)
        if not targets:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    else:
        targets = None
    cots = _check_roots(roots, _as_list(grad_tensors))
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        _warn_create_graph()
    if targets is None:
        engine.run_backward(roots, cots, None, retain_graph, True, create_graph)
        return
    grads = engine.run_backward(roots, cots, targets, retain_graph, False, create_graph)
    with set_grad_enabled(create_graph):
        finals = [engine.accumulate_grad(t, g, create_graph)
                  for t, g in zip(targets, grads) if g is not None]
    engine._finish(finals, [], create_graph)


_warned = []


def _warn_create_graph():
    if not _warned:  # torch: TORCH_WARN_ONCE
        _warned.append(True)
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after use "
            "to break the cycle and avoid the leak. (Triggered internally at "
            "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)", UserWarning,
            stacklevel=3)


class _Anomaly:
    enabled = False
    check_nan = True


def is_anomaly_enabled():
    return _Anomaly.enabled


def is_anomaly_check_nan_enabled():
    return _Anomaly.check_nan


class set_detect_anomaly:
    """torch.autograd.set_detect_anomaly: recorded only; torchish keeps no forward traces."""

    def __init__(self, mode, check_nan=True):
        self.prev = (_Anomaly.enabled, _Anomaly.check_nan)
        _Anomaly.enabled, _Anomaly.check_nan = bool(mode), bool(check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _Anomaly.enabled, _Anomaly.check_nan = self.prev


class detect_anomaly(set_detect_anomaly):
    def __init__(self, check_nan=True):
        super().__init__(True, check_nan)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad. `is_grads_batched` runs one backward per batch entry."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads="
                         "True, but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    roots = _as_list(outputs)
    targets = _as_list(inputs)
    for t in targets:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    cots = _check_roots(roots, _as_list(grad_outputs), is_grads_batched)
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        return _batched_grad(roots, cots, targets, retain_graph, create_graph, allow_unused,
                             materialize_grads)
    grads = engine.run_backward(roots, cots, targets, retain_graph, False, create_graph)
    out = []
    for i, (t, g) in enumerate(zip(targets, grads)):
        if g is None:
            if materialize_grads:
                from .._ops.factory import zeros_like
                out.append(zeros_like(t))
                continue
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   f"been used in the graph. Set allow_unused=True if this is the "
                                   f"desired behavior.")
        out.append(g)
    return tuple(out)


def _batched_grad(roots, cots, targets, retain_graph, create_graph, allow_unused, materialize):
    from .._ops.shape import stack
    n = next(c.shape[0] for c in cots if c is not None)
    rows = [grad(roots, targets, [c[b] if c is not None else None for c in cots], True,
                 create_graph, allow_unused=allow_unused, materialize_grads=materialize)
            for b in range(n)]
    if not retain_graph:
        engine.free_graph(roots)
    return tuple(None if r[0] is None else stack(list(r)) for r in zip(*rows))


from . import functional  # noqa: E402
from .function import Function  # noqa: E402
