"""torch.optim.RAdam: one recorded row per group update."""

import jax.numpy as jnp

from .adam import beta_checks
from .optimizer import Optimizer, check, group_op, lerp, lr_check, step_state, zeros_state

__all__ = ["RAdam"]


def _radam(p, g, st, h, f):
    """m, v as Adam; rho_inf = 2/(1-b2) - 1; rho_t = rho_inf - 2t*b2^t/(1-b2^t);
    rho_t > 5: p <- p - lr * m/(1-b1^t) * sqrt(1-b2^t)/(sqrt(v)+eps) * r_t with
    r_t = sqrt((rho_t-4)(rho_t-2)rho_inf / ((rho_inf-4)(rho_inf-2)rho_t)); else p <- p - lr*m/(1-b1^t)."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = step_state(st, f)
    t = step.astype(jnp.float64)
    lr, b1, b2 = h["lr"], h["beta1"], h["beta2"]
    if f["wd"]:
        if f["decoupled"]:
            p = p * (1 - lr * h["weight_decay"]).astype(dt)
        else:
            g = g + h["weight_decay"].astype(dt) * p
    m = lerp(zeros_state(st, "exp_avg", p), g, 1 - b1)
    v = zeros_state(st, "exp_avg_sq", p) * b2.astype(dt) + (1 - b2).astype(dt) * (g * g)
    bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
    corrected = m / bc1.astype(dt)
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * (b2 ** t) / bc2
    rect = jnp.sqrt(jnp.abs((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)))
    adaptive = jnp.sqrt(bc2).astype(dt) / (jnp.sqrt(v) + h["eps"].astype(dt))
    lr_t = lr.astype(dt)
    upd = jnp.where(rho_t > 5.0, corrected * lr_t * adaptive * rect.astype(dt), corrected * lr_t)
    return p - upd, {"step": step, "exp_avg": m, "exp_avg_sq": v}


_row = group_op("_optim_radam", _radam)


class RAdam(Optimizer):
    """RAdam: Adam with a rectified adaptive learning rate (Liu et al.)."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("capturable", False), ("decoupled_weight_decay", False))

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        lr_check(lr)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        beta_checks(betas)
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            b1, b2 = g["betas"]
            self._update(_row, g, ("step", "exp_avg", "exp_avg_sq"),
                         (("lr", g["lr"]), ("beta1", b1), ("beta2", b2), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0),
                          ("decoupled", g["decoupled_weight_decay"])))
        return loss
