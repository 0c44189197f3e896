"""Seeded initialisation (module defaults and every torch.nn.init function, drawing torch's exact
random streams), seeded dropout modules, and torch.nn.utils (clipping, vector conversion)."""

import math

from _record import expect_error, warnings_of
from module_cases._util import det, fill


def _seeded(torch, make):
    torch.manual_seed(0)
    m = make()
    return {"state": dict(m.state_dict()), "next_draw": torch.rand(2)}


def case_default_init_linear(torch):
    return _seeded(torch, lambda: torch.nn.Linear(5, 3))


def case_default_init_conv_bilinear_embedding(torch):
    nn = torch.nn
    return _seeded(torch, lambda: nn.Sequential(nn.Conv2d(2, 3, 3), nn.Conv1d(2, 2, 2, bias=False),
                                                nn.ConvTranspose2d(2, 3, 2), nn.Bilinear(2, 3, 2),
                                                nn.Embedding(4, 3, padding_idx=1), nn.PReLU()))


def case_default_init_norms(torch):
    nn = torch.nn
    return _seeded(torch, lambda: nn.Sequential(nn.BatchNorm1d(3), nn.LayerNorm(2),
                                                nn.GroupNorm(1, 2)))


def case_default_init_rnns(torch):
    nn = torch.nn
    return _seeded(torch, lambda: nn.ModuleList([nn.LSTM(2, 3), nn.GRU(2, 2, bidirectional=True),
                                                 nn.RNNCell(2, 2)]))


def case_default_init_attention(torch):
    nn = torch.nn
    return _seeded(torch, lambda: nn.ModuleList([
        nn.MultiheadAttention(4, 2, add_bias_kv=True),
        nn.TransformerEncoderLayer(4, 2, 6)]))


def case_init_functions(torch):
    init = torch.nn.init
    torch.manual_seed(1)
    out = {}
    w = torch.empty(4, 6)
    for name, fn in [
        ("uniform_", lambda: init.uniform_(w, -0.5, 2.0)),
        ("normal_", lambda: init.normal_(w, 1.0, 0.3)),
        ("xavier_uniform_", lambda: init.xavier_uniform_(w, gain=2.0)),
        ("xavier_normal_", lambda: init.xavier_normal_(w)),
        ("kaiming_uniform_", lambda: init.kaiming_uniform_(w, a=math.sqrt(5))),
        ("kaiming_uniform_fan_out_relu", lambda: init.kaiming_uniform_(
            w, mode="fan_out", nonlinearity="relu")),
        ("kaiming_normal_", lambda: init.kaiming_normal_(w, nonlinearity="tanh")),
        ("trunc_normal_", lambda: init.trunc_normal_(w, std=0.02)),
        ("trunc_normal_narrow", lambda: init.trunc_normal_(w, mean=0.0, std=1.0, a=1.5, b=2.0)),
        ("constant_", lambda: init.constant_(w, 0.25)),
        ("ones_", lambda: init.ones_(w)), ("zeros_", lambda: init.zeros_(w)),
        ("eye_", lambda: init.eye_(w)),
    ]:
        r = fn()
        out[name] = [r is w, w.clone()]
    c = torch.empty(4, 2, 3, 3)
    out["dirac_"] = init.dirac_(c, groups=2).clone()
    out["orthogonal_"] = init.orthogonal_(torch.empty(3, 5), gain=1.5)
    out["orthogonal_tall"] = init.orthogonal_(torch.empty(5, 2))
    out["sparse_"] = init.sparse_(torch.empty(5, 3), 0.4).ne(0).sum(0)
    out["next_draw"] = torch.rand(3)
    return out


