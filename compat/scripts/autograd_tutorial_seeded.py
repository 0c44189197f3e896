# The seed autograd tutorial (shared/seed/autograd_tutorial.md), its code cells verbatim, with
# torch.manual_seed(0) added after the import: it passes once torchish draws torch's exact streams.
# %% In [1]
import torch 
torch.manual_seed(0)
x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

# %% In [2]
print(loss)

# %% In [3]
print(z)

# %% In [4]
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")

# %% In [5]
print(w.grad)

# %% In [6]
loss.backward()
print(w.grad)
print(b.grad)

# %% In [7]
# compute gradient twice
loss.backward()
print(w.grad)
# output : RuntimeError: Trying to backward through the graph a second time

# %% In [8]
z = x @ w + b 
print(z.requires_grad)

with torch.no_grad():
    z = x @ w + b 
print(z.requires_grad)

# %% In [10]
z = torch.matmul(x, w ) + b 
z_det = z.detach()
print(z_det.requires_grad) 
