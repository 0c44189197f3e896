"""torch.utils.data.DataLoader: batching, shuffling and collation over a dataset, in the main
process (num_workers=0) or in worker processes.

As in torch, creating an iterator draws a base seed from the loader's generator (or the default
one) and a shuffling RandomSampler seeds a fresh generator from the default stream, so seeded runs
see torch's sample order and leave the default generator in torch's state. Batches of a
TensorDataset under default_collate are gathered on the host in one step (the values of torch's
stack of `t[i]`) and arrive as data, so a training step never compiles or runs a program for them.
"""

import itertools
import math
import multiprocessing
import os
import queue
import random
import sys
import traceback
import warnings

from . import _collate
from .dataset import IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert", "WorkerInfo"]

default_collate = _collate.default_collate
default_convert = _collate.default_convert
_MAP, _ITERABLE = 0, 1


def _t():
    import torchish
    return torchish


class WorkerInfo:
    """What `get_worker_info()` returns inside a worker: id, num_workers, seed, dataset."""

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __repr__(self):
        items = ", ".join(f"{k}={v}" for k, v in self.__dict__.items())
        return f"{self.__class__.__name__}({items})"


_worker_info = None


def get_worker_info():
    """The current worker's WorkerInfo, or None in the main process."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    def __iter__(self):
        while True:
            yield None


def _host_gather(dataset, k, index):
    """`tensors[k][index]` as a new concrete tensor, gathered on the host: the values torch's
    stack of `t[i]` gives, as data rather than a pending op (checks on it cost no program). The
    host copy lives on the dataset and is refreshed when the tensor changes."""
    import numpy as np
    from ..._ops.factory import leaf
    t = dataset.tensors[k]
    cache = dataset.__dict__.setdefault("_host_copies", {})
    hit = cache.get(k)
    if hit is None or hit[0] is not t._v:
        hit = cache[k] = (t._v, np.asarray(t._array()))
    return leaf(hit[1][np.asarray(index, np.int64)], t.dtype)


def _fetch(kind, dataset, auto, collate_fn, drop_last, it, index):
    """One batch (or sample): torch's map-style and iterable fetchers."""
    if kind == _ITERABLE:
        if auto:
            data = list(itertools.islice(it, len(index)))
            if not data or (drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(it)
        return collate_fn(data)
    if auto:
        if type(dataset) is TensorDataset and collate_fn is default_collate and not any(
                t.requires_grad for t in dataset.tensors):
            return [_host_gather(dataset, k, index) for k in range(len(dataset.tensors))]
        getitems = getattr(dataset, "__getitems__", None)
        data = getitems(index) if getitems else [dataset[i] for i in index]
    else:
        data = dataset[index]
    return collate_fn(data)


class DataLoader:
    """Iterates over `dataset` in batches; see torch.utils.data.DataLoader for the options."""

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _ITERABLE
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _MAP
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            if self._dataset_kind == _ITERABLE:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        _check_worker_number(num_workers)

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler",
                                           "drop_last", "dataset", "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        _check_worker_number(self.num_workers)
        return _MultiProcessIter(self)

    def __len__(self):
        if self._dataset_kind == _ITERABLE:
            n = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
            return n
        return len(self._index_sampler)


class _BaseIter:
    def __init__(self, loader):
        torch = _t()
        self._dataset = loader.dataset
        self._kind = loader._dataset_kind
        self._len_called = loader._IterableDataset_len_called
        self._auto = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._collate_fn = loader.collate_fn
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = torch.empty((), dtype=torch.int64).random_(
            generator=loader.generator).item()
        self._num_yielded = 0

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._index_sampler)

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if (self._kind == _ITERABLE and self._len_called is not None
                and self._num_yielded > self._len_called):
            msg = (f"Length of IterableDataset {self._dataset} was reported to be "
                   f"{self._len_called}(when accessing len(dataloader)), but {self._num_yielded} "
                   "samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly "
                        "configuring the IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data."
                        "IterableDataset for examples.")
            warnings.warn(msg, stacklevel=2)
        return data


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._it = iter(self._dataset) if self._kind == _ITERABLE else None

    def _next_data(self):
        index = next(self._sampler_iter)
        return _fetch(self._kind, self._dataset, self._auto, self._collate_fn, self._drop_last,
                      self._it, index)


