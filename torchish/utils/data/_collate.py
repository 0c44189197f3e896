"""default_collate / default_convert with torch's rules: tensors are stacked, Python floats become
float64 tensors and ints int64 tensors, numpy arrays and scalars become tensors, strings stay
lists, and mappings, named tuples and sequences are collated field by field."""

import collections
import copy
import re

import numpy as np

__all__ = ["default_collate", "default_convert", "collate", "default_collate_fn_map",
           "default_collate_err_msg_format"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")
default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}")


def _t():
    import torchish
    return torchish


def default_convert(data):
    """Numpy arrays and scalars to tensors, recursively through containers (no batching)."""
    torch = _t()
    et = type(data)
    if isinstance(data, torch.Tensor):
        return data
    if et.__module__ == "numpy" and et.__name__ not in ("str_", "string_"):
        if et.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str):
            return data
        return torch.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({k: default_convert(data[k]) for k in data})
                return clone
            return et({k: default_convert(data[k]) for k in data})
        except TypeError:
            return {k: default_convert(data[k]) for k in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return et(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return et([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def collate(batch, *, collate_fn_map=None):
    """Collate a list of samples; `collate_fn_map` maps element types to collate functions."""
    elem = batch[0]
    et = type(elem)
    if collate_fn_map is not None:
        if et in collate_fn_map:
            return collate_fn_map[et](batch, collate_fn_map=collate_fn_map)
        for ct in collate_fn_map:
            if isinstance(elem, ct):
                return collate_fn_map[ct](batch, collate_fn_map=collate_fn_map)

    def rec(samples):
        return collate(samples, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({k: rec([d[k] for d in batch]) for k in elem})
                return clone
            return et({k: rec([d[k] for d in batch]) for k in elem})
        except TypeError:
            return {k: rec([d[k] for d in batch]) for k in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return et(*(rec(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        size = len(next(it))
        if not all(len(e) == size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [rec(s) for s in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, s in enumerate(transposed):
                    clone[i] = rec(s)
                return clone
            return et([rec(s) for s in transposed])
        except TypeError:
            return [rec(s) for s in transposed]
    raise TypeError(default_collate_err_msg_format.format(et))


def collate_tensor_fn(batch, *, collate_fn_map=None):
    return _t().stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    if np_str_obj_array_pattern.search(batch[0].dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return collate([_t().as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return _t().as_tensor(np.asarray(batch))


def collate_float_fn(batch, *, collate_fn_map=None):
    torch = _t()
    return torch.tensor(batch, dtype=torch.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return _t().tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch



default_collate_fn_map = {}


def _fill_map():
    if default_collate_fn_map:
        return default_collate_fn_map
    default_collate_fn_map.update({
        _t().Tensor: collate_tensor_fn, np.ndarray: collate_numpy_array_fn,
        (np.bool_, np.number, np.object_): collate_numpy_scalar_fn, float: collate_float_fn,
        int: collate_int_fn, str: collate_str_fn, bytes: collate_str_fn})
    return default_collate_fn_map


def default_collate(batch):
    """Stack a list of samples into a batch with torch's rules (see the module docstring)."""
    return collate(batch, collate_fn_map=_fill_map())
