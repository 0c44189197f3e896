"""torch.optim.Adam (and the row AdamW shares): one recorded row per group update."""

import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import Optimizer, check, group_op, lerp, lr_check, step_state, zeros_state

__all__ = ["Adam"]


def _adam(p, g, st, h, f):
    """t += 1; m <- lerp(m, g, 1-b1); v <- b2*v + (1-b2)*g^2; vmax <- max(vmax, v) (amsgrad);
    p <- p - lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
    Weight decay: g += wd*p, or p *= 1 - lr*wd when decoupled (AdamW)."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = step_state(st, f)
    lr, b1, b2 = h["lr"], h["beta1"], h["beta2"]
    if f["wd"]:
        if f["decoupled"]:
            p = p * (1 - lr * h["weight_decay"]).astype(dt)
        else:
            g = g + h["weight_decay"].astype(dt) * p
    m = lerp(zeros_state(st, "exp_avg", p), g, 1 - b1)
    v = zeros_state(st, "exp_avg_sq", p) * b2.astype(dt) + (1 - b2).astype(dt) * (g * g)
    t = step.astype(jnp.float64)
    bc1 = 1 - b1 ** t
    bc2_sqrt = jnp.sqrt(1 - b2 ** t)
    out = {"step": step, "exp_avg": m, "exp_avg_sq": v}
    if f["amsgrad"]:
        vmax = jnp.maximum(zeros_state(st, "max_exp_avg_sq", p), v)
        out["max_exp_avg_sq"] = vmax
        v = vmax
    denom = jnp.sqrt(v) / bc2_sqrt.astype(dt) + h["eps"].astype(dt)
    return p + (-(lr / bc1)).astype(dt) * (m / denom), out


row = group_op("_optim_adam", _adam)


def beta_checks(betas):
    check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")


class Adam(Optimizer):
    """Adam (Kingma & Ba); `decoupled_weight_decay=True` is AdamW."""

    _group_defaults = (("amsgrad", False), ("maximize", False), ("foreach", None),
                       ("capturable", False), ("differentiable", False),
                       ("decoupled_weight_decay", False), ("fused", None))

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        lr_check(lr)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        beta_checks(betas)
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        check((isinstance(betas[0], float) and isinstance(betas[1], float))
              or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)),
              "betas must be either both floats or both Tensors")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            keys = ("step", "exp_avg", "exp_avg_sq")
            if g["amsgrad"]:
                keys += ("max_exp_avg_sq",)
            b1, b2 = g["betas"]
            self._update(row, g, keys,
                         (("lr", g["lr"]), ("beta1", b1), ("beta2", b2), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0),
                          ("decoupled", g["decoupled_weight_decay"]),
                          ("amsgrad", g["amsgrad"])))
        return loss