# ---- worker processes ------------------------------------------------------------------------

class _WorkerStop:
    def __init__(self, worker_id):
        self.worker_id = worker_id


class _WorkerError:
    """An exception raised in a worker, re-raised in the main process with its traceback."""

    def __init__(self, where):
        exc_type, exc, _ = sys.exc_info()
        self.exc_type = exc_type
        self.msg = f"Caught {exc_type.__name__} {where}.\nOriginal " + "".join(
            traceback.format_exception(*sys.exc_info()))

    def reraise(self):
        try:
            err = self.exc_type(self.msg)
        except Exception:  # noqa: BLE001 - exception types with other signatures
            err = RuntimeError(self.msg)
        raise err


def _numpy_seed(base_seed, worker_id):
    """torch's 128-bit numpy seed for a worker: a SeedSequence-style hash of (id, base seed)."""
    mask = 0xFFFFFFFF
    consts = {"a": 0x43B0D7E5}

    def hash_a(v):
        v = (v ^ consts["a"]) & mask
        consts["a"] = (consts["a"] * 0x931E8875) & mask
        v = (v * consts["a"]) & mask
        return (v ^ (v >> 16)) & mask

    def mix(x, y):
        r = ((0xCA01F9DD * x) - (0x4973F715 * y)) & mask
        return (r ^ (r >> 16)) & mask
    pool = [hash_a(e) for e in (worker_id, base_seed & mask, base_seed >> 32, 0)]
    for s in range(4):
        for d in range(4):
            if s != d:
                pool[d] = mix(pool[d], hash_a(pool[s]))
    out, b = [], 0x8B51F9DD
    for v in pool:
        v = (v ^ b) & mask
        b = (b * 0x58F38DED) & mask
        v = (v * b) & mask
        out.append((v ^ (v >> 16)) & mask)
    return out


def _worker_loop(kind, dataset, index_q, result_q, auto, collate_fn, drop_last, base_seed,
                 init_fn, worker_id, num_workers):
    """A worker: seed as torch does, then fetch (idx, index) tasks until it gets None."""
    global _worker_info
    import numpy as np
    torch = _t()
    seed = base_seed + worker_id
    random.seed(seed)
    torch.manual_seed(seed)
    np.random.seed(_numpy_seed(base_seed, worker_id))
    _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
    init_error, it = None, None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        it = iter(dataset) if kind == _ITERABLE else None
    except Exception:  # noqa: BLE001 - reported to the main process
        init_error = _WorkerError(f"in DataLoader worker process {worker_id}")
    ended = False
    while True:
        r = index_q.get()
        if r is None:
            break
        if ended:
            continue
        idx, index = r
        if init_error is not None:
            data, init_error = init_error, None
        else:
            try:
                data = _fetch(kind, dataset, auto, collate_fn, drop_last, it, index)
            except StopIteration:
                data, ended = _WorkerStop(worker_id), True
            except Exception:  # noqa: BLE001
                data = _WorkerError(f"in DataLoader worker process {worker_id}")
        result_q.put((idx, data))


