"""Random factories and in-place random fills over the torch-exact host streams (`_rng`).

Values are drawn on the host in torch's order and enter programs as concrete inputs, so a training
loop with fresh random tensors each step keeps one compiled program.
"""

import numbers

from .. import _dtypes, _rng
from .._dispatch import check_inplace, inplace
from .._tensor import Tensor
from .factory import _dt, _shape, leaf
from ._surface import function, method


def _gen(generator):
    return generator._gen if generator is not None else _rng.default_generator


def _name(dt):
    return dt.name


@function("rand")
def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    dt = _dt(dtype)
    return leaf(_rng.uniform(_gen(generator), _shape(size), _name(dt)), dt, requires_grad)


@function("randn")
def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    dt = _dt(dtype)
    return leaf(_rng.normal(_gen(generator), _shape(size), _name(dt)), dt, requires_grad)


@function("randint")
def randint(low, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    if size is None:
        low, high, size = 0, low, high
    dt = _dt(dtype, _dtypes.int64)
    return leaf(_rng.randint(_gen(generator), low, high, _shape((tuple(size),)), _name(dt)), dt,
                requires_grad)


@function("randperm")
def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    dt = _dt(dtype, _dtypes.int64)
    return leaf(_rng.randperm(_gen(generator), n, _name(dt)), dt, requires_grad)


def _like(fn):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None, generator=None):
        return fn(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                  generator=generator)
    return like


rand_like = function("rand_like")(_like(rand))
randn_like = function("randn_like")(_like(randn))


@function("randint_like")
def randint_like(input, low=0, high=None, *, dtype=None, generator=None, **kw):
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, generator=generator)


@function("normal")
def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False):
    g = _gen(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        import numpy as np
        m = np.asarray(mean._array()) if isinstance(mean, Tensor) else mean
        s = np.asarray(std._array()) if isinstance(std, Tensor) else std
        ref = mean if isinstance(mean, Tensor) else std
        return leaf(_rng.normal(g, None, None, m, s), ref.dtype, requires_grad)
    dt = _dt(dtype)
    return leaf(_rng.normal(g, _shape((tuple(size),)), _name(dt), mean, std), dt, requires_grad)


@function("bernoulli")
def bernoulli(input, p=None, *, generator=None, out=None):
    import numpy as np
    probs = np.asarray(input._array()) if p is None else p
    return leaf(_rng.bernoulli(_gen(generator), probs, input.shape, _name(input.dtype)),
                input.dtype)


@function("multinomial")
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    import numpy as np
    res = _rng.multinomial(_gen(generator), np.asarray(input._array()), num_samples, replacement)
    return leaf(res, _dtypes.int64)


# ---- in-place fills --------------------------------------------------------------------------

def _fill_with(self, arr):
    check_inplace(self)
    return inplace(self, leaf(arr, self.dtype))


@method("uniform_")
def uniform_(self, a=0.0, b=1.0, *, generator=None):
    return _fill_with(self, _rng.uniform(_gen(generator), self.shape, _name(self.dtype), a, b))


@method("normal_")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    return _fill_with(self, _rng.normal(_gen(generator), self.shape, _name(self.dtype), mean,
                                        std))


@method("random_")
def random_(self, from_=0, to=None, *, generator=None):
    if to is None and not isinstance(from_, numbers.Number):
        from_ = 0
    return _fill_with(self, _rng.random_(_gen(generator), self.shape, _name(self.dtype),
                                         from_ if to is not None else None, to))


@method("bernoulli_")
def bernoulli_(self, p=0.5, *, generator=None):
    import numpy as np
    probs = np.asarray(p._array()) if isinstance(p, Tensor) else p
    return _fill_with(self, _rng.bernoulli(_gen(generator), probs, self.shape,
                                           _name(self.dtype)))


@method("exponential_")
def exponential_(self, lambd=1.0, *, generator=None):
    return _fill_with(self, _rng.exponential(_gen(generator), self.shape, _name(self.dtype),
                                             lambd))


@method("log_normal_")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return _fill_with(self, _rng.log_normal(_gen(generator), self.shape, _name(self.dtype), mean,
                                            std))


@method("geometric_")
def geometric_(self, p, *, generator=None):
    return _fill_with(self, _rng.geometric(_gen(generator), self.shape, _name(self.dtype), p))


@method("cauchy_")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    return _fill_with(self, _rng.cauchy(_gen(generator), self.shape, _name(self.dtype), median,
                                        sigma))
