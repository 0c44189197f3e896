# Indexing reads (ints, slices, negative steps are not allowed, fancy and boolean) and writes.
import torch

# %% reads
x = torch.arange(12).view(3, 4)
print(x[0], x[-1], x[1, 2], x[:, 1], x[1:, ::2])
print(x[[0, 2]], x[x > 8], x[..., -1], x[None, 0].shape)

# %% writes
y = torch.zeros(3, 4)
y[0] = 1
y[:, 1] = torch.tensor([7.0, 8.0, 9.0])
y[y == 0] = -1
y[2, 3] += 5
print(y)

# %% index_select, gather, masked_fill, where
print(x.index_select(1, torch.tensor([0, 3])))
print(x.gather(1, torch.tensor([[0], [1], [2]])))
print(x.masked_fill(x % 2 == 0, 0))
print(torch.where(x > 5, x, -x))

# %% errors
print(x[3])

# %%
print(x[:, 4])

# %%
print(x[::-1])
