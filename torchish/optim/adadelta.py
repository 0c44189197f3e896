"""torch.optim.Adadelta: one recorded row per group update."""

import jax.numpy as jnp

from .optimizer import Optimizer, check, group_op, lr_check, step_state, zeros_state

__all__ = ["Adadelta"]


def _adadelta(p, g, st, h, f):
    """v <- rho*v + (1-rho)*g^2; d = sqrt(u + eps) / sqrt(v + eps) * g;
    u <- rho*u + (1-rho)*d^2; p <- p - lr*d."""
    dt = p.dtype
    step = step_state(st, f)
    if f["maximize"]:
        g = -g
    if f["wd"]:
        g = g + h["weight_decay"].astype(dt) * p
    rho, eps = h["rho"].astype(dt), h["eps"].astype(dt)
    one_m = (1 - h["rho"]).astype(dt)
    v = zeros_state(st, "square_avg", p) * rho + one_m * (g * g)
    u = zeros_state(st, "acc_delta", p)
    d = jnp.sqrt(u + eps) / jnp.sqrt(v + eps) * g
    u = u * rho + one_m * (d * d)
    return p + (-h["lr"]).astype(dt) * d, {"step": step, "square_avg": v, "acc_delta": u}


_row = group_op("_optim_adadelta", _adadelta)


class Adadelta(Optimizer):
    """Adadelta (Zeiler)."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("capturable", False))

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        lr_check(lr)
        check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            self._update(_row, g, ("step", "square_avg", "acc_delta"),
                         (("lr", g["lr"]), ("rho", g["rho"]), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0)))
        return loss
