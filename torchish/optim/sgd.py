"""torch.optim.SGD: one recorded row per group update."""

from .optimizer import Optimizer, group_op, lr_check

__all__ = ["SGD"]


def _sgd(p, g, st, h, f):
    """g <- -g if maximize; g <- g + wd*p; b <- mu*b + (1-dampening)*g (b = g at first);
    g <- g + mu*b if nesterov else b; p <- p - lr*g."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    if f["wd"]:
        g = g + h["weight_decay"].astype(dt) * p
    out = {}
    if f["momentum"]:
        buf = st.get("momentum_buffer")
        mu = h["momentum"].astype(dt)
        if buf is None:
            buf = g
        else:
            buf = buf * mu + (1 - h["dampening"]).astype(dt) * g
        out["momentum_buffer"] = buf
        g = g + mu * buf if f["nesterov"] else buf
    return p + (-h["lr"]).astype(dt) * g, out


_row = group_op("_optim_sgd", _sgd)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum."""

    _group_defaults = (("nesterov", False), ("maximize", False), ("foreach", None),
                       ("differentiable", False), ("fused", False))

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        lr_check(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        for g in self.param_groups:
            mom = g["momentum"] != 0
            self._update(_row, g, ("momentum_buffer",) if mom else (),
                         (("lr", g["lr"]), ("momentum", g["momentum"]),
                          ("dampening", g["dampening"]), ("weight_decay", g["weight_decay"])),
                         (("maximize", g["maximize"]), ("wd", g["weight_decay"] != 0),
                          ("momentum", mom), ("nesterov", g["nesterov"])))
        return loss
