"""The same math hand-written in JAX: one jitted step per workload (the limit torchish chases).

mlp/cnn/gpt start from the same initial parameters and batch as the torch-API workloads (built by
`workloads.*_setup(torchish)`, whose seeded init matches torch's), so the losses agree step by step.
The step is one jitted call: loss, gradients and the optimizer update, parameters donated.
"""

import math

import jax
import jax.numpy as jnp
import workloads


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


def _from_setup(setup):
    import torchish
    model, batch = setup(torchish)
    params = {k: jnp.asarray(v.detach().numpy()) for k, v in model.named_parameters()}
    return params, [jnp.asarray(t.numpy()) for t in batch]


def _linear(x, p, name, bias=True):
    y = x @ p[name + ".weight"].T
    return y + p[name + ".bias"] if bias else y


def _cross_entropy(logits, y):
    logp = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=-1))


def _sgd_step(loss_fn, params, batch, lr=0.01):
    def fused(p, x, y):
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        return loss, jax.tree.map(lambda a, b: a - lr * b, p, g)
    fused = jax.jit(fused, donate_argnums=0)
    state = [params]

    def step():
        loss, state[0] = fused(state[0], *batch)
        return loss
    return step


def mlp():
    params, batch = _from_setup(workloads.mlp_setup)

    def loss_fn(p, x, y):
        h = x.reshape(x.shape[0], -1)
        h = jax.nn.relu(_linear(h, p, "1"))
        h = jax.nn.relu(_linear(h, p, "3"))
        return _cross_entropy(_linear(h, p, "5"), y)
    return _sgd_step(loss_fn, params, batch)


def _conv(x, p, name):
    y = jax.lax.conv_general_dilated(x, p[name + ".weight"], (1, 1), "VALID",
                                     dimension_numbers=("NCHW", "OIHW", "NCHW"))
    return y + p[name + ".bias"][None, :, None, None]


def _max_pool2(x):
    # 2x2/2 pooling as a reshape + max: its gradient is a mask (XLA:CPU's select_and_scatter,
    # the gradient of reduce_window, is ~15x slower). Ties split the gradient; the inputs are
    # random floats, so this is the same math as torch's first-max rule.
    n, c, h, w = x.shape
    x = x[:, :, :h // 2 * 2, :w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2)
    return x.max(axis=(3, 5))


def cnn():
    params, batch = _from_setup(workloads.cnn_setup)

    def loss_fn(p, x, y):
        h = _max_pool2(jax.nn.relu(_conv(x, p, "0")))  # (B, 32, 13, 13)
        h = _max_pool2(jax.nn.relu(_conv(h, p, "3")))  # (B, 64, 5, 5)
        h = jax.nn.relu(_linear(h.reshape(h.shape[0], -1), p, "7"))
        return _cross_entropy(_linear(h, p, "9"), y)
    return _sgd_step(loss_fn, params, batch)


def _layer_norm(x, p, name, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / jnp.sqrt(var + eps) * p[name + ".weight"] + p[name + ".bias"]


def gpt():
    c = workloads.GPT_CONFIG
    params, (idx, targets) = _from_setup(workloads.gpt_setup)
    nh, T = c["n_head"], c["block"]
    mask = jnp.tril(jnp.ones((T, T), bool))

    def attention(x, p, pre):
        B, T, C = x.shape
        q, k, v = jnp.split(_linear(x, p, pre + "c_attn"), 3, axis=2)
        q, k, v = (a.reshape(B, T, nh, C // nh).transpose(0, 2, 1, 3) for a in (q, k, v))
        att = (q @ k.transpose(0, 1, 3, 2)) * (1.0 / math.sqrt(C // nh))  # (B, nh, T, T)
        att = jax.nn.softmax(jnp.where(mask, att, -jnp.inf), axis=-1)
        y = (att @ v).transpose(0, 2, 1, 3).reshape(B, T, C)
        return _linear(y, p, pre + "c_proj")

    def loss_fn(p, idx, targets):
        x = p["wte.weight"][idx] + p["wpe.weight"][jnp.arange(idx.shape[1])]
        for i in range(c["n_layer"]):
            pre = f"h.{i}."
            x = x + attention(_layer_norm(x, p, pre + "ln_1"), p, pre + "attn.")
            h = jax.nn.gelu(_linear(_layer_norm(x, p, pre + "ln_2"), p, pre + "mlp.0"),
                            approximate=False)
            x = x + _linear(h, p, pre + "mlp.2")
        logits = _linear(_layer_norm(x, p, "ln_f"), p, "lm_head", bias=False)
        return _cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))

    lr, b1, b2, eps, wd = 1e-3, 0.9, 0.999, 1e-8, 0.01

    def adamw(p, g, m, v, t):  # torch.optim.AdamW's single-tensor update
        p = p * (1 - lr * wd)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        denom = jnp.sqrt(v) / jnp.sqrt(1 - b2 ** t) + eps
        return p - (lr / (1 - b1 ** t)) * m / denom, m, v

    def fused(p, m, v, t, idx, targets):
        loss, g = jax.value_and_grad(loss_fn)(p, idx, targets)
        t = t + 1
        new = {k: adamw(p[k], g[k], m[k], v[k], t) for k in p}
        return (loss, {k: a[0] for k, a in new.items()}, {k: a[1] for k, a in new.items()},
                {k: a[2] for k, a in new.items()}, t)
    fused = jax.jit(fused, donate_argnums=(0, 1, 2))
    zeros = {k: jnp.zeros_like(a) for k, a in params.items()}
    state = [params, zeros, jax.tree.map(jnp.copy, zeros), jnp.zeros((), jnp.float32)]

    def step():
        loss, *state[:] = fused(*state, idx, targets)
        return loss
    return step


WORKLOADS = {"seed": seed, "polyfit": polyfit, "mlp": mlp, "cnn": cnn, "gpt": gpt}
