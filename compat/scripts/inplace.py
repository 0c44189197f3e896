# In-place ops, their version counter, and the errors autograd raises about them.
import torch

# %%
x = torch.ones(3)
x.add_(1).mul_(3)
x[0] = 0
print(x, x._version)

# %% a leaf that requires grad
w = torch.tensor([1.0, 2.0], requires_grad=True)
w.add_(1)

# %%
with torch.no_grad():
    w.mul_(2)
print(w, w.is_leaf, w.requires_grad)

# %% a value needed for backward was modified
a = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
b = a.sigmoid()
b.mul_(2)
b.sum().backward()

# %% in-place on a non-leaf that is not needed: fine
c = a * 2
c.add_(1)
c.sum().backward()
print(c, c.grad_fn, a.grad)

# %% views share data and version
base = torch.zeros(2, 3)
row = base[1]
row.fill_(4.0)
print(base, base._version, row._version)
