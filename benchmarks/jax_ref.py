"""The same math hand-written in JAX: one jitted step per workload (the limit torchish chases)."""

import math

import jax
import jax.numpy as jnp


def seed():
    x = jnp.ones(5, jnp.float32)
    y = jnp.zeros(3, jnp.float32)
    w = jnp.linspace(-1, 1, 15, dtype=jnp.float32).reshape(5, 3)
    b = jnp.linspace(-0.5, 0.5, 3, dtype=jnp.float32)

    def loss_fn(w, b):
        z = x @ w + b
        return jnp.mean((1 - y) * z + jnp.log1p(jnp.exp(-jnp.abs(z))) + jnp.maximum(-z, 0))
    f = jax.jit(jax.value_and_grad(loss_fn, argnums=(0, 1)))

    def step():
        return f(w, b)[0]
    return step


def polyfit():
    x = jnp.linspace(-math.pi, math.pi, 2000, dtype=jnp.float32)
    y = jnp.sin(x)
    params = [jnp.asarray(v, jnp.float32) for v in (0.1, -0.2, 0.05, 0.01)]

    def loss_fn(p):
        a, b, c, d = p
        return jnp.sum((a + b * x + c * x ** 2 + d * x ** 3 - y) ** 2)

    @jax.jit
    def fused(p):
        loss, g = jax.value_and_grad(loss_fn)(p)
        return loss, [pi - 1e-6 * gi for pi, gi in zip(p, g)]

    def step():
        loss, new = fused(params)
        params[:] = new
        return loss
    return step


WORKLOADS = {"seed": seed, "polyfit": polyfit}
