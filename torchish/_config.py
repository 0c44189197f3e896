"""Process-wide JAX settings torchish relies on, applied once at import.

The persistent compilation caches are on by default (a per-user directory), because first sight of
a graph costs tens of milliseconds of XLA compile: a warm cache makes a rerun of a script cheap.
Two caches share the directory: JAX's (keyed by the lowered program: it saves the XLA compile) and
torchish's own (`_program_cache`, keyed by torchish's program signature: it saves tracing and
lowering too). Set TORCHISH_COMPILATION_CACHE=0 to turn both off, TORCHISH_PROGRAM_CACHE=0 to turn
off only torchish's, or TORCHISH_CACHE_DIR to move them.

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
    if os.environ.get("TORCHISH_PROGRAM_CACHE", "1") != "0":
        from . import _program_cache
        if _program_cache.supported:
            _program_cache.directory = path
