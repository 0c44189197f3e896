# "Learning PyTorch with Examples", optim: the nn.Sequential polynomial fit updated by
# torch.optim.RMSprop.
import math

import torch

torch.manual_seed(0)

# %% data and model
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),
)
loss_fn = torch.nn.MSELoss(reduction="sum")

learning_rate = 1e-3
optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
print(optimizer)

# %% train
# 1500 of the tutorial's 2000 steps: past about 1500, RMSprop near the minimum amplifies last-bit
# differences (torch's own float64 run leaves its float32 run there), so no two implementations
# that round differently anywhere can agree on the digits.
for t in range(1500):
    y_pred = model(xx)

    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    optimizer.zero_grad()

    loss.backward()

    optimizer.step()

# %% result
linear_layer = model[0]
print(
    f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
    f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
)
state = optimizer.state_dict()
print(sorted(state["state"][0]), state["state"][0]["step"], state["param_groups"][0]["params"])
