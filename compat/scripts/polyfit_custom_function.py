# "Learning PyTorch with Examples", defining new autograd functions: y = a + b * P3(c + d * x)
# with the Legendre polynomial P3 as a torch.autograd.Function saving its input for backward.
import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    """P3(x) = 1/2 (5x^3 - 3x), with its derivative 3/2 (5x^2 - 1) written by hand."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


torch.manual_seed(0)

# %% data and weights
dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# Weights initialized not too far from the correct result, for convergence.
a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
print(a, b, c, d)

# %% one forward through the Function
P3 = LegendrePolynomial3.apply
out = P3(torch.tensor([-1.0, 0.0, 0.5, 2.0], requires_grad=True))
print(out)
print(type(out.grad_fn).__name__, out.grad_fn.next_functions)
out.sum().backward()

# %% train
learning_rate = 5e-6
for t in range(2000):
    P3 = LegendrePolynomial3.apply

    y_pred = a + b * P3(c + d * x)

    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    loss.backward()

    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

# %% result
print(f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)")
print(y_pred.grad_fn.next_functions[1][0].next_functions)
