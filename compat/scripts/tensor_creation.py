# Creating tensors and printing them: literals, factories, dtypes, shapes.
import torch

# %% literals
a = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(a)
print(a.shape, a.dtype, a.dim(), a.numel())
f = torch.tensor([0.5, -1.25, 3.0])
print(f, f.dtype)
print(torch.tensor(True), torch.tensor(2.5), torch.tensor(-7))

# %% factories
print(torch.zeros(2, 3))
print(torch.ones(2, dtype=torch.int32))
print(torch.full((2, 2), 1.5))
print(torch.eye(3))
print(torch.arange(5), torch.arange(1, 2, 0.25))
print(torch.linspace(0, 1, 5))
print(torch.zeros_like(a), torch.ones_like(f))

# %% float64 and other dtypes
d = torch.tensor([1.0, 2.0], dtype=torch.float64)
print(d)
print(torch.tensor([1, 0, 1], dtype=torch.bool))
print(torch.tensor([1.5, 2.5], dtype=torch.float16))

# %% numbers that need scientific notation or many digits
print(torch.tensor([1e-5, 1.0, 1000.0]))
print(torch.tensor([123456.0, 0.5]))
print(torch.tensor([1 / 3, 2 / 3]))

# %% item and tolist
print(f.sum().item(), a.tolist(), a[1, 2].item())
print(torch.Size([2, 3]), list(a.shape), len(a))