def _context(ctx):
    """Workers start by forkserver (torchish preloaded) or spawn, never fork: a forked child of a
    process running XLA deadlocks. So, as with torch on macOS and Windows, the main module must
    be import-safe (`if __name__ == "__main__":`)."""
    if isinstance(ctx, str):
        ctx = multiprocessing.get_context(ctx)
    if ctx is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["torchish"])
        else:
            ctx = multiprocessing.get_context("spawn")
    if ctx.get_start_method() == "fork":
        raise RuntimeError("torchish DataLoader workers cannot use the 'fork' start method: XLA "
                           "is multithreaded and a forked worker would deadlock. Use 'forkserver' "
                           "or 'spawn' (the default) and guard the main module with "
                           "`if __name__ == '__main__':`.")
    return ctx


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def _check_worker_number(n):
    suggest = _cpu_count()
    if not n or (suggest is not None and n <= suggest):
        return
    cpuset = "" if hasattr(os, "sched_getaffinity") else " (`cpuset` is not taken into account)"
    part = (f"Our suggested max number of worker in current system is {suggest}{cpuset}, which "
            "is smaller than what this DataLoader is going to create." if suggest is not None
            else "DataLoader is not able to compute a suggested max number of worker in current "
            "system.")
    warnings.warn(f"This DataLoader will create {n} worker processes in total. {part} Please be "
                  "aware that excessive worker creation might get DataLoader running slow or even "
                  "freeze, lower the worker number to avoid potential slowness/freeze if "
                  "necessary.", stacklevel=3)


class _MultiProcessIter(_BaseIter):
    """Round-robin tasks to worker processes, results reordered to the sampler's order."""

    def __init__(self, loader):
        super().__init__(loader)
        ctx = _context(loader.multiprocessing_context)
        self._timeout = loader.timeout or None
        self._result_q = ctx.Queue()
        self._index_qs, self._workers = [], []
        for i in range(self._num_workers):
            q = ctx.Queue()
            w = ctx.Process(target=_worker_loop, daemon=True, args=(
                self._kind, self._dataset, q, self._result_q, self._auto, self._collate_fn,
                self._drop_last, self._base_seed, loader.worker_init_fn, i, self._num_workers))
            w.start()
            self._index_qs.append(q)
            self._workers.append(w)
        self._active = [True] * self._num_workers
        self._next_worker = itertools.cycle(range(self._num_workers))
        self._send_idx = self._rcvd_idx = 0
        self._tasks, self._buffer = {}, {}
        self._shut = False
        for _ in range(loader.prefetch_factor * self._num_workers):
            self._put_index()

    def _put_index(self):
        if not any(self._active):
            return
        try:
            index = next(self._sampler_iter)
        except StopIteration:
            return
        for _ in range(self._num_workers):
            w = next(self._next_worker)
            if self._active[w]:
                break
        self._index_qs[w].put((self._send_idx, index))
        self._tasks[self._send_idx] = w
        self._send_idx += 1

    def _get(self):
        while True:
            try:
                return self._result_q.get(timeout=self._timeout or 5.0)
            except queue.Empty:
                if self._timeout:
                    raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
                dead = [w.pid for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown()
                    raise RuntimeError(f"DataLoader worker (pid(s) "
                                       f"{', '.join(map(str, dead))}) exited unexpectedly")

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx and self._rcvd_idx not in self._tasks:
                self._rcvd_idx += 1  # a task an exhausted iterable worker dropped
            if self._rcvd_idx in self._buffer:
                data = self._buffer.pop(self._rcvd_idx)
                self._tasks.pop(self._rcvd_idx, None)
                self._rcvd_idx += 1
                self._put_index()
                if isinstance(data, _WorkerError):
                    self._shutdown()
                    data.reraise()
                return data
            if not self._tasks:
                self._shutdown()
                raise StopIteration
            idx, data = self._get()
            if isinstance(data, _WorkerStop):
                self._active[data.worker_id] = False
                self._tasks.pop(idx, None)
                for k in [k for k, w in self._tasks.items() if w == data.worker_id
                          and k not in self._buffer]:
                    self._tasks.pop(k)
                continue
            self._buffer[idx] = data

    def _shutdown(self):
        if self._shut:
            return
        self._shut = True
        for q in self._index_qs:
            q.put(None)
        for w in self._workers:
            w.join(timeout=5)
            if w.is_alive():
                w.terminate()

    def __del__(self):
        try:
            self._shutdown()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
