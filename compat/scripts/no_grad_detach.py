# no_grad, enable_grad, set_grad_enabled, detach and requires_grad_.
import torch

# %%
w = torch.tensor([0.5, -0.5], requires_grad=True)
print(torch.is_grad_enabled())
with torch.no_grad():
    y = w * 2
    print(torch.is_grad_enabled(), y.requires_grad, y.grad_fn)
    with torch.enable_grad():
        z = w * 2
    print(z.requires_grad, z.grad_fn)
print(torch.is_grad_enabled())

# %%
with torch.set_grad_enabled(False):
    print((w + 1).requires_grad)
d = (w * 3).detach()
print(d, d.requires_grad, d.is_leaf, d.grad_fn)

# %% requires_grad_ on a plain tensor
p = torch.linspace(0, 1, 3)
print(p.requires_grad)
p.requires_grad_()
(p * p).sum().backward()
print(p.grad)

# %% detach blocks the gradient
q = torch.tensor([2.0], requires_grad=True)
(q * q.detach()).sum().backward()
print(q.grad)

# %% decorated function
@torch.no_grad()
def step(t):
    return t * 10

print(step(w).requires_grad, torch.is_grad_enabled())
