# "Learning PyTorch with Examples", nn module: the polynomial fit as
# nn.Sequential(Linear(3, 1), Flatten(0, 1)) with MSELoss(reduction='sum') and a manual update.
import math

import torch

torch.manual_seed(0)

# %% data
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# The input is (x, x^2, x^3): a tensor of shape (2000, 3).
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print(xx.shape, xx.dtype, xx[-1])

# %% model
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),
)
loss_fn = torch.nn.MSELoss(reduction="sum")
print(model)
print(model[0].weight, model[0].bias)

# %% train
learning_rate = 1e-6
for t in range(2000):
    y_pred = model(xx)

    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    model.zero_grad()

    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

# %% result
linear_layer = model[0]
print(
    f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
    f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
)
print(y_pred.shape, y_pred.grad_fn, loss.grad_fn)
print([name for name, _ in model.named_parameters()])
