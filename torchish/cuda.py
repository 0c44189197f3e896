"""torch.cuda as a CPU-only torch build shows it: nothing available, seeding is a no-op.

Accelerators come through JAX's devices in a later issue; until then scripts that probe
`torch.cuda.is_available()` take their CPU path, exactly as under a CPU build of torch.
"""

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "current_device",
           "get_device_name", "synchronize", "empty_cache", "is_bf16_supported"]

_NO_CUDA = "Torch not compiled with CUDA enabled"


def is_available():
    return False


def device_count():
    return 0


def manual_seed(seed):
    pass


def manual_seed_all(seed):
    pass


def current_device():
    raise AssertionError(_NO_CUDA)


def get_device_name(device=None):
    raise AssertionError(_NO_CUDA)


def synchronize(device=None):
    raise AssertionError(_NO_CUDA)


def empty_cache():
    pass


def is_bf16_supported(including_emulation=True):
    return False
