"""torch.save / torch.load in PyTorch's own zip checkpoint format, without torch installed.

A checkpoint is an uncompressed zip whose records sit under one folder (the file's stem, or
'archive'): `data.pkl` (a protocol-2 pickle in which each tensor is
`torch._utils._rebuild_tensor_v2(persistent ('storage', torch.<T>Storage, key, 'cpu', numel),
offset, size, stride, requires_grad, OrderedDict())`), the raw little-endian bytes of each
storage in `data/<key>` (64-byte aligned), `byteorder`, `version`, `.format_version`,
`.storage_alignment` and `.data/serialization_id`. Files written here load in real torch and
files written by torch load here. `weights_only=True` (the default, as in torch >= 2.6) resolves
only an allowlist of globals, so a crafted pickle cannot reach code.
"""

import _compat_pickle
import contextlib
import hashlib
import io
import os
import pickle
import re
import struct
import threading
import zlib
from collections import Counter, OrderedDict

import numpy as np

from . import _dtypes
from ._tensor import Size, Tensor, device

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "DEFAULT_PROTOCOL"]

DEFAULT_PROTOCOL = 2
_ALIGN = 64
_STORAGE = {  # torch storage class name <-> dtype name
    "FloatStorage": "float32", "DoubleStorage": "float64", "HalfStorage": "float16",
    "BFloat16Storage": "bfloat16", "LongStorage": "int64", "IntStorage": "int32",
    "ShortStorage": "int16", "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
    "ComplexFloatStorage": "complex64", "ComplexDoubleStorage": "complex128"}
_STORAGE_OF = {v: k for k, v in _STORAGE.items()}

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will "
    "likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source.")
DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
    "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


# ---- writing ---------------------------------------------------------------------------------

class _Global:
    """A `module.name` reference pickled by name (torch's globals, without importing torch)."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle's save_reduce wants a callable
        raise TypeError("a pickling marker")


_REBUILD = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAM = _Global("torch._utils", "_rebuild_parameter")


class _Storage:
    __slots__ = ("key", "dtype", "data")

    def __init__(self, key, dtype, data):
        self.key, self.dtype, self.data = key, dtype, data


class _Plain:
    """A Parameter's data, pickled as a plain tensor inside `_rebuild_parameter`."""

    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t


class _Pickler(pickle._Pickler):
    """Pickles torchish tensors, Parameters, dtypes, Size and device as torch's own objects."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = []

    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", _Global("torch", _STORAGE_OF[obj.dtype.name]), obj.key, "cpu",
                    obj.data.size)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            from .nn.parameter import Parameter
            if isinstance(obj, Parameter):
                return (_REBUILD_PARAM, (_Plain(obj), obj.requires_grad, OrderedDict()))
            return self._tensor(obj)
        if isinstance(obj, Size):
            return (_Global("torch", "Size"), (tuple(obj),))
        if isinstance(obj, device):
            return (_Global("torch", "device"),
                    (obj.type,) if obj.index is None else (obj.type, obj.index))
        return NotImplemented

    def _tensor(self, t):
        """_rebuild_tensor_v2 over a fresh contiguous storage holding `t`'s values."""
        data = np.ascontiguousarray(np.asarray(t.detach()._array())).reshape(-1)
        st = _Storage(str(len(self.storages)), t.dtype, data)
        self.storages.append(st)
        size = tuple(t.shape)
        stride, acc = [], 1
        for n in reversed(size):
            stride.append(acc)
            acc *= n
        return (_REBUILD, (st, 0, size, tuple(reversed(stride)), bool(t.requires_grad),
                           OrderedDict()))

    def _save_global(self, obj):
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    def _save_dtype(self, obj):
        self.write(pickle.GLOBAL + f"torch\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    def _save_plain(self, obj):
        self.save_reduce(*self._tensor(obj.t), obj=obj)

    dispatch[_Global] = _save_global
    dispatch[_dtypes.dtype] = _save_dtype
    dispatch[_Plain] = _save_plain


class _ZipWriter:
    """A minimal stored (uncompressed) zip writer with torch's 64-byte record alignment."""

    def __init__(self, f):
        self.f, self.pos, self.entries = f, 0, []

    def write(self, name, data):
        name_b = name.encode("utf-8")
        pad = (-(self.pos + 30 + len(name_b) + 4)) % _ALIGN
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        crc = zlib.crc32(data) & 0xFFFFFFFF
        if len(data) >= 0xFFFFFFFF or self.pos >= 0xFFFFFFFF:
            raise RuntimeError("torchish.save: checkpoints over 4 GiB (zip64) are not supported")
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(data), len(data),
                           len(name_b), len(extra))
        self.f.write(head + name_b + extra)
        self.f.write(data)
        self.entries.append((name_b, crc, len(data), self.pos))
        self.pos += len(head) + len(name_b) + len(extra) + len(data)

    def close(self):
        start = self.pos
        for name_b, crc, n, off in self.entries:
            rec = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, n, n,
                              len(name_b), 0, 0, 0, 0, 0, off) + name_b
            self.f.write(rec)
            self.pos += len(rec)
        self.f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.entries),
                                 len(self.entries), self.pos - start, start, 0))


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization=True, _disable_byteorder_record=False):
    """Save `obj` to the path or binary file `f` in torch's zip checkpoint format."""
    buf = io.BytesIO()
    p = _Pickler(buf, pickle_protocol)
    p.dump(obj)
    name = "archive"
    if isinstance(f, (str, os.PathLike)):
        name = os.path.splitext(os.path.basename(os.fspath(f)))[0] or "archive"
    out = io.BytesIO()
    z = _ZipWriter(out)
    z.write(f"{name}/data.pkl", buf.getvalue())
    z.write(f"{name}/.format_version", b"1")
    z.write(f"{name}/.storage_alignment", str(_ALIGN).encode())
    if not _disable_byteorder_record:
        z.write(f"{name}/byteorder", b"little")
    for st in p.storages:
        z.write(f"{name}/data/{st.key}", st.data.astype(st.data.dtype.newbyteorder("<"),
                                                        copy=False).tobytes())
    z.write(f"{name}/version", b"3\n")
    # torch writes 40 random digits; a digest of the content keeps saves reproducible
    digest = hashlib.sha256(buf.getvalue() + b"".join(st.data.tobytes() for st in p.storages))
    z.write(f"{name}/.data/serialization_id", str(int(digest.hexdigest(), 16))[:40].encode())
    z.close()
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            fh.write(out.getvalue())
    else:
        f.write(out.getvalue())

