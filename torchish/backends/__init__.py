"""torch.backends: the flags tutorials read or set (no effect on XLA, kept for compatibility)."""

import types

cudnn = types.SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                              allow_tf32=True, is_available=lambda: False)
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
cuda = types.SimpleNamespace(is_built=lambda: False,
                             matmul=types.SimpleNamespace(allow_tf32=False))

__all__ = ["cudnn", "mps", "cuda"]
