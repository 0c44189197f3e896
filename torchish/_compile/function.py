"""CompiledFunction: when a call runs lazily, traces, or runs a traced program.

The first call runs lazily, recording the state it touches (optimizers create theirs on their
first step). Later calls look for a traced program whose guard holds; without one they trace
(retrying while the trace keeps finding state it did not bind), and a function that cannot be
traced for a guard key runs lazily for that key from then on, or raises with `fullgraph=True`.
"""

import functools
import types

from .. import _dtypes, _lazy
from ..autograd import grad_mode
from . import recorder
from .guard import GONE, MISS, call_key
from .recorder import KnownState, Recorder
from .trace import Retry, Untraceable, trace

RECOMPILE_LIMIT = 8  # programs per compiled function (torch._dynamo.config.recompile_limit)
_TRACE_ROUNDS = 4  # traces of one guard while state is still being discovered


class CompiledFunction:
    """What `torchish.compile(fn)` returns: calls fn as one jitted program where it can."""

    def __init__(self, fn, fullgraph=False):
        functools.update_wrapper(self, fn, updated=())
        self._fn = fn
        self._fullgraph = fullgraph
        self._known = KnownState()
        self._entries = {}  # guard key -> [Entry]
        self._lazy = set()  # guard keys the lazy engine runs
        self._calls = 0
        self._programs = 0

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        if recorder.active is not None:  # inside another compiled function's call: its trace
            return self._fn(*args, **kwargs)
        targs, key = call_key(args, kwargs)
        key = (key, grad_mode.state.enabled, _dtypes.get_default_dtype())
        entries = self._entries.get(key)
        if entries:
            for e in list(entries):
                r = e(targs)
                if r is GONE:
                    entries.remove(e)
                elif r is not MISS:
                    return r
        self._calls += 1
        if self._calls == 1:
            return self._warm_up(args, kwargs)
        if key in self._lazy or self._programs >= RECOMPILE_LIMIT:
            return self._fn(*args, **kwargs)
        return self._trace(key, targs, args, kwargs)

    def _warm_up(self, args, kwargs):
        """The first call: lazy, recording the state it touches."""
        rec = Recorder(tracing=False)
        with rec:
            out = self._fn(*args, **kwargs)
        self._known.learn(rec)
        return out

    def _trace(self, key, targs, args, kwargs):
        err = None
        for _ in range(_TRACE_ROUNDS):
            try:
                entry = trace(self._fn, self._known, targs, args, kwargs)
                out = entry(targs)  # compiles; the state is as before the call
            except Retry:
                continue
            except Exception as e:  # noqa: BLE001 - anything: the lazy engine decides
                err = e
                break
            if out is MISS or out is GONE:
                err = Untraceable("the guard fails right after tracing")
                break
            self._entries.setdefault(key, []).append(entry)
            self._programs += 1
            _lazy.Stats.hits -= 1
            _lazy.Stats.misses += 1
            return out
        else:
            err = Untraceable("the state the function touches kept changing")
        self._lazy.add(key)
        if self._fullgraph:
            raise RuntimeError(f"torchish.compile(fullgraph=True): the function cannot be traced "
                               f"into one program: {err!r}") from err
        return self._fn(*args, **kwargs)
