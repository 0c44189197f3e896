# torch.autograd.grad, retain_graph, create_graph (higher derivatives), grad accumulation.
import torch

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
(g,) = torch.autograd.grad(y, x, retain_graph=True)
print(g, x.grad)
y.backward()
print(x.grad)

# %% accumulation
y = (x * 3).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
x.grad.zero_()
print(x.grad)

# %% second derivative
t = torch.tensor(2.0, requires_grad=True)
f = t ** 3 - 2 * t
(df,) = torch.autograd.grad(f, t, create_graph=True)
(d2f,) = torch.autograd.grad(df, t)
print(f, df, d2f)

# %% retain_grad and grad of several inputs
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
h = a * b
h.retain_grad()
out = (h.exp() / h.exp().sum()).max()
out.backward()
print(out, h.grad, a.grad, b.grad)

# %% backward twice without retain_graph
z = (a * a).sum()
z.backward()
z.backward()

# %% non-scalar outputs
(a * 2).backward()

# %%
(a * 2).backward(torch.tensor([1.0, -1.0]))
print(a.grad)
