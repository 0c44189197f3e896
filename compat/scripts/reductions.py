# Reductions: sum, mean, max/min (with and without dim), keepdim, argmax, std/var, prod, cumsum.
import torch

# %%
x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
print(x.sum(), x.sum(0), x.sum(1), x.sum(dim=1, keepdim=True))
print(x.mean(), x.mean(dim=0), x.mean(-1, keepdim=True).shape)

# %%
print(x.max(), x.min())
print(x.max(dim=1))
values, indices = x.min(0)
print(values, indices)
print(x.argmax(), x.argmax(dim=1), x.amax(dim=0))

# %%
print(x.std(), x.var(dim=1), x.var(dim=1, unbiased=False))
print(x.prod(1), x.cumsum(1), x.norm())

# %%
i = torch.arange(6).view(2, 3)
print(i.sum(), i.sum(0).dtype, (i > 2).sum(), (i > 2).any(), (i >= 0).all())

# %%
print(torch.ones(2, 3).sum(2))
