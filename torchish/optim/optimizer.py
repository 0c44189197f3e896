"""torch.optim.Optimizer: param groups, per-parameter state, state_dict, hooks.

A group's update is recorded as ONE table row (`group_op`): a pure JAX function taking every
parameter, gradient and state tensor of the group plus the hyper-parameters as data scalars, and
returning the new parameters and state. Under the lazy engine the row folds into the next step's
program; since lr, betas and the step count are data, a scheduler never causes a recompile.
"""

import functools
import warnings
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

import jax.numpy as jnp

from .. import _dtypes
from .._dispatch import call, inplace
from .._ops._registry import op
from .._tensor import Tensor
from ..autograd import grad_mode

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Singleton marking a hyper-parameter with no default."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_pre_hooks = OrderedDict()
_global_post_hooks = OrderedDict()


class _Handle:
    """torch.utils.hooks.RemovableHandle (the part optimizers use)."""

    _next = 0

    def __init__(self, hooks_dict):
        self._dict = hooks_dict
        self.id = _Handle._next
        _Handle._next += 1

    def remove(self):
        self._dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _register(table, hook, prepend=False):
    h = _Handle(table)
    table[h.id] = hook
    if prepend:
        table.move_to_end(h.id, last=False)
    return h


def register_optimizer_step_pre_hook(hook):
    return _register(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    return _register(_global_post_hooks, hook)


def typename(obj):
    """torch.typename."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def scalar_dtype():
    """torch's `_get_scalar_dtype`: the dtype of `state['step']`."""
    return _dtypes.float64 if _dtypes.get_default_dtype() is _dtypes.float64 else _dtypes.float32


def _with_hooks(step):
    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        for pre in chain(_global_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
            r = pre(self, args, kwargs)
            if r is not None:
                if isinstance(r, tuple) and len(r) == 2:
                    args, kwargs = r
                else:
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {r}.")
        out = step(self, *args, **kwargs)
        for post in chain(self._optimizer_step_post_hooks.values(), _global_post_hooks.values()):
            post(self, args, kwargs)
        return out
    wrapper._hooked = True
    return wrapper


class Optimizer:
    """Base class for all optimizers.

    Args:
        params: an iterable of Tensors, of (name, Tensor) pairs, or of dicts (param groups).
        defaults: the hyper-parameters a group gets when it does not set them.
    """

    _group_defaults = ()  # (key, default) per param-group key added since torch 1.x

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _with_hooks(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for g in param_groups:
            self.add_param_group(g)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for k in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                  "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                  "_optimizer_load_state_dict_pre_hooks", "_optimizer_load_state_dict_post_hooks"):
            self.__dict__.setdefault(k, OrderedDict())
        self.defaults.setdefault("differentiable", False)
        for st in self.state.values():  # torch: an old checkpoint's float 'step' becomes a tensor
            if isinstance(st, dict) and "step" in st and not isinstance(st["step"], Tensor) \
                    and type(self).__name__ != "LBFGS":
                from .._ops.factory import tensor
                st["step"] = tensor(float(st["step"]), dtype=scalar_dtype())
        for group in self.param_groups:  # torch: groups pickled by older versions get new keys
            for k, v in self._group_defaults:
                group.setdefault(k, v)

    def __repr__(self):
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        return s + ")"

    # ---- hooks ---------------------------------------------------------------------------
    def register_step_pre_hook(self, hook):
        return _register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        return _register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        return _register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        return _register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        return _register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        return _register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ---- state_dict ------------------------------------------------------------------------
    def state_dict(self):
        """{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}, as torch."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        mapping, start = {}, 0

        def pack(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        sd = {"state": state, "param_groups": groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            r = hook(self, sd)
            if r is not None:
                sd = r
        return sd

    def load_state_dict(self, state_dict):
        """Load `state_dict`; tensors are cast to their parameter's dtype (but 'step')."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            r = hook(self, state_dict)
            if r is not None:
                state_dict = r
        groups = self.param_groups
        saved = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved),
                          chain.from_iterable(g["params"] for g in groups)))

        def cast(param, value, key=None):
            if isinstance(value, Tensor):
                if key == "step":
                    return value
                return value.to(dtype=param.dtype) if param.is_floating_point() else value
            if isinstance(value, dict):
                return {k: cast(param, v, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            return value

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = cast(id_map[k], v)
            else:
                state[k] = v

        def update_group(group, new):
            new["params"] = group["params"]
            if "param_names" in group and "param_names" not in new:
                new["param_names"] = group["param_names"]
            return new

        self.__setstate__({"state": state,
                           "param_groups": [update_group(g, s) for g, s in zip(groups, saved)]})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    # ---- gradients and groups ------------------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Set every parameter's .grad to None (default) or to zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g.zero_()

    def step(self, closure=None):
        raise NotImplementedError

    @staticmethod
    def _closure(closure):
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    def add_param_group(self, param_group):
        """Add a group (a dict with 'params'); missing hyper-parameters come from defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for p in param_group["params"]:
            if isinstance(p, tuple):
                names.append(p[0])
                tensors.append(p[1])
            else:
                tensors.append(p)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + typename(p))
            if not self.defaults.get("differentiable", None) and not (
                    p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        if len(tensors) != len(set(map(id, tensors))):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(map(id, group["params"]))
            if ("param_names" in param_group) != ("param_names" in group):
                txt = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {txt} to the optimizer")
        if not seen.isdisjoint(map(id, tensors)):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ---- the recorded update -------------------------------------------------------------------
    def _update(self, row, group, keys, hyper, flags=(), params=None):
        """Record `row` once for the parameters of `group` that have a gradient.

        `keys`: state entries the row returns per parameter; `hyper`: data scalars (name, value);
        `flags`: static (name, value) pairs. Parameters and existing state are updated in place.
        """
        if group.get("differentiable"):
            raise NotImplementedError("torchish: differentiable=True optimizers (autograd through "
                                      "step()) are not supported")
        if params is None:
            params = [p for p in group["params"] if p._grad is not None]
        if not params:
            return
        xs = list(params)
        xs.extend(p._grad for p in params)
        have = []
        for p in params:
            st = self.state[p] if keys else {}  # torch: no state entry without state
            h = tuple(k for k in keys if k in st)
            have.append(h)
            xs.extend(st[k] for k in h)
        for _, v in hyper:
            xs.append(v if isinstance(v, Tensor) else float(v))
        static = (("n", len(params)), ("keys", tuple(keys)), ("have", tuple(have)),
                  ("hnames", tuple(k for k, _ in hyper)),
                  ("flags", tuple(flags) + (("sdt", scalar_dtype().name),)))
        n = len(params)
        with grad_mode.no_grad():
            outs = call(row, tuple(xs), static)
            # the new parameters are read through a pass-through row whose inputs are ALL of
            # the update's outputs: a program computing a parameter then also returns the new
            # state, so pending state never chains across steps
            pub = call(_publish, outs, (("n", n),))
        for p, new in zip(params, pub):
            inplace(p, new)
        it = iter(outs[n:])
        for p, h in zip(params, have) if keys else ():
            st = self.state[p]
            for k in keys:
                new = next(it)
                if k in h:
                    inplace(st[k], new)
                else:
                    st[k] = new


def group_op(name, kernel):
    """Register a group-update row from `kernel(p, g, state, h, f) -> (p, state)`.

    `state` maps the keys a parameter already has to arrays (missing keys: the kernel initialises
    them); `h` maps hyper-parameter names to float64 scalars; `f` holds the static flags.
    """
    def impl(*xs, n, keys, have, hnames, flags):
        f = dict(flags)
        f["sdt"] = jnp.dtype(f["sdt"])
        params, grads = xs[:n], xs[n:2 * n]
        pos = 2 * n
        states = []
        for h in have:
            states.append(dict(zip(h, xs[pos:pos + len(h)])))
            pos += len(h)
        hyper = {k: jnp.asarray(v, jnp.float64) for k, v in zip(hnames, xs[pos:])}
        new_p, new_s = [], []
        for p, g, st in zip(params, grads, states):
            if jnp.iscomplexobj(p):  # torch: complex parameters update as view_as_real
                pr = _as_real(p)
                q, st2 = kernel(pr, _as_real(g), {k: _as_real(v) for k, v in st.items()},
                                hyper, f)
                q = _as_complex(q)
                st2 = {k: _as_complex(v) if v.shape == pr.shape else v for k, v in st2.items()}
            else:
                q, st2 = kernel(p, g, st, hyper, f)
            new_p.append(q.astype(p.dtype))
            new_s.extend(st2[k] for k in keys)
        return tuple(new_p) + tuple(new_s)
    impl.__name__ = name
    return op(name, nout=-1)(impl)


@op("_optim_publish", nout=-1)
def _publish(*xs, n):
    return tuple(xs[:n])


def _as_real(x):
    return jnp.stack([x.real, x.imag], -1) if jnp.iscomplexobj(x) else x


def _as_complex(x):
    import jax
    return jax.lax.complex(x[..., 0], x[..., 1])


# ---- helpers for kernels: torch's scalar rules ---------------------------------------------------

def lerp(a, b, w):
    """torch's CPU lerp: a + w*(b-a) for |w| < 0.5, else b - (b-a)*(1-w) (w cast to a's dtype)."""
    w = w.astype(a.dtype)
    d = b - a
    return jnp.where(jnp.abs(w) < 0.5, a + w * d, b - d * (1 - w))


def zeros_state(st, key, like):
    v = st.get(key)
    return jnp.zeros_like(like) if v is None else v


def step_state(st, f):
    """state['step'] + 1, starting from torch's tensor(0.)."""
    s = st.get("step")
    if s is None:
        s = jnp.zeros((), f["sdt"])
    return s + 1


def lr_check(lr):
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check(ok, msg):
    if not ok:
        raise ValueError(msg)
