# dtype promotion as torch does it (0-d tensors and Python scalars do not widen a dimensioned tensor).
import torch

# %%
i32 = torch.tensor([1, 2], dtype=torch.int32)
i64 = torch.tensor([1, 2])
f16 = torch.tensor([1.0, 2.0], dtype=torch.float16)
print((i32 + i64).dtype, (i32 + torch.tensor(1)).dtype, (f16 + torch.tensor(1.0)).dtype)
print((i64 * 2.5).dtype, i64 * 2.5)
print((i64 / i64).dtype, i64 / i64)
print((i64 // 2).dtype, (i64 + True).dtype, (torch.tensor([True]) + torch.tensor([True])).dtype)

# %%
print(torch.get_default_dtype())
print(torch.tensor([1.0]).double().dtype, torch.tensor([1.0]).to(torch.int64))
print(torch.promote_types(torch.int32, torch.float16), torch.result_type(i32, 2.5))

# %%
print(torch.tensor([1.7, -1.7]).long(), torch.tensor([0.0, 3.0]).bool())
print(torch.tensor([3, 4]).float().mean())

# %%
print(torch.tensor([3, 4]).mean())
