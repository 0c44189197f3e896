"""MultiheadAttention and the Transformer layers: outputs, attention weights, every parameter's
gradient, reprs and parameter names (dropout 0 or eval mode: no randomness)."""

from _record import expect_error, warnings_of
from module_cases._util import det, fill, run_module


def case_mha_self(torch):
    m = torch.nn.MultiheadAttention(8, 2)
    x = det(torch, 5, 2, 8, requires_grad=True)
    fill(torch, m)
    out, w = m(x, x, x)
    ((out * det(torch, 5, 2, 8, seed=3)).sum() + (w * det(torch, 2, 5, 5, seed=4)).sum()
     ).backward()
    return {"repr": repr(m), "params": dict(m.named_parameters()), "out": out, "weights": w,
            "x": x, "grad_fn": [type(out.grad_fn).__name__, type(w.grad_fn).__name__]}


def case_mha_cross_batch_first_masks(torch):
    m = fill(torch, torch.nn.MultiheadAttention(6, 3, batch_first=True))
    q = det(torch, 2, 4, 6, requires_grad=True)
    kv = det(torch, 2, 3, 6, seed=2, requires_grad=True)
    kpm = torch.tensor([[False, False, True], [False, False, False]])
    am = torch.tensor([[0.0, -1.0, 0.5], [0.0, 0.0, 0.0], [1.0, 0.0, -0.5], [0.0, 0.2, 0.0]])
    out, w = m(q, kv, kv, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)
    (out * det(torch, 2, 4, 6, seed=5)).sum().backward()
    return {"out": out, "weights": w, "q": q, "kv": kv, "params": dict(m.named_parameters())}


def case_mha_no_weights_causal(torch):
    m = fill(torch, torch.nn.MultiheadAttention(4, 2))
    x = det(torch, 3, 2, 4, requires_grad=True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
    out, w = m(x, x, x, attn_mask=mask, need_weights=False, is_causal=True)
    (out * det(torch, 3, 2, 4, seed=1)).sum().backward()
    return {"out": out, "weights": w, "x": x, "mask": mask, "params": dict(m.named_parameters())}


def case_mha_kdim_vdim_bias_kv_zero_attn(torch):
    m = torch.nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True)
    fill(torch, m)
    q = det(torch, 2, 2, 4, requires_grad=True)
    k = det(torch, 3, 2, 3, seed=1)
    v = det(torch, 3, 2, 5, seed=2)
    out, w = m(q, k, v)
    (out.sum() + w.sum()).backward()
    return {"repr": repr(m), "names": [n for n, _ in m.named_parameters()], "out": out,
            "weights": w, "q": q, "params": dict(m.named_parameters())}


def case_mha_unbatched_bool_mask(torch):
    m = fill(torch, torch.nn.MultiheadAttention(4, 1, bias=False))
    x = det(torch, 3, 4, requires_grad=True)
    mask = torch.tensor([[False, True, True], [False, False, True], [False, False, False]])
    out, w = m(x, x, x, attn_mask=mask)
    (out.sum() + w.sum()).backward()
    return {"out": out, "weights": w, "x": x, "params": dict(m.named_parameters())}


def case_mha_errors(torch):
    nn = torch.nn
    m = nn.MultiheadAttention(4, 2)
    x = torch.ones(3, 2, 4)
    return {"ctor": [expect_error(lambda: nn.MultiheadAttention(5, 2)),
                     expect_error(lambda: nn.MultiheadAttention(0, 2))],
            "mask_shape": expect_error(lambda: m(x, x, x, attn_mask=torch.zeros(2, 2))),
            "dims": expect_error(lambda: m(x, torch.ones(3, 4), torch.ones(3, 4))),
            "causal_without_mask": expect_error(lambda: m(x, x, x, is_causal=True)),
            "int_mask": expect_error(lambda: m(x, x, x, attn_mask=torch.zeros(3, 3,
                                                                              dtype=torch.long)))}


def case_encoder_layer(torch):
    m = torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
    return run_module(torch, m, [det(torch, 4, 2, 8)])


def case_encoder_layer_norm_first_gelu_batch_first(torch):
    m = torch.nn.TransformerEncoderLayer(6, 3, dim_feedforward=10, dropout=0.0, activation="gelu",
                                         norm_first=True, batch_first=True)
    return run_module(torch, m, [det(torch, 2, 5, 6)])


def case_encoder_layer_eval_with_masks(torch):
    m = fill(torch, torch.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8)).eval()
    x = det(torch, 3, 2, 4)
    kpm = torch.tensor([[False, False, True], [False, False, False]])
    return {"plain": m(x), "masked": m(x, src_key_padding_mask=kpm),
            "causal": m(x, src_mask=torch.nn.Transformer.generate_square_subsequent_mask(3))}


def case_encoder_stack(torch):
    nn = torch.nn
    made = []
    warns = warnings_of(lambda: made.append(nn.TransformerEncoder(
        nn.TransformerEncoderLayer(8, 2, 16, 0.0), 2, norm=nn.LayerNorm(8))))
    m = made[0]
    rec = run_module(torch, m, [det(torch, 3, 2, 8)])
    rec["warnings"] = warns
    rec["independent_copies"] = m.layers[0].linear1.weight is not m.layers[1].linear1.weight
    return rec


def case_encoder_stack_causal_mask(torch):
    nn = torch.nn
    layer = nn.TransformerEncoderLayer(4, 2, 8, 0.0, batch_first=True)
    m = fill(torch, nn.TransformerEncoder(layer, 2, enable_nested_tensor=False))
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    return {"out": m(det(torch, 2, 4, 4), mask=mask), "mask": mask}


def case_decoder_layer_and_stack(torch):
    nn = torch.nn
    layer = nn.TransformerDecoderLayer(4, 2, 8, 0.0)
    m = nn.TransformerDecoder(layer, 1, norm=nn.LayerNorm(4))
    rec = run_module(torch, m, [det(torch, 3, 2, 4), det(torch, 5, 2, 4, seed=1)])
    return rec


def case_transformer_full(torch):
    nn = torch.nn
    m = nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                       dim_feedforward=6, dropout=0.0)
    return run_module(torch, m, [det(torch, 3, 2, 4), det(torch, 2, 2, 4, seed=1)])


def case_transformer_reprs(torch):
    nn = torch.nn
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,
                                enable_nested_tensor=False)
    return {"encoder_layer": repr(nn.TransformerEncoderLayer(8, 2, 16)), "encoder": repr(enc),
            "decoder_layer": repr(nn.TransformerDecoderLayer(4, 2, 8, bias=False)),
            "mask": nn.Transformer.generate_square_subsequent_mask(3),
            "names": [n for n, _ in nn.TransformerDecoderLayer(4, 2, 8).named_parameters()],
            "bad_activation": expect_error(lambda: nn.TransformerEncoderLayer(4, 2,
                                                                              activation="tanh"))}
