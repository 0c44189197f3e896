"""Hook plumbing for Module: removable handles and the full backward hooks.

As in torch, a module with full backward hooks routes its tensor inputs and outputs through an
identity op (grad_fn BackwardHookFunctionBackward); hooks on those two nodes see grad_output and
grad_input, and what the user hooks return replaces them.
"""

import itertools
import warnings
from collections import OrderedDict

from ..._tensor import Tensor


# Hooks shared by every module (torch.nn.modules.module.register_module_*).
_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()
_global_forward_hooks_always_called = OrderedDict()
_global_backward_hooks = OrderedDict()
_global_backward_pre_hooks = OrderedDict()


class RemovableHandle:
    """torch.utils.hooks.RemovableHandle over an ordered dict of hooks keyed by handle id."""

    _ids = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict = hooks_dict
        self.id = next(RemovableHandle._ids)
        if extra_dict is None:
            extra_dict = []
        self.extra_dicts = extra_dict if isinstance(extra_dict, list) else [extra_dict]

    def remove(self):
        for d in (self.hooks_dict, *self.extra_dicts):
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _identity(tensors):
    from ..._ops.nn_kernels import backward_hook_identity
    return backward_hook_identity(tensors)


def _wrap(values, fn):
    """Apply fn to the grad-requiring tensors among `values` (a Tensor or a tuple)."""
    single = isinstance(values, Tensor)
    items = (values,) if single else values
    if not isinstance(items, tuple):
        return values, None
    idx = [i for i, x in enumerate(items) if isinstance(x, Tensor) and x.requires_grad]
    if not idx:
        return values, None
    new = fn([items[i] for i in idx])
    out = list(items)
    for i, t in zip(idx, new):
        out[i] = t
    return (out[0] if single else tuple(out)), (new[0].grad_fn, len(items), idx)


class BackwardHook:
    """One forward call's backward hooks (torch.utils.hooks.BackwardHook)."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs = None
        self.n_inputs = -1
        self.input_tensors_index = None

    def _pack(self, grads, size, idx):
        full = [None] * size
        for i, g in zip(idx, grads):
            full[i] = g
        return tuple(full)

    def _run_hooks(self, grad_inputs):
        for hook in self.user_hooks:
            r = hook(self.module, grad_inputs, self.grad_outputs)
            if r is None:
                continue
            r = tuple(r) if isinstance(r, (tuple, list)) else (r,)
            if len(r) != len(grad_inputs):
                raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got "
                                   f"{len(r)}, but expected {len(grad_inputs)}")
            grad_inputs = r
        return grad_inputs

    def setup_input_hook(self, args):
        new, info = _wrap(args, _identity)
        self.n_inputs = len(args) if isinstance(args, tuple) else 1
        if info is not None:
            node, size, idx = info
            self.input_tensors_index = idx

            def prehook(grad_outputs):
                # the gradients reaching the input identity are the module's grad_input
                res = self._run_hooks(self._pack(grad_outputs, size, idx))
                return tuple(res[i] for i in idx)
            node.register_prehook(prehook)
        return new

    def setup_output_hook(self, result):
        new, info = _wrap(result, _identity)
        if info is None:
            return result
        node, size, idx = info

        def prehook(grad_outputs):
            self.grad_outputs = self._pack(grad_outputs, size, idx)
            for hook in self.user_pre_hooks:
                r = hook(self.module, self.grad_outputs)
                if r is not None:
                    r = tuple(r) if isinstance(r, (tuple, list)) else (r,)
                    self.grad_outputs = r
            if self.input_tensors_index is None:  # no input needs grad: call the hooks now
                warnings.warn("Full backward hook is firing when gradients are computed with "
                              "respect to module outputs since no inputs require gradients. See "
                              "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                              "#torch.nn.Module.register_full_backward_hook for more details.",
                              stacklevel=5)
                self._run_hooks((None,) * max(self.n_inputs, 0))
            return tuple(self.grad_outputs[i] for i in idx)
        node.register_prehook(prehook)
        return new


def register_module_forward_pre_hook(hook):
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook, *, always_call=False):
    handle = RemovableHandle(_global_forward_hooks,
                             extra_dict=_global_forward_hooks_always_called)
    _global_forward_hooks[handle.id] = hook
    if always_call:
        _global_forward_hooks_always_called[handle.id] = True
    return handle


def register_module_full_backward_hook(hook):
    handle = RemovableHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


def register_module_full_backward_pre_hook(hook):
    handle = RemovableHandle(_global_backward_pre_hooks)
    _global_backward_pre_hooks[handle.id] = hook
    return handle


def any_global():
    return bool(_global_forward_pre_hooks or _global_forward_hooks or _global_backward_hooks
                or _global_backward_pre_hooks)


def call_with_hooks(self, args, kwargs):
    """Module.__call__ when any hook is registered: torch's order of pre-hooks, backward-hook
    wrapping, forward, forward hooks (always_call ones also when forward raises)."""
    called = set()
    result = None
    try:
        for hid, hook in (*_global_forward_pre_hooks.items(),
                          *self._forward_pre_hooks.items()):
            if hid in self._forward_pre_hooks_with_kwargs:
                r = hook(self, args, kwargs)
                if r is not None:
                    if not (isinstance(r, tuple) and len(r) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of "
                                           f"(new_args, new_kwargs), but got {r}.")
                    args, kwargs = r
            else:
                r = hook(self, args)
                if r is not None:
                    args = r if isinstance(r, tuple) else (r,)
        full = [*_global_backward_hooks.values()]
        if self._is_full_backward_hook:
            full += self._backward_hooks.values()
        pre = [*_global_backward_pre_hooks.values(), *self._backward_pre_hooks.values()]
        bw = BackwardHook(self, full, pre) if full or pre else None
        if bw is not None:
            args = bw.setup_input_hook(args)
        result = self.forward(*args, **kwargs)
        for hid, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            if hid in self._forward_hooks_always_called or hid in \
                    _global_forward_hooks_always_called:
                called.add(hid)
            if hid in self._forward_hooks_with_kwargs:
                r = hook(self, args, kwargs, result)
            else:
                r = hook(self, args, result)
            if r is not None:
                result = r
        if bw is not None:
            result = bw.setup_output_hook(result)
        if self._backward_hooks and self._is_full_backward_hook is False:
            _attach_non_full_hooks(self, result, args)
        return result
    except Exception:
        for hid, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            always = (hid in self._forward_hooks_always_called
                      or hid in _global_forward_hooks_always_called)
            if always and hid not in called:
                try:
                    if hid in self._forward_hooks_with_kwargs:
                        r = hook(self, args, kwargs, result)
                    else:
                        r = hook(self, args, result)
                    if r is not None:
                        result = r
                except Exception as e:  # noqa: BLE001 - torch silences these with a warning
                    warnings.warn("module forward hook with ``always_call=True`` raised an "
                                  "exception that was silenced as another error was raised "
                                  f"in forward: {e}", stacklevel=2)
        raise


def _attach_non_full_hooks(module, result, args):
    """The deprecated register_backward_hook: hooks on the grad_fn of the first output tensor,
    with torch's FutureWarnings where that misses gradients."""
    t = result
    while not isinstance(t, Tensor):
        t = next(v for v in t.values() if isinstance(v, Tensor)) if isinstance(t, dict) else t[0]
    grad_fn = t.grad_fn
    if grad_fn is None:
        return
    for hook in module._backward_hooks.values():
        grad_fn.register_hook(lambda gi, go, hook=hook: hook(module, gi, go))
    _warn_non_full(args, result, grad_fn)


