"""Recurrent layers: one row per (mode, direction) running the whole sequence as a `lax.scan`, so a
layer is one node and one small loop in the compiled program whatever the sequence length.

torch's CPU kernels record a per-step chain (StackBackward0 over the steps for RNN/GRU) or one
MkldnnRnnLayerBackward0 node per LSTM layer; the layer output shows those names.
"""

import jax
import jax.numpy as jnp

from .._dispatch import call
from ._registry import op

_HIGHEST = jax.lax.Precision.HIGHEST
NODES = {"RNN_TANH": "StackBackward0", "RNN_RELU": "StackBackward0", "GRU": "StackBackward0",
         "LSTM": "MkldnnRnnLayerBackward0"}


def _mm(a, w):
    return jnp.matmul(a, w.T, precision=_HIGHEST)


def _layer_impl(mode):
    lstm = mode == "LSTM"

    def impl(x, *rest, reverse, has_bias, has_proj):
        # rest: h0, [c0], w_ih, w_hh, [b_ih, b_hh], [w_hr]
        rest = list(rest)
        h0 = rest.pop(0)
        c0 = rest.pop(0) if lstm else None
        w_ih, w_hh = rest.pop(0), rest.pop(0)
        b_ih, b_hh = (rest.pop(0), rest.pop(0)) if has_bias else (0, 0)
        w_hr = rest.pop(0) if has_proj else None
        xw = jnp.einsum("tbi,gi->tbg", x, w_ih, precision=_HIGHEST) + b_ih  # (T, B, gates)

        def step(carry, gi):
            h = carry[0]
            gh = _mm(h, w_hh) + b_hh
            if mode == "RNN_TANH":
                h = jnp.tanh(gi + gh)
                return (h,), h
            if mode == "RNN_RELU":
                h = jax.nn.relu(gi + gh)
                return (h,), h
            if mode == "GRU":
                ir, iz, in_ = jnp.split(gi, 3, axis=-1)
                hr, hz, hn = jnp.split(gh, 3, axis=-1)
                r, z = jax.nn.sigmoid(ir + hr), jax.nn.sigmoid(iz + hz)
                n = jnp.tanh(in_ + r * hn)
                h = (h - n) * z + n
                return (h,), h
            i, f, g, o = jnp.split(gi + gh, 4, axis=-1)
            c = jax.nn.sigmoid(f) * carry[1] + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            if w_hr is not None:
                h = _mm(h, w_hr)
            return (h, c), h

        init = (h0, c0) if lstm else (h0,)
        last, ys = jax.lax.scan(step, init, xw, reverse=reverse)
        return (ys, *last)
    return impl


ROWS = {mode: op(f"rnn_layer.{mode.lower()}", node=node, nout=3 if mode == "LSTM" else 2)(
    _layer_impl(mode)) for mode, node in NODES.items()}
# torch: an LSTM with projections runs the generic (per-step, StackBackward0) kernel
ROWS["LSTM_PROJ"] = op("rnn_layer.lstm_proj", node="StackBackward0", nout=3)(_layer_impl("LSTM"))

# torch's generic kernel swaps batch_first outputs back with an in-place transpose_ (its
# oneDNN LSTM kernel with an out-of-place transpose)
_transpose_ = op("rnn_transpose_", node="TransposeBackward1", saves=False)(
    lambda x: jnp.swapaxes(x, 0, 1))


def rnn_layer(mode, x, hx, weights, has_bias, has_proj, reverse):
    """One direction of one layer over (T, B, I) input; returns (output (T, B, H), h_T[, c_T])."""
    params = (("reverse", reverse), ("has_bias", has_bias), ("has_proj", has_proj))
    row = ROWS["LSTM_PROJ" if mode == "LSTM" and has_proj else mode]
    return call(row, (x, *hx, *weights), params)


def batch_first_output(out, mode, has_proj):
    """(T, B, H) -> (B, T, H) as torch records it."""
    if mode == "LSTM" and not has_proj:
        from .shape import transpose
        return transpose(out, 0, 1)
    return call(_transpose_, (out,))


__all__ = ["rnn_layer", "batch_first_output"]
