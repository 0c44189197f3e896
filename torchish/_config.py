"""Process-wide JAX settings torchish relies on, applied once at import.

The persistent compilation cache is on by default (a per-user directory), because first sight of a
graph costs tens of milliseconds of XLA compile: a warm cache makes a rerun of a script cheap.
Set TORCHISH_COMPILATION_CACHE=0 to turn it off, or TORCHISH_CACHE_DIR to move it.

Importing JAX and torchish leaves ~110,000 long-lived objects; every full garbage collection would
scan them again (30-100 ms each, the largest part of a script's first step), so they are moved to
the collector's permanent generation once torchish is imported (`gc.freeze`).
"""

import gc
import os

import jax


def apply():
    gc.freeze()
    if os.environ.get("TORCHISH_COMPILATION_CACHE", "1") == "0":
        return
    path = os.environ.get("TORCHISH_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "torchish", "xla")
    jax.config.update("jax_compilation_cache_dir", path)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
