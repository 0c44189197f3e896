"""Linear, Bilinear, Identity, Flatten/Unflatten, Embedding, Dropout and the activation modules:
forward, backward, repr and state_dict layout against torch."""

from _record import expect_error
from module_cases._util import det, run_module


def case_linear_2d(torch):
    return run_module(torch, torch.nn.Linear(4, 3), [det(torch, 2, 4)])


def case_linear_3d(torch):
    return run_module(torch, torch.nn.Linear(4, 3), [det(torch, 2, 5, 4)], grad_fn_chain=2)


def case_linear_1d_no_bias(torch):
    return run_module(torch, torch.nn.Linear(4, 3, bias=False), [det(torch, 4)], grad_fn_chain=2)


def case_linear_float64(torch):
    m = torch.nn.Linear(3, 2, dtype=torch.float64)
    return run_module(torch, m, [det(torch, 2, 3, dtype=torch.float64)])


def case_linear_errors(torch):
    m = torch.nn.Linear(4, 3)
    return {"shape": expect_error(lambda: m(torch.ones(2, 5))),
            "dtype": type(expect_error(lambda: m(torch.ones(2, 4, dtype=torch.float64)))).__name__}


def case_bilinear(torch):
    m = torch.nn.Bilinear(3, 2, 4)
    return run_module(torch, m, [det(torch, 5, 3), det(torch, 5, 2, seed=2)])


def case_identity(torch):
    m = torch.nn.Identity(3, unused=True)
    return run_module(torch, m, [det(torch, 2, 2)])


def case_flatten_unflatten(torch):
    nn = torch.nn
    m = nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 4)), nn.Flatten(0, 1))
    rec = run_module(torch, m, [det(torch, 2, 3, 2, 2)], grad_fn_chain=3)
    rec["errors"] = [expect_error(lambda: nn.Unflatten(1, 3)),
                     expect_error(lambda: nn.Unflatten(1, (2, 1.5)))]
    return rec


def case_embedding(torch):
    m = torch.nn.Embedding(6, 3)
    return run_module(torch, m, [torch.tensor([[0, 2, 5], [2, 2, 1]])])


def case_embedding_padding_idx(torch):
    m = torch.nn.Embedding(5, 2, padding_idx=-2)
    rec = run_module(torch, m, [torch.tensor([3, 1, 3, 0])])
    fresh = torch.nn.Embedding(4, 2, padding_idx=1)
    rec["fresh_padding_row"] = fresh.weight[1]
    rec["padding_idx"] = m.padding_idx
    return rec


def case_embedding_from_pretrained(torch):
    w = det(torch, 4, 3)
    m = torch.nn.Embedding.from_pretrained(w)
    m2 = torch.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=0)
    return {"repr": [repr(m), repr(m2)], "requires_grad": [m.weight.requires_grad,
                                                            m2.weight.requires_grad],
            "out": m(torch.tensor([3, 0])),
            "bad": expect_error(lambda: torch.nn.Embedding(3, 2, padding_idx=3))}


def case_dropout_eval_and_reprs(torch):
    nn = torch.nn
    m = nn.Dropout(0.3)
    m.eval()
    rec = run_module(torch, m, [det(torch, 3, 4)])
    rec["reprs"] = [repr(nn.Dropout()), repr(nn.Dropout(0.1, inplace=True)),
                    repr(nn.Dropout2d(0.2)), repr(nn.Dropout1d())]
    rec["bad_p"] = expect_error(lambda: nn.Dropout(1.5))
    return rec


def case_dropout_p0_train(torch):
    m = torch.nn.Dropout(0.0)
    return run_module(torch, m, [det(torch, 3, 4)])


# ---- activations -----------------------------------------------------------------------------

def _act(torch, module, scale=3.0):
    return run_module(torch, module, [det(torch, 3, 5, scale=scale)])


def case_relu(torch):
    return _act(torch, torch.nn.ReLU())


def case_leaky_relu(torch):
    return _act(torch, torch.nn.LeakyReLU(0.2))


def case_gelu(torch):
    return _act(torch, torch.nn.GELU())


def case_gelu_tanh(torch):
    return _act(torch, torch.nn.GELU(approximate="tanh"))


def case_silu(torch):
    return _act(torch, torch.nn.SiLU())


def case_tanh(torch):
    return _act(torch, torch.nn.Tanh())


def case_sigmoid(torch):
    return _act(torch, torch.nn.Sigmoid())


def case_softmax(torch):
    return _act(torch, torch.nn.Softmax(dim=1))


def case_softmax_dim0(torch):
    return _act(torch, torch.nn.Softmax(0))


def case_log_softmax(torch):
    return _act(torch, torch.nn.LogSoftmax(dim=-1))


def case_softmin(torch):
    return _act(torch, torch.nn.Softmin(dim=1))


