# A tiny training loop written by hand: fit y = 2x + 1 with gradient descent on fixed data.
import torch

# %% data
x = torch.linspace(-1, 1, 8).unsqueeze(1)
y = 2 * x + 1 + 0.1 * torch.cos(7 * x)
w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
print(x.shape, y.shape)

# %% train
lr = 0.2
for step in range(30):
    pred = x @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if step % 10 == 0:
        print(step, loss)

# %% result
print(w, b)
print(f"final loss {loss.item():.6f}, w={w.item():.4f}, b={b.item():.4f}")
print(loss.grad_fn, pred.grad_fn, w.is_leaf, w._version)