# ---- reading ---------------------------------------------------------------------------------

def _dtype(name):
    return getattr(_dtypes, "bool_" if name == "bool" else name)


class StorageType:
    """What `torch.<T>Storage` resolves to when loading: it names the storage's dtype."""

    def __init__(self, name):
        self._dt = _dtype(_STORAGE[name])
        self.__name__ = name

    @property
    def dtype(self):
        return self._dt

    def __repr__(self):
        return f"StorageType(dtype={self._dt})"


class _LoadedStorage:
    """A storage read from the archive: flat host array plus its dtype."""

    __slots__ = ("data", "dtype", "location")

    def __init__(self, data, dt, location):
        self.data, self.dtype, self.location = data, dt, location


def _from_storage(storage, offset, size, stride, requires_grad, dt=None):
    from ._ops.factory import leaf
    dt = dt or storage.dtype
    flat = storage.data if dt is storage.dtype else storage.data.view(dt.np)
    n = 1
    for s in size:
        n *= s
    if n == 0:
        arr = np.zeros(size, flat.dtype)
    else:
        item = flat.dtype.itemsize
        arr = np.lib.stride_tricks.as_strided(flat[offset:], shape=tuple(size),
                                              strides=tuple(s * item for s in stride)).copy()
    return leaf(arr, dt, requires_grad)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    return _from_storage(storage, storage_offset, size, stride, requires_grad)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                       metadata=None):
    return _from_storage(storage, storage_offset, size, stride, requires_grad, dtype)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad, backward_hooks)
    _set_state(p, state)
    return p


def _set_state(obj, state):
    if isinstance(state, tuple):
        state = {**(state[0] or {}), **(state[1] or {})}
    for k, v in (state or {}).items():
        setattr(obj, k, v)
    return obj


def _rebuild_from_type_v2(func, new_type, args, state):
    ret = func(*args)
    if type(ret) is not new_type and isinstance(new_type, type) and issubclass(new_type, Tensor):
        ret = new_type(ret) if new_type is not Tensor else ret
    return _set_state(ret, state)


def _get_layout(name):
    return name