def case_elu(torch):
    return _act(torch, torch.nn.ELU(alpha=0.5))


def case_celu(torch):
    return _act(torch, torch.nn.CELU(alpha=2.0))


def case_selu(torch):
    return _act(torch, torch.nn.SELU())


def case_softplus(torch):
    return _act(torch, torch.nn.Softplus(beta=2.0, threshold=4.0))


def case_hardtanh(torch):
    return _act(torch, torch.nn.Hardtanh(-0.5, 1.5))


def case_relu6(torch):
    return _act(torch, torch.nn.ReLU6(), scale=8.0)


def case_mish(torch):
    return _act(torch, torch.nn.Mish())


def case_hardswish(torch):
    return _act(torch, torch.nn.Hardswish(), scale=5.0)


def case_hardsigmoid(torch):
    return _act(torch, torch.nn.Hardsigmoid(), scale=5.0)


def case_logsigmoid(torch):
    return _act(torch, torch.nn.LogSigmoid())


def case_softsign(torch):
    return _act(torch, torch.nn.Softsign())


def case_tanhshrink(torch):
    return _act(torch, torch.nn.Tanhshrink())


def case_threshold(torch):
    return _act(torch, torch.nn.Threshold(0.1, 20.0))


def case_glu(torch):
    return run_module(torch, torch.nn.GLU(dim=1), [det(torch, 3, 6)])


def case_prelu(torch):
    return run_module(torch, torch.nn.PReLU(3), [det(torch, 2, 3, 4, scale=2.0)])


def case_softmax2d(torch):
    return run_module(torch, torch.nn.Softmax2d(), [det(torch, 2, 3, 2, 2)])


def case_activation_reprs(torch):
    nn = torch.nn
    mods = [nn.ReLU(), nn.ReLU(inplace=True), nn.LeakyReLU(), nn.LeakyReLU(0.2, inplace=True),
            nn.GELU(), nn.SiLU(inplace=True), nn.Tanh(), nn.Sigmoid(), nn.Softmax(),
            nn.Softmax(dim=-1), nn.LogSoftmax(1), nn.ELU(), nn.ELU(inplace=True), nn.CELU(),
            nn.SELU(inplace=True), nn.Softplus(), nn.Hardtanh(), nn.Hardtanh(inplace=True),
            nn.ReLU6(), nn.ReLU6(inplace=True), nn.Mish(), nn.Hardswish(inplace=True),
            nn.Hardsigmoid(), nn.LogSigmoid(), nn.Softsign(), nn.Tanhshrink(),
            nn.Threshold(0.1, 2), nn.GLU(), nn.PReLU(), nn.Softmin(0), nn.Softmax2d()]
    return {"reprs": [repr(m) for m in mods],
            "hardtanh_bad": expect_error(lambda: nn.Hardtanh(1.0, 0.0))}


def case_relu_inplace(torch):
    m = torch.nn.ReLU(inplace=True)
    x = det(torch, 2, 3, requires_grad=True)
    y = x * 2
    z = m(y)
    (z * det(torch, 2, 3, seed=4)).sum().backward()
    return {"same": z is y, "z": z, "x": x, "grad_fn": type(z.grad_fn).__name__}


def case_hardshrink_softshrink(torch):
    return {"hard": _act(torch, torch.nn.Hardshrink(0.6)),
            "soft": _act(torch, torch.nn.Softshrink()),
            "reprs": [repr(torch.nn.Hardshrink()), repr(torch.nn.Softshrink(0.2))]}


def case_padding_modules(torch):
    nn = torch.nn
    mods = [nn.ZeroPad2d(2), nn.ZeroPad1d((1, 0)), nn.ConstantPad1d((1, 2), 3.5),
            nn.ConstantPad2d((1, 0, 2, 1), -1.0), nn.ReflectionPad2d(1),
            nn.ReplicationPad1d((2, 1)), nn.CircularPad2d((1, 1, 0, 2)), nn.ReplicationPad3d(1)]
    out = {"reprs": [repr(m) for m in mods]}
    for i, m in enumerate(mods):
        shape = (1, 1, 2, 3, 3) if "3d" in type(m).__name__ else (1, 2, 3, 3) if "2d" in type(
            m).__name__ else (1, 2, 4)
        out[str(i)] = run_module(torch, m, [det(torch, *shape)])
    out["circular_bad"] = expect_error(lambda: nn.CircularPad2d(1)(torch.ones(2, 2)))
    return out


def case_pairwise_distance(torch):
    m = torch.nn.PairwiseDistance(p=3.0, keepdim=True)
    rec = run_module(torch, m, [det(torch, 4, 3), det(torch, 4, 3, seed=1)])
    rec["repr"] = repr(torch.nn.PairwiseDistance())
    return rec
