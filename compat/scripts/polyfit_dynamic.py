# "Learning PyTorch with Examples", control flow + weight sharing: a third-to-fifth order polynomial
# whose forward picks 4 or 5 at random and reuses the same parameter e for every higher order term.
import math
import random

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        """A random number of extra x**exp terms, all weighted by the same parameter e."""
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x**exp
        return y

    def string(self):
        return (
            f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3 "
            f"+ {self.e.item()} x^4 ? + {self.e.item()} x^5 ?"
        )


torch.manual_seed(0)
random.seed(0)

# %% data and model
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

model = DynamicNet()
print(model.string())

criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)

# %% train
for t in range(2000):
    y_pred = model(x)

    loss = criterion(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# %% result
print(f"Result: {model.string()}")
# e's gradient and momentum are sums of 2000 terms of size ~1e4: print them by value (.item()), as a
# tensor's 4 decimals at this size are finer than float32 resolves (one float32 ulp is ~0.002 here)
print(model.e.grad.item(), model.e.grad.shape)
print(sorted(optimizer.state_dict()["state"][4]), optimizer.state_dict()["state"][4]["momentum_buffer"].item())
