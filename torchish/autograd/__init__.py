"""torch.autograd: backward(), grad(), grad modes, and the engine behind them."""

from .._tensor import Tensor
from . import engine
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "Variable"]

Variable = Tensor


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _check_roots(roots, grads):
    if grads is None:
        grads = [None] * len(roots)
    if len(grads) != len(roots):
        raise RuntimeError(f"grad can be implicitly created only for scalar outputs"
                           if False else f"Mismatch in number of grad_outputs: got {len(grads)} "
                           f"but expected {len(roots)}")
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
        elif not isinstance(g, Tensor):
            from .._ops.factory import tensor
            g = tensor(g, dtype=t.dtype)
        if g is not None and g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {t.shape}.")
        cots.append(g)
    return cots


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """torch.autograd.backward."""
    if create_graph:
        raise NotImplementedError("torchish: backward(create_graph=True) is not supported yet")
    roots = _as_list(tensors)
    cots = _check_roots(roots, _as_list(grad_tensors))
    if retain_graph is None:
        retain_graph = create_graph
    targets = _as_list(inputs)
    if targets is not None:
        if not targets:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        grads = engine.run_backward(roots, cots, targets, retain_graph, False)
        for t, g in zip(targets, grads):
            if g is not None:
                engine._accumulate(t, g, False)
        return
    engine.run_backward(roots, cots, None, retain_graph, True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad."""
    if create_graph:
        raise NotImplementedError("torchish: autograd.grad(create_graph=True) is not supported yet")
    roots = _as_list(outputs)
    targets = _as_list(inputs)
    for t in targets:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    cots = _check_roots(roots, _as_list(grad_outputs))
    if retain_graph is None:
        retain_graph = create_graph
    grads = engine.run_backward(roots, cots, targets, retain_graph, False)
    out = []
    from .._tensor import from_array
    for t, g in zip(targets, grads):
        if g is None:
            if materialize_grads:
                from .._ops.factory import zeros_like
                out.append(zeros_like(t))
                continue
            if not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been "
                                   "used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
            out.append(None)
        else:
            out.append(from_array(g))
    return tuple(out)
