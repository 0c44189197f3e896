"""torch.return_types: the named tuples that max(dim), sort, topk, ... return, with torch's repr."""

import collections

_FIELDS = {
    "max": ("values", "indices"), "min": ("values", "indices"), "sort": ("values", "indices"),
    "topk": ("values", "indices"), "kthvalue": ("values", "indices"),
    "median": ("values", "indices"), "mode": ("values", "indices"),
    "cummax": ("values", "indices"), "cummin": ("values", "indices"),
    "aminmax": ("min", "max"), "var_mean": ("0", "1"), "std_mean": ("0", "1"),
    "slogdet": ("sign", "logabsdet"), "qr": ("Q", "R"), "svd": ("U", "S", "V"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
}
_classes = {}


def _repr(self):
    body = ",\n".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
    return f"torch.return_types.{type(self).__name__}(\n{body})"


def return_type(name, values):
    cls = _classes.get(name)
    if cls is None:
        cls = collections.namedtuple(name, _FIELDS[name])
        cls.__repr__ = _repr
        cls.__module__ = "torch.return_types"
        _classes[name] = cls
    return cls(*values)


def __getattr__(name):
    if name in _FIELDS:
        return_type(name, [None] * len(_FIELDS[name]))
        return _classes[name]
    raise AttributeError(name)
