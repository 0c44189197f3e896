"""torch.accelerator as a CPU-only torch build shows it: no accelerator present."""

__all__ = ["is_available", "device_count", "current_accelerator", "current_device_index",
           "synchronize", "empty_cache"]

_NONE = "Cannot access accelerator device when none is available."


def is_available():
    return False


def device_count():
    return 0


def current_accelerator(check_available=False):
    return None


def current_device_index():
    raise RuntimeError(_NONE)


current_device_idx = current_device_index


def synchronize(device=None):
    raise RuntimeError(_NONE)


def empty_cache():
    pass
