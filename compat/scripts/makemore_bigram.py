# A makemore-style character bigram model: counts, sampling, likelihood, then the same model as a
# one-hot linear layer trained by gradient descent, all on one seeded torch.Generator.
# %%
import torch
import torch.nn.functional as F

words = ["avrel", "bastin", "corla", "dremy", "elvana", "fenwick", "gorsa", "halvie", "ismond",
         "jarrow", "kelby", "lunette", "marek", "nolvie", "orsin", "pavla", "quenby", "rostam",
         "sevrin", "talia", "ulmer", "veska", "wendor", "xylia", "yarek", "zorina", "aldric",
         "brenna", "cylas", "dovie", "emrick", "fiora"]
chars = [chr(ord("a") + i) for i in range(26)]
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
print(len(words), len(stoi))

# %% count the bigrams
N = torch.zeros((27, 27), dtype=torch.int32)
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
print(N.dtype, N.shape, N.sum().item())
print(N[0])
print(N[stoi["a"], :10])

# %% probabilities with add-one smoothing
P = (N + 1).float()
P /= P.sum(1, keepdim=True)
print(P[0])
print(f"{P[0].sum().item():.4f}")

# %% sample names from the counts
g = torch.Generator().manual_seed(2147483647)
p = P[0]
print(torch.multinomial(p, num_samples=20, replacement=True, generator=g))
for i in range(10):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))

# %% the average negative log-likelihood
log_likelihood = 0.0
n = 0
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        prob = P[stoi[ch1], stoi[ch2]]
        log_likelihood += torch.log(prob)
        n += 1
print(f"{log_likelihood=}")
nll = -log_likelihood
print(f"{nll=}")
print(f"{nll / n:.4f}")

# %% the training set of bigrams
xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
num = xs.nelement()
print("number of examples:", num)
print(xs[:8], ys[:8])

# %% a one-hot linear model, initialised from the generator
g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)
print(W[0, :6])
xenc = F.one_hot(xs, num_classes=27).float()
print(xenc.shape, xenc.dtype)

# %% gradient descent
for k in range(20):
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdim=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W**2).mean()
    print(f"step {k:2d}: loss {loss.item():.4f}")
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad

# %% sample from the trained model
g = torch.Generator().manual_seed(2147483647)
for i in range(10):
    out = []
    ix = 0
    while True:
        xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
        logits = xenc @ W
        counts = logits.exp()
        p = counts / counts.sum(1, keepdim=True)
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    print("".join(out))
print(g.initial_seed())
