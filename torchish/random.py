"""torch.random and torch.Generator over the torch-exact host streams in `_rng`."""

import contextlib

import numpy as np

from . import _dtypes, _rng

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "fork_rng", "default_generator"]


class Generator:
    """torch.Generator (CPU): same seeds, same numbers, same state bytes as PyTorch."""

    def __init__(self, device="cpu"):
        if str(device).split(":")[0] == "cuda":
            raise RuntimeError(_NO_CUDA)
        self._gen = _rng.Generator(str(device))

    @property
    def device(self):
        from ._tensor import CPU
        return CPU

    def manual_seed(self, seed):
        self._gen.manual_seed(seed)
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
        if not isinstance(new_state, Tensor):
            raise TypeError("expected a torch.ByteTensor, but got "
                            f"{type(new_state).__name__}")
        if new_state.dtype is not _dtypes.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        self._gen.set_state(np.asarray(new_state._array()))
        return self

    def clone_state(self):
        """A new generator in this one's state."""
        return Generator().set_state(self.get_state())

    def get_offset(self):
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset):
        raise RuntimeError("CPU Generator does not use offset")

    def graphsafe_get_state(self):
        raise NotImplementedError("graphsafe_get_state is not supported in this Generator")

    def graphsafe_set_state(self, state):
        raise NotImplementedError("graphsafe_set_state is not supported in this Generator")

    def __reduce__(self):  # pickle and deepcopy, as torch: (seed, offset, state)
        return Generator, (self.device,), (self.initial_seed(), None, self.get_state())

    def __setstate__(self, state):
        self.set_state(state[2])

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


_NO_CUDA = ("Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into "
            "two shared libraries: a CPU library and a CUDA library; this error has occurred "
            "because you are trying to use some CUDA functionality, but the CUDA library has not "
            "been loaded by the dynamic linker for some reason.  The CUDA library MUST be loaded, "
            "EVEN IF you don't directly use any symbols from the CUDA library! One common culprit "
            "is a lack of -Wl,--no-as-needed in your link arguments; many dynamic linkers will "
            "delete dynamic library dependencies if you don't depend on any of their symbols.  You "
            "can check if this has occurred by using ldd on your binary to see if there is a "
            "dependency on *_cuda.so library.")


def _wrap_default():
    g = object.__new__(Generator)
    g._gen = _rng.default_generator
    return g


default_generator = _wrap_default()


def manual_seed(seed):
    """Seed the default generator; torch converts the seed with int() first."""
    default_generator.manual_seed(int(seed))
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