_NON_FULL = ("Using a non-full backward hook when {} is deprecated and will be removed in future "
             "versions. This hook will be missing some {}.")
_USE_FULL = " Please use register_full_backward_hook to get the documented behavior."


def _warn_non_full(inputs, result, grad_fn):
    def tensors(x):
        if isinstance(x, Tensor):
            return (x,)
        if isinstance(x, tuple) and all(isinstance(v, Tensor) for v in x):
            return x
        return None

    outs, ins = tensors(result), tensors(inputs)
    for got, what, missing in ((outs, "return a single Tensor or a tuple of Tensors",
                                "grad_output"),
                               (ins, "take as input a single Tensor or a tuple of Tensors",
                                "grad_input")):
        if got is None:
            warnings.warn(f"Using non-full backward hooks on a Module that does not {what} is "
                          f"deprecated and will be removed in future versions. This hook will be "
                          f"missing some of the {missing}." + _USE_FULL, FutureWarning,
                          stacklevel=4)
            return
    out_fns = {id(o.grad_fn) for o in outs if o.grad_fn is not None}
    if not out_fns or (len(out_fns) == 1 and id(grad_fn) not in out_fns):
        warnings.warn(_NON_FULL.format("outputs are nested in python data structure",
                                       "grad_output"), FutureWarning, stacklevel=4)
    elif len(out_fns) > 1:
        warnings.warn(_NON_FULL.format("outputs are generated by different autograd Nodes",
                                       "grad_output") + _USE_FULL, FutureWarning, stacklevel=4)
    else:
        in_fns = {id(i.grad_fn) for i in ins if i.grad_fn is not None}
        nexts = {id(n) for n, _ in grad_fn.next_functions}
        if in_fns != nexts:
            warnings.warn(_NON_FULL.format("the forward contains multiple autograd Nodes",
                                           "grad_input") + _USE_FULL, FutureWarning,
                          stacklevel=4)
