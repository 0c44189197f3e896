# Broadcasting arithmetic between tensors of different shapes, and with Python scalars.
import torch

# %%
col = torch.arange(3.0).reshape(3, 1)
row = torch.tensor([10.0, 20.0, 30.0, 40.0])
print(col + row)
print((col * row).shape)

# %%
m = torch.linspace(-1, 1, 6).view(2, 3)
print(m)
print(m - m.mean(dim=0))
print(m / m.sum(dim=1, keepdim=True))
print(2 ** m, m ** 2, 1 - m)

# %%
x = torch.arange(4)
print(x * 2, x + 0.5, x / 2, x // 2, x % 3, -x)

# %% incompatible shapes
print(torch.ones(2, 3) + torch.ones(3, 2))

# %%
print(torch.ones(2, 1, 3).expand(2, 4, 3).shape, torch.broadcast_shapes((2, 1), (1, 5)))
