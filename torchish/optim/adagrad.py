"""torch.optim.Adagrad: one recorded row per group update."""

import jax.numpy as jnp

from .._ops.factory import full_like, tensor
from .optimizer import Optimizer, check, group_op, lr_check, scalar_dtype, step_state

__all__ = ["Adagrad"]


def _adagrad(p, g, st, h, f):
    """clr = lr / (1 + (t-1)*lr_decay); s <- s + g^2; p <- p - clr * g / (sqrt(s) + eps)."""
    dt = p.dtype
    step = step_state(st, f)
    if f["maximize"]:
        g = -g
    if f["wd"]:
        g = g + h["weight_decay"].astype(dt) * p
    clr = h["lr"] / (1 + (step.astype(jnp.float64) - 1) * h["lr_decay"])
    s = st["sum"] + g * g
    std = jnp.sqrt(s) + h["eps"].astype(dt)
    return p + (-clr).astype(dt) * g / std, {"step": step, "sum": s}


_row = group_op("_optim_adagrad", _adagrad)


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.); state is created at construction, as in torch."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("fused", None))

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        lr_check(lr)
        check(0.0 <= lr_decay, f"Invalid lr_decay value: {lr_decay}")
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        check(0.0 <= initial_accumulator_value,
              f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p, group):
        state = self.state[p]
        state["step"] = tensor(0.0, dtype=scalar_dtype())
        state["sum"] = full_like(p, group["initial_accumulator_value"])

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            for p in g["params"]:
                if p._grad is not None and len(self.state[p]) == 0:
                    self._init_state(p, g)
            self._update(_row, g, ("step", "sum"),
                         (("lr", g["lr"]), ("lr_decay", g["lr_decay"]), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0)))
        return loss

