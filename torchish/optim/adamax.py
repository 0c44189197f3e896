"""torch.optim.Adamax: one recorded row per group update."""

import jax.numpy as jnp

from .adam import beta_checks
from .optimizer import Optimizer, check, group_op, lerp, lr_check, step_state, zeros_state

__all__ = ["Adamax"]


def _adamax(p, g, st, h, f):
    """m <- lerp(m, g, 1-b1); u <- max(b2*u, |g| + eps); p <- p - lr/(1-b1^t) * m/u."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = step_state(st, f)
    if f["wd"]:
        g = g + h["weight_decay"].astype(dt) * p
    b1 = h["beta1"]
    m = lerp(zeros_state(st, "exp_avg", p), g, 1 - b1)
    u = jnp.maximum(zeros_state(st, "exp_inf", p) * h["beta2"].astype(dt),
                    jnp.abs(g) + h["eps"].astype(dt))
    clr = h["lr"] / (1 - b1 ** step.astype(jnp.float64))
    return p + (-clr).astype(dt) * m / u, {"step": step, "exp_avg": m, "exp_inf": u}


_row = group_op("_optim_adamax", _adamax)


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm (Kingma & Ba)."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("capturable", False))

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        lr_check(lr)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        beta_checks(betas)
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            b1, b2 = g["betas"]
            self._update(_row, g, ("step", "exp_avg", "exp_inf"),
                         (("lr", g["lr"]), ("beta1", b1), ("beta2", b2), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0)))
        return loss
