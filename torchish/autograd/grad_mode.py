"""Grad mode: no_grad / enable_grad / set_grad_enabled / inference_mode, thread-local as torch."""

import functools
import threading


class _State(threading.local):
    enabled = True
    inference = False
    direct = False  # ops compute at once on the arrays they hold (autograd.Function under JAX)


state = _State()


def is_grad_enabled():
    return state.enabled


def is_inference_mode_enabled():
    return state.inference


class _Mode:
    """Base: a context manager that is also usable as a decorator, like torch's."""

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args):
                return fn(*args, **kwargs)
        return wrapper

    _args = ()

    def __exit__(self, *exc):
        state.enabled = self._prev
        return False

    def clone(self):
        return self.__class__(*self._args)


class _NoParam(_Mode):
    """torch allows `@torch.no_grad` without parentheses too."""

    def __new__(cls, fn=None):
        self = super().__new__(cls)
        return self(fn) if callable(fn) else self

    def __init__(self, fn=None):
        pass


class no_grad(_NoParam):
    def __enter__(self):
        self._prev = state.enabled
        state.enabled = False


class enable_grad(_NoParam):
    def __enter__(self):
        self._prev = state.enabled
        state.enabled = True


class set_grad_enabled(_Mode):
    def __init__(self, mode):
        self._args = (mode,)
        self._prev = state.enabled
        state.enabled = bool(mode)  # torch: takes effect at construction, so it works as a call

    def __enter__(self):
        pass

    def __call__(self, fn):
        state.enabled = self._prev
        return super().__call__(fn)


class inference_mode(_Mode):
    def __init__(self, mode=True):
        self._args = (mode,)
        self.mode = mode

    def __enter__(self):
        self._prev = state.enabled
        self._prev_inf = state.inference
        if self.mode:
            state.enabled = False
            state.inference = True

    def __exit__(self, *exc):
        state.enabled = self._prev
        state.inference = self._prev_inf
        return False

    def __call__(self, fn):
        if isinstance(fn, bool):
            return inference_mode(fn)
        return super().__call__(fn)
