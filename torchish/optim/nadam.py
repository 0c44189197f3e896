"""torch.optim.NAdam: one recorded row per group update."""

import jax.numpy as jnp

from .adam import beta_checks
from .optimizer import Optimizer, check, group_op, lerp, lr_check, step_state, zeros_state

__all__ = ["NAdam"]


def _nadam(p, g, st, h, f):
    """mu_t = b1*(1 - 0.96^(t*psi)/2); P <- P*mu_t; m, v as Adam; d = sqrt(v/(1-b2^t)) + eps;
    p <- p - lr*(1-mu_t)/(1-P) * g/d - lr*mu_{t+1}/(1-P*mu_{t+1}) * m/d."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = step_state(st, f)
    t = step.astype(jnp.float64)
    lr, b1, b2, psi = h["lr"], h["beta1"], h["beta2"], h["momentum_decay"]
    if f["wd"]:
        if f["decoupled"]:
            p = p * (1 - lr * h["weight_decay"]).astype(dt)
        else:
            g = g + h["weight_decay"].astype(dt) * p
    mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
    mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
    prod = st.get("mu_product")
    prod = (jnp.ones((), f["sdt"]) if prod is None else prod)
    prod = prod * mu.astype(prod.dtype)
    m = lerp(zeros_state(st, "exp_avg", p), g, 1 - b1)
    v = zeros_state(st, "exp_avg_sq", p) * b2.astype(dt) + (1 - b2).astype(dt) * (g * g)
    denom = jnp.sqrt(v / (1 - b2 ** t).astype(dt)) + h["eps"].astype(dt)
    prod64 = prod.astype(jnp.float64)
    p = p + (-lr * (1.0 - mu) / (1.0 - prod64)).astype(dt) * g / denom
    p = p + ((-lr * mu_next) / (1.0 - prod64 * mu_next)).astype(dt) * m / denom
    return p, {"step": step, "mu_product": prod, "exp_avg": m, "exp_avg_sq": v}


_row = group_op("_optim_nadam", _nadam)


class NAdam(Optimizer):
    """NAdam: Adam with Nesterov momentum (Dozat); `decoupled_weight_decay` gives NAdamW."""

    _group_defaults = (("maximize", False), ("foreach", None), ("capturable", False),
                       ("differentiable", False), ("decoupled_weight_decay", False))

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        lr_check(lr)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        beta_checks(betas)
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        check(0.0 <= momentum_decay, f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            b1, b2 = g["betas"]
            self._update(_row, g, ("step", "mu_product", "exp_avg", "exp_avg_sq"),
                         (("lr", g["lr"]), ("beta1", b1), ("beta2", b2), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"]),
                          ("momentum_decay", g["momentum_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0),
                          ("decoupled", g["decoupled_weight_decay"])))
        return loss