def case_init_helpers_and_errors(torch):
    init = torch.nn.init
    return {
        "gains": [init.calculate_gain(n) for n in ("linear", "conv2d", "sigmoid", "tanh", "relu",
                                                    "leaky_relu", "selu")]
        + [init.calculate_gain("leaky_relu", 0.2)],
        "fans": [init._calculate_fan_in_and_fan_out(torch.empty(*s))
                 for s in ((3, 4), (2, 3, 4, 5), (6, 2, 3))],
        "errors": [expect_error(lambda: init.calculate_gain("foo")),
                   expect_error(lambda: init.calculate_gain("leaky_relu", "x")),
                   expect_error(lambda: init._calculate_fan_in_and_fan_out(torch.empty(3))),
                   expect_error(lambda: init.kaiming_uniform_(torch.empty(2, 2), mode="x")),
                   expect_error(lambda: init.eye_(torch.empty(2, 2, 2))),
                   expect_error(lambda: init.dirac_(torch.empty(2, 2))),
                   expect_error(lambda: init.orthogonal_(torch.empty(2)))],
        "zero_numel_warning": warnings_of(lambda: init.kaiming_uniform_(torch.empty(0, 3))),
        "requires_grad_kept": init.normal_(torch.nn.Parameter(torch.empty(2))).requires_grad,
    }


def case_dropout_seeded(torch):
    nn = torch.nn
    torch.manual_seed(3)
    x = det(torch, 4, 6, requires_grad=True)
    y = nn.Dropout(0.4)(x)
    y2 = nn.Dropout2d(0.5)(det(torch, 2, 3, 2, 2))
    (y * det(torch, 4, 6, seed=2)).sum().backward()
    return {"y": y, "x": x, "y2": y2, "next": torch.rand(2)}


def _model(torch):
    nn = torch.nn
    m = fill(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)))
    (m(det(torch, 5, 3)) ** 2).sum().backward()
    return m


def case_clip_grad_norm(torch):
    U = torch.nn.utils
    out = {}
    for norm_type in (2.0, 1, float("inf"), 3.5):
        m = _model(torch)
        total = U.clip_grad_norm_(m.parameters(), max_norm=0.5, norm_type=norm_type)
        out[str(norm_type)] = [total, [p.grad for p in m.parameters()]]
    m = _model(torch)
    out["no_clip"] = [U.clip_grad_norm_(m.parameters(), 100.0), [p.grad for p in m.parameters()]]
    out["single_tensor"] = U.clip_grad_norm_(m[0].weight, 0.1)
    out["empty"] = U.clip_grad_norm_([], 1.0)
    out["empty_generator_warning"] = warnings_of(
        lambda: U.clip_grad_norm_((p for p in []), 1.0))
    m = _model(torch)
    with torch.no_grad():
        m[0].weight.grad[0, 0] = float("nan")
    out["nonfinite"] = expect_error(lambda: U.clip_grad_norm_(m.parameters(), 1.0,
                                                               error_if_nonfinite=True))
    out["nonfinite_allowed"] = U.clip_grad_norm_(m.parameters(), 1.0)
    return out


def case_clip_grad_value(torch):
    m = _model(torch)
    r = torch.nn.utils.clip_grad_value_(m.parameters(), 0.3)
    return {"returns": r, "grads": [p.grad for p in m.parameters()]}


def case_parameters_vector_roundtrip(torch):
    U = torch.nn.utils
    m = _model(torch)
    v = U.parameters_to_vector(m.parameters())
    U.vector_to_parameters(v * 2, m.parameters())
    return {"vector": v, "after": dict(m.named_parameters()),
            "bad": expect_error(lambda: U.vector_to_parameters([1.0], m.parameters()))}


def case_pad_sequence(torch):
    from _record import expect_error
    R = torch.nn.utils.rnn
    a = det(torch, 2, 3, requires_grad=True)
    b = det(torch, 4, 3, seed=1)
    c = det(torch, 1, 3, seed=2, requires_grad=True)
    out = R.pad_sequence([a, b, c])
    out_bf = R.pad_sequence([a, b, c], batch_first=True, padding_value=-1.0,
                            padding_side="left")
    (out * det(torch, 4, 3, 3, seed=5)).sum().backward()
    rec = {"out": out, "bf_left": out_bf, "grad_fn": type(out.grad_fn).__name__, "a": a,
           "c": c}
    # (torch's unpad_sequence also transposes a time-major input in place: not compared)
    rec["unpad"] = R.unpad_sequence(out.clone(), torch.tensor([2, 4, 1]))
    return {**rec,
            "mismatch": expect_error(lambda: R.pad_sequence([torch.ones(2, 3),
                                                             torch.ones(2, 4)]))}
