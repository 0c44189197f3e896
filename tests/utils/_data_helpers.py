"""Datasets for worker-process tests (importable by name, so workers can unpickle them)."""

import torchish as torch


class Count(torch.utils.data.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class Failing(torch.utils.data.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        raise ValueError(f"bad index {i}")
