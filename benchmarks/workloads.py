"""The benchmark workloads, written once in torch API: `make(torch)` returns (state, step).

Each takes the torch-like module as a parameter so the same code runs under real torch and under
torchish. Shapes and hyper-parameters follow ../shared/perf-baseline.md.
"""

import math


def seed(torch):
    """The autograd tutorial's graph: x @ w + b, BCE-with-logits, backward (no update)."""
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.linspace(-1, 1, 15).reshape(5, 3).requires_grad_()
    b = torch.linspace(-0.5, 0.5, 3).requires_grad_()

    def step():
        z = torch.matmul(x, w) + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        loss.backward()
        w.grad = None
        b.grad = None
        return loss
    return step


def polyfit(torch):
    """Cubic fit of sin on 2000 points, manual SGD under no_grad (the tensors-and-autograd
    tutorial)."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, requires_grad=True) for v in (0.1, -0.2, 0.05, 0.01))
    lr = 1e-6

    def step():
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
        return loss
    return step


def _train_step(torch, model, opt, x, y):
    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def mlp_setup(torch):
    """784-512-512-10 classifier, batch 64: (model, (x, y))."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512),
                          nn.ReLU(), nn.Linear(512, 10))
    return model, (torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))


def mlp(torch):
    """mlp_setup trained with CrossEntropy and plain SGD."""
    model, (x, y) = mlp_setup(torch)
    return _train_step(torch, model, torch.optim.SGD(model.parameters(), lr=0.01), x, y)


def cnn_setup(torch):
    """conv32-pool-conv64-pool-fc128-fc10 on 28x28 inputs, batch 64: (model, (x, y))."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),  # (B, 32, 13, 13)
                          nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),  # (B, 64, 5, 5)
                          nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
    return model, (torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))


def cnn(torch):
    """cnn_setup trained with CrossEntropy and plain SGD."""
    model, (x, y) = cnn_setup(torch)
    return _train_step(torch, model, torch.optim.SGD(model.parameters(), lr=0.01), x, y)


GPT_CONFIG = dict(vocab=65, block=64, n_embd=128, n_head=4, n_layer=2, batch=16)


def gpt_setup(torch):
    """nanoGPT (model.py without dropout, untied lm_head, manual attention): (model, (idx,
    targets))."""
    nn, F = torch.nn, torch.nn.functional
    c = GPT_CONFIG

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"])
            self.c_proj = nn.Linear(c["n_embd"], c["n_embd"])
            n = c["block"]
            self.register_buffer("bias", torch.tril(torch.ones(n, n)).view(1, 1, n, n))

        def forward(self, x):
            B, T, C = x.size()
            nh = c["n_head"]
            q, k, v = self.c_attn(x).split(C, dim=2)
            k = k.view(B, T, nh, C // nh).transpose(1, 2)  # (B, nh, T, hs)
            q = q.view(B, T, nh, C // nh).transpose(1, 2)  # (B, nh, T, hs)
            v = v.view(B, T, nh, C // nh).transpose(1, 2)  # (B, nh, T, hs)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))  # (B, nh, T, T)
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            att = F.softmax(att, dim=-1)
            y = att @ v  # (B, nh, T, hs)
            y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
            return self.c_proj(y)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1 = nn.LayerNorm(c["n_embd"])
            self.attn = Attention()
            self.ln_2 = nn.LayerNorm(c["n_embd"])
            self.mlp = nn.Sequential(nn.Linear(c["n_embd"], 4 * c["n_embd"]), nn.GELU(),
                                     nn.Linear(4 * c["n_embd"], c["n_embd"]))

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Embedding(c["vocab"], c["n_embd"])
            self.wpe = nn.Embedding(c["block"], c["n_embd"])
            self.h = nn.ModuleList([Block() for _ in range(c["n_layer"])])
            self.ln_f = nn.LayerNorm(c["n_embd"])
            self.lm_head = nn.Linear(c["n_embd"], c["vocab"], bias=False)

        def forward(self, idx):
            b, t = idx.size()
            pos = torch.arange(0, t, dtype=torch.long)
            x = self.wte(idx) + self.wpe(pos)  # (B, T, C)
            for block in self.h:
                x = block(x)
            return self.lm_head(self.ln_f(x))  # (B, T, vocab)

    torch.manual_seed(0)
    model = GPT()
    idx = torch.randint(0, c["vocab"], (c["batch"], c["block"]))
    return model, (idx, torch.randint(0, c["vocab"], (c["batch"], c["block"])))


def gpt(torch):
    """gpt_setup trained with AdamW (torch's defaults, lr 1e-3)."""
    F = torch.nn.functional
    model, (idx, targets) = gpt_setup(torch)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        logits = model(idx)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        loss.backward()
        opt.step()
        return loss
    return step


WORKLOADS = {"seed": seed, "polyfit": polyfit, "mlp": mlp, "cnn": cnn, "gpt": gpt}
