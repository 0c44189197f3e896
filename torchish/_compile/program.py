"""The traced program: a jitted jaxpr over the inputs it reads, donating the ones it replaces.

An `Entry` is one traced guard of a compiled function: when its `Guard` holds, it feeds the
current values to its `Program` and hands the outputs to its `WriteBack`. That is all a compiled
call costs after tracing: the guard's checks, one jitted call and the write-back.
"""

import sys

import jax
import jax.numpy as jnp
from jax.extend.core import jaxpr_as_fun

from .. import _lazy
from .._lazy import materialize
from .guard import GONE, MISS


class Program:
    """The traced jaxpr, jitted over the inputs it reads (unused ones enter as zeros XLA drops).

    `gone` marks the inputs the call may consume: the old values and grads that the write-back
    replaces. They are donated (their buffers reused for the outputs, as a hand-written jitted
    step donates its parameters) when nothing but their tensor holds them; otherwise the
    non-donating variant runs. Each variant compiles on first use."""

    def __init__(self, closed, used, in_avals, gone):
        fun = jaxpr_as_fun(closed)
        zeros = [a for a, u in zip(in_avals, used) if not u]

        def full(arrays):
            it, z = iter(arrays), iter(zeros)
            return [next(it) if u else jnp.zeros(*next(z)) for u in used]

        def run(arrays):
            return fun(*full(arrays))

        def run_donating(kept, donated):
            k, d = iter(kept), iter(donated)
            return fun(*full([next(d) if g else next(k) for g in gone]))
        self.gone = gone
        self.gone_at = [i for i, g in enumerate(gone) if g]
        self.plain = jax.jit(run)
        self.donating = jax.jit(run_donating, donate_argnums=1) if any(gone) else None

    def __call__(self, ins):
        """Run on the Values `ins` (concrete; held by their tensors and this list only when
        donatable)."""
        if self.donating is not None:
            ok = True
            for i in self.gone_at:
                # a donated Value is held by its tensor, `ins`, `v` and the call; its array by
                # the Value, `a` and the call
                v = ins[i]
                a = v.data
                if sys.getrefcount(v) != 4 or sys.getrefcount(a) != 3:
                    ok = False
                    break
            v = a = None
            if ok:
                kept = [v.data for v, g in zip(ins, self.gone) if not g]
                donated = [v.data for v, g in zip(ins, self.gone) if g]
                return self.donating(kept, donated)
        return self.plain([v.data for v in ins])


class Entry:
    """A traced guard: its checks, program and write-back."""

    def __init__(self, guard, used, program, write_back):
        self.guard = guard
        self.used = used  # per input (value, then grad if any, per tensor): fed to the program
        self.program = program
        self.write_back = write_back

    def __call__(self, targs):
        """The call's return value, or MISS/GONE when the guard fails."""
        got = self.guard.inputs(targs)
        if got is MISS or got is GONE:
            return got
        objs, ins = got
        got = None  # only `ins` and the tensors hold the values (donation)
        ins = [v for v, u in zip(ins, self.used) if u]
        pending = [v for v in ins if v.data is None]
        if pending:
            materialize(pending)
        outs = self.program(ins)
        ins = None
        _lazy.Stats.hits += 1
        _lazy.Stats.executions += 1
        return self.write_back(objs, outs)
