"""torchish.compile: a whole step function (forward, backward, optimizer update) as ONE XLA program.

The lazy engine already runs a training step as one or two cached programs, but it runs the Python
of every op, module and optimizer on every call to find out which program. A compiled function
runs that Python once per guard, as `jax.jit` does, and afterwards makes one jitted call:

1. The first call runs lazily (optimizers create their state on their first step), recording the
   tensors the call read or wrote that existed before it: the seed of the function's state.
2. The next call traces: the state tensors (and the call's tensor arguments) are bound to JAX
   tracers, the function runs on them (the engine's own programs inline into the trace), whatever
   is still pending is computed, and the new values, `.grad`s and the return value become the
   outputs of one jaxpr. A read or write of a tensor that is not yet state makes it state, and
   the trace is redone. Then every tensor is restored, the jaxpr is compiled and run on the real
   arrays, and its outputs are written back: the trace call's results come from the program.
3. Later calls whose guard holds skip the Python: one jitted call and the write-back.

The guard: the same tensor-argument shapes and dtypes, the same non-tensor arguments, the same
grad mode and default dtype; each state tensor alive, with the same shape, dtype and grad presence;
tensor arguments distinct from each other and from the state tensors; the same hyper-parameters in
the param groups of the optimizers whose step() ran (an LR scheduler changing lr between calls
re-traces once per distinct value); the same `training` flags of the modules the function looked
at; the same tensors bound to the global names and closure cells the function reads. A failed
guard traces again (at most `function.RECOMPILE_LIMIT` programs per function, as
torch's recompile limit; beyond it calls run lazily).

A function is run by the lazy engine instead, for that guard, when it cannot be traced: it observes
a value (item(), bool(), print, numpy(), a data-dependent shape), draws from the default random
generator (dropout), changes hyper-parameters itself, leaves a graph for a backward outside the
function (a compiled forward whose output is differentiated later), keeps a tensor it created
(e.g. `self.last = x`), or raises. The attempt is undone first (tensors, generator), so compiling
never changes results, only speed; its Python side effects (prints, counters) do happen twice.
With `fullgraph=True` such a function raises instead, as in torch.

What jax.jit bakes, this bakes too: Python values the function computes or reads (a learning rate
held in a Python variable, a batch index, a list turned into a tensor), and tensors created inside
it from host data, are constants of the trace. Pass changing data as tensor arguments, or keep it
in tensors the function reads. Tensors the function returns come back detached (their graph, if
any, was consumed inside). `dynamic`, `backend`, `mode` and `options` are accepted and ignored.

The modules, in the order a call meets them: `function` (run lazily, trace, or run a program),
`guard`, `program` (the jitted program and its `Entry`), `writeback`; and for a trace, `trace` and
`recorder`.
"""

from .function import CompiledFunction


class OptimizedModule:
    """What `torchish.compile(module)` returns: calls the module compiled; everything else
    (parameters, state_dict, train/eval, attributes) is the original module's."""

    def __init__(self, mod, fullgraph=False):
        object.__setattr__(self, "_orig_mod", mod)
        object.__setattr__(self, "_compiled", CompiledFunction(mod.__call__, fullgraph))

    def __call__(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._orig_mod, name)

    def __setattr__(self, name, value):
        setattr(self._orig_mod, name, value)

    def __repr__(self):
        return f"OptimizedModule({self._orig_mod!r})"


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """torch.compile: `model` (a function or an nn.Module) traced into one XLA program per guard,
    falling back to the lazy engine where it cannot be (see the module docstring). Usable as
    `compile(fn)`, `@compile` and `@compile(...)`."""
    def wrap(m):
        if disable:
            return m
        if not callable(m):
            raise RuntimeError("torch.compile: model must be a callable (a function or a "
                               f"nn.Module), got {type(m).__name__}")
        from ..nn.modules.module import Module
        if isinstance(m, Module):
            return OptimizedModule(m, fullgraph)
        return CompiledFunction(m, fullgraph)
    return wrap if model is None else wrap(model)
