# Seeded random numbers as a tutorial prints them: the default generator, an explicit one, state
# save/restore, fork_rng, and the in-place fills.
# %%
import torch

torch.manual_seed(42)
print(torch.rand(2, 3))
print(torch.randn(4))
print(torch.randn(2, 8, dtype=torch.float64))
print(torch.randint(0, 10, (3, 4)))
print(torch.randperm(10))
print(torch.initial_seed())

# %% an explicit generator
g = torch.Generator().manual_seed(2147483647)
print(g)
print(g.initial_seed(), g.device)
print(torch.rand(5, generator=g))
print(torch.normal(2.0, 3.0, size=(2, 2), generator=g))
print(torch.normal(torch.arange(4.0), torch.ones(4), generator=g))
print(g.get_state())

# %% save and restore the state
state = torch.get_rng_state()
a = torch.randn(3)
torch.set_rng_state(state)
b = torch.randn(3)
print(a, b, (a == b).all())

# %% fork_rng leaves the default generator where it was
with torch.random.fork_rng():
    print(torch.rand(2))
print(torch.rand(2))

# %% in-place fills
w = torch.empty(3, 5)
print(w.uniform_(-1, 1))
print(w.normal_(0, 0.02))
print(torch.empty(6).exponential_())
print(torch.empty(6).geometric_(0.3))
print(torch.empty(2, 6).bernoulli_(0.25))
print(torch.empty(6, dtype=torch.int64).random_(-5, 5))
print(torch.multinomial(torch.tensor([0.1, 0.3, 0.6]), 8, replacement=True))
print(torch.bernoulli(torch.tensor([0.0, 0.5, 1.0])))

# %% errors
torch.randint(5, 5, (2,))

# %%
torch.multinomial(torch.ones(3), 4)
