"""Compiled programs kept on disk, so that a warm process skips tracing and lowering.

JAX's persistent cache is keyed by the lowered program, so a fresh process still traces and lowers
every program (about 15-30 ms for a small graph) before the cache can answer. This cache is keyed by
torchish's own program signature instead (the key `_lazy.compiled` receives: steps of registry
ops, params, shapes and dtypes), plus the avals and structure of the call's arguments and a
fingerprint of everything else a program depends on: JAX/jaxlib/NumPy/Python versions, backend,
device kind, host CPU flags, x64, XLA_FLAGS and torchish's own source files (paths, sizes, mtimes:
an edited torchish never loads a stale program). The value is the serialized XLA executable.

A program is resolved on its first call (which has the arguments): load the entry, or lower and
compile as `jax.jit` would and write the entry. Either way the process then calls that compiled
executable directly (its call path is JAX's C++ one, as fast as a jitted function's); under a JAX
trace (torch.compile, ...) `_lazy.compiled` hands out the jitted function instead, which inlines
where an executable would refuse tracers. Arguments that are not plain, strongly typed arrays keep
the jitted function too (jit specializes on weak types; an executable does not). Keys holding
anything but the registry's own OpDef rows and plain data (autograd.Function ops, the graph-walk
engine's segments, ...) are not cached: they stay plain `jax.jit` functions.

Any failure (missing, unreadable, truncated or corrupted entry, a read-only directory, an entry
from another JAX) falls back to compiling, silently. Entries are written to a temporary file and
renamed, so concurrent writers never leave a torn entry. Entries are pickles: the cache directory
must be as trusted as the Python files themselves (as JAX's own cache).
"""

import hashlib
import os
import pickle
import sys
import tempfile

import jax
import numpy as np

from . import _dtypes

MAGIC = b"TORCHISH-PROGRAM-1\n"
SUFFIX = ".torchish-program"  # JAX's own cache files end in -cache / -atime: no clash
MAX_BYTES = 512 * 2**20  # past this the least recently used entries go (every edit of torchish
# starts a new set of keys, so old entries would pile up forever)

directory = None  # set by _config.apply(); None: off

try:  # whether JAX is tracing (`_lazy.compiled` then hands out jitted programs, which inline)
    from jax._src.core import eval_trace, trace_ctx
    from jaxlib._jax import ArrayImpl
    supported = True
except ImportError:  # another JAX: no cache (see _config)
    class trace_ctx:
        trace = None
    eval_trace = ArrayImpl = None
    supported = False


class stats:
    """Disk-cache counters since import (or `reset()`): entries loaded, programs compiled and
    written, entries that could not be used (corrupted, from another build), keys not cacheable."""

    hits = 0
    misses = 0
    bad = 0
    uncacheable = 0

    @classmethod
    def reset(cls):
        cls.hits = cls.misses = cls.bad = cls.uncacheable = 0


def program(key, made, install):
    """`made` (a jitted function, or a tuple whose first item is one) with the function replaced
    by a stub that resolves it from the disk cache on its first call and then calls
    `install(resolved made)` so that later calls skip the stub. Unchanged when off or when `key`
    is not cacheable."""
    if directory is None:
        return made
    try:
        parts = []
        _encode(key, parts, _registry())
    except _Uncacheable:
        stats.uncacheable += 1
        return made
    stub = _Stub(made, "\x1f".join(parts), install)
    return (stub,) + made[1:] if type(made) is tuple else stub


class _Stub:
    __slots__ = ("made", "sig", "install", "fn")

    def __init__(self, made, sig, install):
        self.made = made
        self.sig = sig
        self.install = install
        self.fn = None

    def __call__(self, *args):
        fn = self.fn
        if fn is None:
            made = self.made
            jitted = made[0] if type(made) is tuple else made
            fn = self.fn = _resolve(jitted, self.sig, args) or jitted
            self.install((fn,) + made[1:] if type(made) is tuple else fn)
        return fn(*args)


def _resolve(jitted, sig, args):
    """The compiled executable for `jitted` on `args`: loaded from disk, or compiled and stored.
    None where JAX cannot compile ahead of time (the caller then calls `jitted`, which raises
    any genuine error) or the arguments are not plain arrays."""
    if directory is None:
        return None
    leaves, tree = jax.tree_util.tree_flatten(args)
    avals = []
    for x in leaves:
        if type(x) is not np.ndarray and (type(x) is not ArrayImpl or x.weak_type):
            # a weakly typed or non-array argument: jax.jit specializes on what an executable
            # would not check; keep the jitted function
            return None
        avals.append((x.shape, x.dtype.str))
    text = f"{_environment()}\x1e{sig}\x1e{tree}\x1e{avals}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    path = os.path.join(directory, digest + SUFFIX)
    c = _load(path, digest)
    if c is not None:
        stats.hits += 1
        return c
    try:
        c, fresh = _compile(jitted, args)
    except Exception:
        return None
    stats.misses += 1
    if fresh:
        _store(path, digest, c)
    return c


_jax_hits = [0, False]  # hits of JAX's persistent cache seen; listener registered


def _on_jax_event(event, **_):
    if event == "/jax/compilation_cache/cache_hits":
        _jax_hits[0] += 1