def _allowed_globals():
    """torch's weights_only allowlist, resolved to torchish objects."""
    from .nn.parameter import Parameter
    from codecs import encode
    g = {"collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
         "torch.nn.parameter.Parameter": Parameter, "torch.Size": Size, "torch.Tensor": Tensor,
         "torch.device": device, "torch.serialization._get_layout": _get_layout,
         "_codecs.encode": encode, "builtins.bytearray": bytearray, "builtins.set": set,
         "builtins.complex": complex, "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2}
    for f in (_rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
              _rebuild_parameter_with_state):
        g[f"torch._utils.{f.__name__}"] = f
    for name in _STORAGE:
        g[f"torch.{name}"] = StorageType(name)
    for d in set(_dtypes.ALIASES.values()) | {_dtype(n) for n in _STORAGE.values()}:
        g[f"torch.{d.name}"] = d
    for alias, d in _dtypes.ALIASES.items():
        g[f"torch.{alias}"] = d
    return g


_ALLOWED = None
_user_globals = {}
_tls = threading.local()
_BLOCKED = ("sys", "os", "posix", "nt")


def _allowed():
    global _ALLOWED
    if _ALLOWED is None:
        _ALLOWED = _allowed_globals()
    return _ALLOWED


def _global_name(obj):
    if isinstance(obj, tuple):
        return obj[1]
    return f"{obj.__module__}.{obj.__qualname__}"


def add_safe_globals(safe_globals):
    """Allow these classes/functions (or (obj, 'module.name') pairs) in weights_only loads."""
    for g in safe_globals:
        _user_globals[_global_name(g)] = g[0] if isinstance(g, tuple) else g


def get_safe_globals():
    return list(_user_globals.values())


def clear_safe_globals():
    _user_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals):
    """Context manager: `add_safe_globals` for the duration of a block."""
    saved = dict(_user_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_globals.clear()
        _user_globals.update(saved)


def _unsupported(full):
    if full.startswith("builtins"):
        rest = full[len("builtins"):]
        full = rest[1:] if rest.startswith(".") else "builtins" + rest
    return pickle.UnpicklingError(
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{full}])` or the "
        f"`torch.serialization.safe_globals([{full}])` context manager to allowlist this global "
        "if you trust this class/function.")


def _wo_message(message):
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two "
                "options, \033[1mdo those steps only if you trust the source of the "
                f"checkpoint\033[0m. \n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with "
                "`weights_only=True` please check the recommended steps in the following error "
                "message.\n\tWeightsUnpickler error: " + message + DOCS_MESSAGE)
    out = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        out += ("Please file an issue with the following so that we can make `weights_only=True` "
                "compatible with your use case: WeightsUnpickler error: ")
    return out + "\n\n" + message + DOCS_MESSAGE


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, archive, prefix, restore, weights_only, **kw):
        super().__init__(file, **kw)
        self.archive, self.prefix, self.restore = archive, prefix, restore
        self.weights_only = weights_only
        self.loaded = {}

    def find_class(self, module, name):
        if (module, name) in _compat_pickle.NAME_MAPPING:  # protocol 2 writes Python 2 names
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        g = _allowed().get(full)
        if g is None:
            g = _user_globals.get(full)
        if g is not None:
            return g
        if self.weights_only:
            if module in _BLOCKED:
                raise pickle.UnpicklingError(f"Trying to load unsupported GLOBAL {full} whose "
                                             f"module {module} is blocked.")
            raise _unsupported(full)
        if module == "torch" or module.startswith("torch."):  # torch's classes -> torchish's
            import importlib
            mod = importlib.import_module("torchish" + module[len("torch"):])
            return getattr(mod, name)
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        _, stype, key, location, numel = pid[:5]
        st = self.loaded.get(key)
        if st is None:
            dt = stype.dtype if isinstance(stype, StorageType) else _dtypes.uint8
            raw = self.archive.read(f"{self.prefix}data/{key}")
            st = _LoadedStorage(np.frombuffer(raw, dt.np.newbyteorder("<")).astype(dt.np),
                                dt, location)
            st = self.restore(st, location)
            self.loaded[key] = st
        return st


def _restore(map_location):
    """torch's map_location forms: None, str, device, dict or callable(storage, location)."""
    def check(st, location):
        loc = str(location)
        if loc.startswith("cuda"):
            raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                               "torch.cuda.is_available() is False. If you are running on a "
                               "CPU-only machine, please use torch.load with "
                               "map_location=torch.device('cpu') to map your storages to the CPU.")
        if loc not in ("cpu", "meta") and not loc.startswith("cpu:"):
            raise RuntimeError(f"don't know how to restore data location of torch.storage."
                               f"UntypedStorage (tagged with {loc})")
        st.location = loc
        return st

    def restore(st, location):
        m = map_location
        if m is None:
            return check(st, location)
        if isinstance(m, (str, bytes, device)):
            return check(st, m.decode() if isinstance(m, bytes) else str(m))
        if isinstance(m, dict):
            return check(st, m.get(location, location))
        r = m(st, location)
        return r if isinstance(r, _LoadedStorage) else check(st, location)
    return restore


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load an object saved by torch.save (real torch or torchish) from a path or binary file."""
    import warnings
    import zipfile
    not_set = weights_only is None
    if not_set:
        weights_only = pickle_module is None
    truthy = ("1", "y", "yes", "true")
    force_wo = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_no = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force_wo and force_no:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or "
                           "`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` should be set, but both were set.")
    if force_wo:
        weights_only = True
    elif force_no and not_set:
        weights_only = False
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.")
    pickle_load_args.setdefault("encoding", "utf-8")
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            raw = fh.read()
    else:
        raw = f.read()
    buf = io.BytesIO(raw)
    if not zipfile.is_zipfile(buf):
        raise RuntimeError("torchish.load: only torch's zip checkpoint format (torch.save since "
                           "PyTorch 1.6) is supported, not the legacy format")
    with zipfile.ZipFile(buf) as zf:
        names = [n for n in zf.namelist() if n.endswith("data.pkl")]
        if not names:
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        prefix = names[0][:-len("data.pkl")]
        up = _Unpickler(io.BytesIO(zf.read(names[0])), zf, prefix, _restore(map_location),
                        weights_only, **pickle_load_args)
        if not weights_only:
            return up.load()
        try:
            return up.load()
        except pickle.UnpicklingError as e:
            raise pickle.UnpicklingError(_wo_message(str(e))) from None
