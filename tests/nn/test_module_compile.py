"""Fixed-shape training loops over nn modules compile once: after 3 warm-up steps, no cache misses
and at most 2 XLA executions per step (forward observed by loss.item(), backward + step)."""

import pytest

import torchish as torch

nn = torch.nn


def _cnn():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Dropout(0.2), nn.Flatten(), nn.Linear(3 * 3 * 3, 4))


class _Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 6, padding_idx=0)
        self.rnn = nn.LSTM(6, 5, batch_first=True, num_layers=2, dropout=0.1)
        self.enc = nn.TransformerEncoderLayer(5, 1, 8, dropout=0.1, batch_first=True)
        self.norm = nn.GroupNorm(1, 5)
        self.head = nn.Linear(5, 4)

    def forward(self, idx):
        h, _ = self.rnn(self.emb(idx))  # (B, T, 5)
        h = self.enc(h)
        h = self.norm(h.transpose(1, 2)).mean(-1)  # (B, 5)
        return self.head(h)


CASES = {
    "cnn": (_cnn, lambda: torch.randn(4, 1, 8, 8)),
    "seq": (_Seq, lambda: torch.randint(0, 10, (3, 7))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_training_loop_compiles_once(name):
    make, data = CASES[name]
    torch.manual_seed(0)
    model = make()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = data(), torch.randint(0, 4, (4 if name == "cnn" else 3,))
    loss_fn = nn.CrossEntropyLoss()
    stats = []
    for _ in range(6):
        torch.reset_compile_cache_stats()
        loss = loss_fn(model(x), y)
        loss.item()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        stats.append(torch.compile_cache_stats())
    for hits, misses, executions in stats[3:]:
        assert misses == 0, stats
        assert executions <= 2, stats
