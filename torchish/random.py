"""torch.random and torch.Generator over the torch-exact host streams in `_rng`."""

import contextlib

import numpy as np

from . import _dtypes, _rng

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "fork_rng", "default_generator"]


class Generator:
    """torch.Generator (CPU): same seeds, same numbers, same state bytes as PyTorch."""

    def __init__(self, device="cpu"):
        self._gen = _rng.Generator(str(device))

    @property
    def device(self):
        from ._tensor import CPU
        return CPU

    def manual_seed(self, seed):
        self._gen.manual_seed(int(seed))
        return self

    def seed(self):
        return self._gen.seed()

    def initial_seed(self):
        return self._gen.initial_seed()

    def get_state(self):
        from ._ops.factory import leaf
        return leaf(self._gen.get_state(), _dtypes.uint8)

    def set_state(self, new_state):
        from ._tensor import Tensor
        if not isinstance(new_state, Tensor) or new_state.dtype is not _dtypes.uint8:
            raise TypeError("expected a torch.ByteTensor, but got "
                            f"{type(new_state).__name__}")
        self._gen.set_state(np.asarray(new_state._array()))
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


def _wrap_default():
    g = object.__new__(Generator)
    g._gen = _rng.default_generator
    return g


default_generator = _wrap_default()


def manual_seed(seed):
    default_generator.manual_seed(seed)
    return default_generator


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type="cuda"):
    """Restore the default generator's state on exit, as torch.random.fork_rng does."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
