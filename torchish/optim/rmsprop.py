"""torch.optim.RMSprop: one recorded row per group update."""

import jax.numpy as jnp

from .optimizer import Optimizer, check, group_op, lerp, lr_check, step_state, zeros_state

__all__ = ["RMSprop"]


def _rmsprop(p, g, st, h, f):
    """v <- a*v + (1-a)*g^2; centered: m <- lerp(m, g, 1-a), avg = sqrt(v - m^2), else sqrt(v);
    avg += eps; momentum: b <- mu*b + g/avg, p <- p - lr*b; else p <- p - lr*g/avg."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    out = {"step": step_state(st, f)}
    if f["wd"]:
        g = g + h["weight_decay"].astype(dt) * p
    a = h["alpha"]
    v = zeros_state(st, "square_avg", p) * a.astype(dt) + (1 - a).astype(dt) * (g * g)
    out["square_avg"] = v
    if f["centered"]:
        m = lerp(zeros_state(st, "grad_avg", p), g, 1 - a)
        out["grad_avg"] = m
        avg = jnp.sqrt(v - m * m)
    else:
        avg = jnp.sqrt(v)
    avg = avg + h["eps"].astype(dt)
    lr = h["lr"]
    if f["momentum"]:
        buf = zeros_state(st, "momentum_buffer", p) * h["momentum"].astype(dt) + g / avg
        out["momentum_buffer"] = buf
        return p + (-lr).astype(dt) * buf, out
    return p + (-lr).astype(dt) * g / avg, out


_row = group_op("_optim_rmsprop", _rmsprop)


class RMSprop(Optimizer):
    """RMSprop (Hinton), optionally centered and with momentum."""

    _group_defaults = (("momentum", 0), ("centered", False), ("foreach", None), ("maximize", False),
                       ("differentiable", False), ("capturable", False))

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        lr_check(lr)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        check(0.0 <= alpha, f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            mom = g["momentum"] > 0
            keys = ("step", "square_avg") + (("momentum_buffer",) if mom else ()) + (
                ("grad_avg",) if g["centered"] else ())
            self._update(_row, g, keys,
                         (("lr", g["lr"]), ("alpha", g["alpha"]), ("eps", g["eps"]),
                          ("weight_decay", g["weight_decay"]), ("momentum", g["momentum"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0),
                          ("centered", g["centered"]), ("momentum", mom)))
        return loss
