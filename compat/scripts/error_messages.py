# Errors torch raises, printed as a notebook prints the last line of a traceback.
import torch

# %%
torch.tensor([1, 2], requires_grad=True)

# %%
torch.ones(2, 3) @ torch.ones(2, 3)

# %%
torch.ones(2, 3) + torch.ones(4)

# %%
torch.tensor([1.0], requires_grad=True).numpy()

# %%
torch.ones(3).sum().backward()

# %%
torch.ones(2).item()

# %%
torch.arange(6).view(4)

# %%
torch.ones(2, 3).t().view(6)

# %%
torch.tensor([1.0], requires_grad=True).add_(1)

# %%
print(torch.tensor([1.0], requires_grad=True).detach().numpy(), "done")
