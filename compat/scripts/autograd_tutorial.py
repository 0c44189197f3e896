# The seed autograd tutorial (shared/seed/autograd_tutorial.md), its code cells verbatim, except
# that w and b are fixed literals instead of torch.randn draws (exact RNG is checked elsewhere).
# %% In [1]
import torch 
x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.tensor([[ 0.4122, -1.1057,  0.7314],
                  [-0.2561,  1.3390, -0.8826],
                  [ 0.9043,  0.1158, -1.4471],
                  [-0.6735,  0.5029,  0.2264],
                  [ 0.0817,  1.7406, -0.5932]], requires_grad=True)
b = torch.tensor([0.3379, -0.7245, 1.0568], requires_grad=True)
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
