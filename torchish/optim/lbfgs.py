"""torch.optim.LBFGS: limited-memory BFGS with an optional strong-Wolfe line search.

L-BFGS branches on scalars after every closure call, so its vector algebra runs on the host in
float32 NumPy (as torch's CPU kernels do) and only the parameter writes are tensor operations.
Two-loop recursion: q = -g; a_i = rho_i s_i.q, q -= a_i y_i (newest first); r = H q with
H = s.y / y.y; r += (a_i - rho_i y_i.r) s_i (oldest first); d = r.
"""

import numpy as np

from .._dispatch import inplace
from .._ops.factory import leaf
from .._tensor import Tensor
from ..autograd import grad_mode
from .optimizer import Optimizer, lr_check

__all__ = ["LBFGS"]

_F = np.float32


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clipped to `bounds`."""
    if bounds is not None:
        lo, hi = bounds
    else:
        lo, hi = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(pos, lo), hi)
    return (lo + hi) / 2.0


def _strong_wolfe(obj, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Line search along d satisfying the strong Wolfe conditions (bracket, then zoom)."""
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj(x, t, d)
    evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    it = 0
    while it < max_ls:
        if f_new > (f + c1 * t * gtd) or (it > 1 and f_new >= f_prev):
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [
                gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            br, br_f, br_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [
                gtd_prev, gtd_new]
            break
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                               bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
    if it == max_ls:
        br, br_f, br_g = [0, t], [f, f_new], [g, g_new]
    insuf = False
    low, high = (0, 1) if br_f[0] <= br_f[-1] else (1, 0)
    while not done and it < max_ls:
        if abs(br[1] - br[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1])
        eps = 0.1 * (max(br) - min(br))
        if min(max(br) - t, t - min(br)) < eps:
            if insuf or t >= max(br) or t <= min(br):
                t = max(br) - eps if abs(t - max(br)) < abs(t - min(br)) else min(br) + eps
                insuf = False
            else:
                insuf = True
        else:
            insuf = False
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
        if f_new > (f + c1 * t * gtd) or f_new >= br_f[low]:
            br[high], br_f[high], br_g[high], br_gtd[high] = t, f_new, g_new.copy(), gtd_new
            low, high = (0, 1) if br_f[0] <= br_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[high] - br[low]) >= 0:
                br[high], br_f[high], br_g[high], br_gtd[high] = (
                    br[low], br_f[low], br_g[low], br_gtd[low])
            br[low], br_f[low], br_g[low], br_gtd[low] = t, f_new, g_new.copy(), gtd_new
    return br_f[low], br_g[low], br[low], evals


def _float(loss):
    return float(loss.detach() if isinstance(loss, Tensor) else loss)


def _host(t):
    return np.asarray(t._array())


class LBFGS(Optimizer):
    """L-BFGS (Nocedal & Wright, Algorithm 7.4); `step` needs a closure returning the loss."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        lr_check(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self):
        return np.concatenate([np.zeros(p.numel(), _F) if p._grad is None
                               else _host(p._grad).reshape(-1) for p in self._params])

    def _write(self, arrays):
        with grad_mode.no_grad():
            for p, a in zip(self._params, arrays):
                inplace(p, leaf(a.reshape(p.shape), p.dtype))

    def _add_grad(self, step, d):
        out, off = [], 0
        for p in self._params:
            n = p.numel()
            out.append(_host(p).reshape(-1) + _F(step) * d[off:off + n])
            off += n
        self._write(out)

    def _directional_evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = _float(closure())
        g = self._flat_grad()
        self._write(x)
        return loss, g

    def step(self, closure):
        """One L-BFGS step (up to max_iter iterations) on `closure`."""
        group = self.param_groups[0]
        lr = group["lr"]
        lr = float(lr) if isinstance(lr, Tensor) else lr
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        ls_fn, history_size = group["line_search_fn"], group["history_size"]

        def call():
            with grad_mode.enable_grad():
                return closure()

        with grad_mode.no_grad():
            return self._step(call, lr, max_iter, max_eval, tol_grad, tol_change, ls_fn,
                              history_size)

    def _step(self, call, lr, max_iter, max_eval, tol_grad, tol_change, ls_fn, history_size):

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = call()
        loss = _float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tol_grad:
            return orig_loss
        h = self._mirror(state)
        d, t = h.get("d"), h.get("t")
        old_dirs, old_stps, ro = h.get("old_dirs"), h.get("old_stps"), h.get("ro")
        H_diag, prev_g, prev_loss = h.get("H_diag"), h.get("prev_flat_grad"), h.get("prev_loss")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -g
                old_dirs, old_stps, ro, H_diag = [], [], [], 1
            else:
                y = g - prev_g
                s = d * _F(t)
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(_F(1.0) / ys)
                    H_diag = ys / y.dot(y)
                if "al" not in h:
                    h["al"] = [None] * history_size
                    state["al"] = None  # torch's key order: 'al' enters mid-step
                al = h["al"]
                q = -g
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q = q + _F(-al[i]) * old_dirs[i]
                d = r = q * _F(H_diag)
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += _F(al[i] - be_i) * old_stps[i]
            prev_g = g.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                inv = _F(1.0) / np.abs(g).sum()
                t = float(_F(inv * _F(lr))) if inv < 1.0 else 1.0 * lr
            else:
                t = lr
            gtd = g.dot(d)
            if gtd > -tol_change:
                break
            ls_evals = 0
            if ls_fn is not None:
                if ls_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x0 = [_host(p).copy() for p in self._params]
                loss, g, t, ls_evals = _strong_wolfe(
                    lambda x, t, d: self._directional_evaluate(call, x, t, d),
                    x0, t, d, loss, g, gtd, max_ls=max_eval - evals)
                self._add_grad(t, d)
                opt_cond = np.abs(g).max() <= tol_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = _float(call())
                    g = self._flat_grad()
                    opt_cond = np.abs(g).max() <= tol_grad
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or evals >= max_eval or opt_cond:
                break
            if np.abs(d * _F(t)).max() <= tol_change:
                break
            if abs(loss - prev_loss) < tol_change:
                break
        h.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
                 prev_flat_grad=prev_g, prev_loss=prev_loss)
        self._publish(state, h)
        return orig_loss

    _KEYS = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")

    def _publish(self, state, h):
        """torch's state entries, as Tensors (so state_dict looks like torch's)."""
        dt = self._params[0].dtype

        def tens(a):
            if isinstance(a, list):
                return [tens(x) for x in a]
            return leaf(np.asarray(a), dt) if isinstance(a, (np.ndarray, np.floating)) else a
        for k in self._KEYS + (("al",) if "al" in h else ()):
            state[k] = tens(h[k])
        self._cache = (state["d"], h)

    def _mirror(self, state):
        """The host copy of the state (rebuilt from the tensors after load_state_dict)."""
        cache = getattr(self, "_cache", None)
        if cache is not None and cache[0] is state.get("d"):
            return cache[1]

        def host(a):
            if isinstance(a, list):
                return [host(x) for x in a]
            return _host(a) if isinstance(a, Tensor) else a
        return {k: host(state[k]) for k in self._KEYS + ("al",) if k in state}
