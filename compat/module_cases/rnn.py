"""RNN/LSTM/GRU and their cells: outputs, final states, every parameter's gradient, reprs and
parameter names (the output's grad_fn is compared only where torchish records torch's node)."""

from _record import expect_error, warnings_of
from module_cases._util import det, fill, run_module


def _rnn(torch, module, inputs, chain=0):
    rec = run_module(torch, module, inputs, grad_fn_chain=chain)
    rec.pop("grad_fn")
    return rec


def case_rnn_tanh(torch):
    return _rnn(torch, torch.nn.RNN(3, 4), [det(torch, 5, 2, 3)])


def case_rnn_relu_two_layers(torch):
    return _rnn(torch, torch.nn.RNN(3, 4, 2, "relu"), [det(torch, 4, 2, 3, scale=2.0)])


def case_rnn_with_h0_batch_first(torch):
    m = torch.nn.RNN(2, 3, batch_first=True)
    return _rnn(torch, m, [det(torch, 2, 4, 2), det(torch, 1, 2, 3, seed=3)])


def case_rnn_bidirectional_unbatched(torch):
    m = torch.nn.RNN(2, 3, bidirectional=True, bias=False)
    return _rnn(torch, m, [det(torch, 4, 2)])


def case_lstm(torch):
    return _rnn(torch, torch.nn.LSTM(3, 4), [det(torch, 5, 2, 3)])


def case_lstm_with_state(torch):
    m = fill(torch, torch.nn.LSTM(2, 3))
    x = det(torch, 4, 2, 2, requires_grad=True)
    h0 = det(torch, 1, 2, 3, seed=5, requires_grad=True)
    c0 = det(torch, 1, 2, 3, seed=6, requires_grad=True)
    out, (h, c) = m(x, (h0, c0))
    (out.sum() + (h * 2).sum() + (c * 3).sum()).backward()
    return {"out": out, "h": h, "c": c, "x": x, "h0": h0, "c0": c0,
            "params": dict(m.named_parameters())}


def case_lstm_stacked_bidirectional_batch_first(torch):
    m = torch.nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True)
    return _rnn(torch, m, [det(torch, 2, 5, 3)])


def case_lstm_proj(torch):
    m = torch.nn.LSTM(3, 5, num_layers=2, proj_size=2)
    return _rnn(torch, m, [det(torch, 4, 2, 3)])


def case_lstm_unbatched(torch):
    return _rnn(torch, torch.nn.LSTM(2, 3, bidirectional=True), [det(torch, 3, 2)])


def case_gru(torch):
    return _rnn(torch, torch.nn.GRU(3, 4), [det(torch, 5, 2, 3)])


def case_gru_two_layers_bidirectional(torch):
    m = torch.nn.GRU(2, 3, num_layers=2, bidirectional=True, batch_first=True)
    return _rnn(torch, m, [det(torch, 2, 4, 2), det(torch, 4, 2, 3, seed=2)])


def case_dropout_eval_is_identity(torch):
    m = fill(torch, torch.nn.GRU(2, 3, num_layers=2, dropout=0.5)).eval()
    return m(det(torch, 3, 1, 2))


def case_rnn_cell(torch):
    return run_module(torch, torch.nn.RNNCell(3, 4), [det(torch, 2, 3), det(torch, 2, 4, seed=2)],
                      grad_fn_chain=2)


def case_rnn_cell_relu_unbatched(torch):
    return run_module(torch, torch.nn.RNNCell(3, 2, nonlinearity="relu"), [det(torch, 3)],
                      grad_fn_chain=2)


def case_lstm_cell(torch):
    m = torch.nn.LSTMCell(3, 2)
    rec = run_module(torch, m, [det(torch, 4, 3)], grad_fn_chain=2)
    m2 = fill(torch, torch.nn.LSTMCell(3, 2, bias=False))
    h, c = m2(det(torch, 3), (det(torch, 2, seed=1), det(torch, 2, seed=2)))
    rec["unbatched_with_state"] = [h, c]
    return rec


def case_gru_cell(torch):
    return run_module(torch, torch.nn.GRUCell(2, 3), [det(torch, 4, 2), det(torch, 4, 3, seed=1)],
                      grad_fn_chain=2)


def case_reprs_and_names(torch):
    nn = torch.nn
    mods = [nn.RNN(3, 4), nn.RNN(3, 4, 2, "relu"), nn.LSTM(3, 4, num_layers=2, batch_first=True),
            nn.GRU(3, 4, bias=False, bidirectional=True), nn.LSTM(3, 4, proj_size=2),
            nn.RNNCell(3, 4, nonlinearity="relu"), nn.LSTMCell(3, 4), nn.GRUCell(2, 3, bias=False)]
    return {"reprs": [repr(m) for m in mods],
            "names": [[n for n, _ in m.named_parameters()] for m in mods],
            "shapes": [[list(p.shape) for p in m.parameters()] for m in mods],
            "all_weights": [[list(p.shape) for p in ws] for ws in mods[3].all_weights]}


def case_errors(torch):
    nn = torch.nn
    lstm = nn.LSTM(3, 4)
    return {
        "input_size": expect_error(lambda: lstm(torch.ones(2, 1, 5))),
        "dims": expect_error(lambda: nn.GRU(3, 4)(torch.ones(2))),
        "hidden": expect_error(lambda: nn.RNN(3, 4)(torch.ones(2, 1, 3), torch.ones(1, 2, 4))),
        "hidden_lstm": expect_error(lambda: lstm(torch.ones(2, 1, 3),
                                                 (torch.ones(1, 1, 4), torch.ones(1, 1, 3)))),
        "hx_dims": expect_error(lambda: lstm(torch.ones(2, 1, 3),
                                             (torch.ones(1, 4), torch.ones(1, 4)))),
        "dtype": expect_error(lambda: lstm(torch.ones(2, 1, 3, dtype=torch.float64))),
        "ctor": [expect_error(lambda: nn.RNN(3, 4, nonlinearity="gelu")),
                 expect_error(lambda: nn.GRU(3, 4, proj_size=2)),
                 expect_error(lambda: nn.LSTM(3, 4, proj_size=4)),
                 expect_error(lambda: nn.LSTM(3, 4, dropout=2)),
                 expect_error(lambda: nn.LSTM(0, 4))],
        "dropout_warning": warnings_of(lambda: nn.LSTM(3, 4, dropout=0.5)),
        "cell": expect_error(lambda: nn.GRUCell(3, 4)(torch.ones(1, 1, 3))),
    }