def _compile(jitted, args):
    """(executable, whether it was compiled here). An executable that JAX's persistent cache
    answered must not be serialized again: XLA:CPU keeps no object code for a deserialized
    executable, so the copy would fail to run in the next process ("Function ... not found").
    JAX's cache is therefore bypassed for these compiles (this cache replaces it for them), and
    a hit that happens anyway (another JAX, another thread) is counted and not stored."""
    if not _jax_hits[1]:
        jax.monitoring.register_event_listener(_on_jax_event)
        _jax_hits[1] = True
    lowered = jitted.lower(*args)
    seen = _jax_hits[0]
    cc = old = None
    try:
        from jax._src import compilation_cache as cc
        cc.is_cache_used(jax.devices()[0].client)  # settles JAX's once-per-process check
        old = cc._cache_used
        cc._cache_used = False
    except Exception:
        cc = None
    try:
        c = lowered.compile()
    finally:
        if cc is not None:
            cc._cache_used = old
    return c, _jax_hits[0] == seen


def _load(path, digest):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    try:
        head = MAGIC + digest.encode()
        body = data[len(head) + 32:]
        if not data.startswith(head) or data[len(head):len(head) + 32] != _sum(body):
            raise ValueError("damaged entry")
        blob, in_tree, out_tree = pickle.loads(body)
        from jax.experimental.serialize_executable import deserialize_and_load
        c = deserialize_and_load(blob, in_tree, out_tree)
    except Exception:  # truncated, corrupted, or written by another build: compile instead
        stats.bad += 1
        return None
    try:
        os.utime(path)  # used now: eviction goes by modification time
    except OSError:
        pass
    return c


_writable = [True]


def _store(path, digest, compiled):
    if not _writable[0]:
        return
    tmp = None
    try:
        from jax.experimental.serialize_executable import serialize
        body = pickle.dumps(serialize(compiled), protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + digest.encode() + _sum(body) + body)
        os.replace(tmp, path)  # atomic: a reader sees the old entry, none, or this whole one
        tmp = None
        _stored[0] += 1
        if _stored[0] % 64 == 1:  # a process's first entry, then every 64th
            _evict()
    except OSError:
        _writable[0] = False  # read-only or missing: stop paying for serialization
    except Exception:
        pass  # not serializable (e.g. JAX constants): this program is simply not kept
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


_stored = [0]


def _evict():
    """Delete the least recently used entries once they pass MAX_BYTES, down to 3/4 of it."""
    try:
        entries = []
        with os.scandir(directory) as it:
            for e in it:
                if e.name.endswith(SUFFIX) and not e.name.startswith("."):
                    st = e.stat()
                    entries.append((st.st_mtime, st.st_size, e.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if total <= MAX_BYTES:
        return
    for _, size, path in sorted(entries):
        if total <= MAX_BYTES * 3 // 4:
            break
        try:
            os.unlink(path)
            total -= size
        except OSError:
            pass


def _sum(body):
    return hashlib.sha256(body).digest()


# ---- the key ---------------------------------------------------------------------------------

class _Uncacheable(Exception):
    pass


_SCALARS = {bool: "b", int: "i", float: "f", str: "s", complex: "c"}


def _registry():
    from ._ops import _registry  # not at import: the op modules import this one's importers
    return _registry.OpDef, _registry.OPS


def _encode(x, out, reg):
    """Append a stable text form of a program key to `out`; raise _Uncacheable for anything
    whose identity across processes is not its value. `reg`: (OpDef, OPS)."""
    t = type(x)
    tag = _SCALARS.get(t)
    if tag is not None:
        out.append(tag + repr(x))  # repr round-trips floats exactly (and tells -0.0 from 0.0)
    elif t is tuple or t is list:
        out.append("(" if t is tuple else "[")
        for e in x:
            _encode(e, out, reg)
        out.append(")")
    elif x is None:
        out.append("N")
    elif t is reg[0]:
        if reg[1].get(x.name) is not x:  # not the registry's row (autograd.Function, segments)
            raise _Uncacheable
        out.append("o" + x.name)
    elif t is _dtypes.dtype:
        out.append("d" + x.name)
    elif t is np.dtype:
        out.append("n" + x.str)
    elif t is slice:
        out.append("S")
        _encode((x.start, x.stop, x.step), out, reg)
    elif x is Ellipsis:
        out.append("E")
    else:
        raise _Uncacheable


_env = []


def _environment():
    """Everything besides the key a compiled program depends on, as text (computed once)."""
    if not _env:
        import jaxlib

        dev = jax.devices()[0]
        flags = ""
        try:
            with open("/proc/cpuinfo") as f:  # XLA:CPU compiles for the host's instruction set
                for line in f:
                    if line.startswith(("flags", "Features")):
                        flags = hashlib.sha256(line.encode()).hexdigest()
                        break
        except OSError:
            pass
        import platform
        cfg = jax.config
        _env.append("|".join(map(str, (
            jax.__version__, jaxlib.__version__, np.__version__, sys.version_info[:3],
            platform.machine(), dev.platform, dev.client.platform_version, dev.device_kind,
            jax.device_count(), flags, cfg.jax_enable_x64, cfg.jax_default_matmul_precision,
            cfg.jax_numpy_dtype_promotion, cfg.jax_default_prng_impl,
            os.environ.get("XLA_FLAGS", ""), _source_fingerprint()))))
    return _env[0]


def _source_fingerprint(root=os.path.dirname(os.path.abspath(__file__))):
    """torchish's .py files by relative path, size and modification time: editing any of them
    (or installing another version) changes every key."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                p = os.path.join(d, name)
                st = os.stat(p)
                h.update(f"{os.path.relpath(p, root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
