"""torch-exact CPU random streams on the host (numpy; no JAX, no torch).

A :class:`Generator` reproduces torch 2.13's CPU generator: the MT19937
stream, seeding, the 5056-byte state and the cached normal.  The draw
functions return numpy arrays holding exactly torch's values for the same
generator state (Linux x86-64 AVX2/AVX512 model).  The tensor layer wraps
them; nothing here knows about Tensor.
"""

from ._sampling import (bernoulli, cauchy, dropout_mask, exponential, geometric,
                        log_normal, multinomial)
from .distributions import normal, randint, random_, randperm, uniform
from .generator import (STATE_SIZE, Generator, default_generator, get_rng_state,
                        initial_seed, manual_seed, seed, set_rng_state)

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state", "STATE_SIZE",
    "uniform", "normal", "randint", "randperm", "random_", "bernoulli",
    "exponential", "log_normal", "geometric", "cauchy", "multinomial", "dropout_mask",
]
