"""Record real torch's torch.utils.data behaviour for tests/utils.

Run with the reference env (real torch, never imported by torchish):
    .venv-torch/bin/python compat/gen_data.py
Writes compat/refs/data.json: for each snippet below, what it left in `out` (observe(): types,
dtypes, shapes and values of every batch) or the error it raised, and its warnings. Snippets run
with `torch` bound to the library under test, `D = torch.utils.data`, numpy as `np`, and helper
datasets defined in SETUP; the default generator is seeded with 0 first, so shuffles and the
generator state afterwards (`torch.randn` at the end of some snippets) must match torch's.
"""

import math
import sys
from pathlib import Path

import numpy as np

SETUP = '''
from collections import namedtuple
Pair = namedtuple("Pair", ["x", "y"])
X = torch.arange(30.).reshape(10, 3)
Y = torch.arange(10)
TD = D.TensorDataset(X, Y)

class Squares(D.Dataset):
    def __len__(self):
        return 7
    def __getitem__(self, i):
        return {"i": i, "sq": float(i * i), "name": f"n{i}", "v": torch.tensor([i, -i]),
                "np": np.array([i, 2 * i], dtype=np.int32), "f32": np.float32(i / 2),
                "flag": i % 2 == 0, "pair": Pair(i, torch.tensor(float(i)))}

class Count(D.IterableDataset):
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return iter(range(self.n))
    def __len__(self):
        return self.n
'''

CASES = [
    "out = list(D.DataLoader(TD, batch_size=4))",
    "out = list(D.DataLoader(TD, batch_size=4, drop_last=True))",
    "out = [list(D.DataLoader(TD, batch_size=3, shuffle=True)) for _ in range(2)] + "
    "[torch.randn(3)]",
    "g = torch.Generator().manual_seed(5)\n"
    "out = [list(D.DataLoader(TD, batch_size=4, shuffle=True, generator=g)), torch.randn(2), "
    "g.initial_seed()]",
    "out = list(D.DataLoader(TD, batch_size=3, sampler=D.SubsetRandomSampler(range(3, 10))))",
    "s = D.WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.0], 12)\nout = [list(s), list(s)]",
    "out = list(D.WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.0], 4, replacement=False))",
    "out = list(D.RandomSampler(range(10), replacement=True, num_samples=40))",
    "out = list(D.RandomSampler(range(4), num_samples=10))",
    "out = list(D.RandomSampler(range(6), generator=torch.Generator().manual_seed(1)))",
    "out = list(D.DataLoader(TD, batch_sampler=D.BatchSampler(D.SequentialSampler(TD), 3, "
    "False)))",
    "out = list(D.DataLoader(TD, batch_size=None))[:3]",
    "out = list(D.DataLoader(TD, batch_size=4, collate_fn=lambda b: b))[0]",
    "out = list(D.DataLoader(Squares(), batch_size=3))",
    "out = list(D.DataLoader(Squares(), batch_size=None))[:2]",
    "out = list(D.DataLoader(Count(7), batch_size=3))",
    "out = list(D.DataLoader(Count(7), batch_size=3, drop_last=True))",
    "out = list(D.DataLoader(Count(3) + Count(2), batch_size=2))",
    "out = [len(D.DataLoader(TD, batch_size=3)), len(D.DataLoader(TD, batch_size=3, "
    "drop_last=True)), len(D.DataLoader(Count(7), batch_size=2)), "
    "len(D.BatchSampler(range(10), 4, False))]",
    "c = D.ConcatDataset([TD, D.Subset(TD, [9, 8])])\nout = [len(c), c[10], c[-1], "
    "c.cumulative_sizes, (TD + TD)[15]]",
    "a, b = D.random_split(range(10), [7, 3])\nout = [list(a), list(b), torch.randn(1)]",
    "parts = D.random_split(range(11), [0.5, 0.3, 0.2], generator=torch.Generator()."
    "manual_seed(42))\nout = [list(p) for p in parts]",
    "out = list(D.random_split(range(3), [0.5, 0.5, 0.0])[2])",
    "out = D.StackDataset(TD, Squares() if False else TD)[2]",
    "out = D.StackDataset(a=TD, b=range(10))[3]",
    "out = D.default_collate([np.array([1.5, 2.5]), np.array([3.5, 4.5])])",
    "out = D.default_collate([(1, 2.0, 'a', True), (3, 4.0, 'b', False)])",
    "out = D.default_collate([[1, 2], [3, 4]])",
    "out = D.default_collate([np.int64(3), np.int64(4)])",
    "out = D.default_collate([np.float64(0.5), np.float64(1.5)])",
    "out = D.default_collate([{'a': {'b': torch.ones(2)}}, {'a': {'b': torch.zeros(2)}}])",
    "out = D.default_convert([np.array([1, 2]), (np.float32(3.0), 'x')])",
    "out = D.default_collate([[1, 2], [3]])",
    "out = D.default_collate([object(), object()])",
    "out = D.default_collate([np.array(['a']), np.array(['b'])])",
    "D.DataLoader(TD, shuffle=True, sampler=D.SequentialSampler(TD))",
    "D.DataLoader(TD, batch_size=2, batch_sampler=D.BatchSampler(range(10), 2, False))",
    "D.DataLoader(TD, batch_size=None, drop_last=True)",
    "D.DataLoader(Count(3), shuffle=True)",
    "D.DataLoader(Count(3), sampler=[0, 1])",
    "D.DataLoader(TD, num_workers=-1)",
    "D.DataLoader(TD, prefetch_factor=2)",
    "D.DataLoader(TD, persistent_workers=True)",
    "dl = D.DataLoader(TD)\ndl.batch_size = 3",
    "D.BatchSampler(range(3), 0, False)",
    "D.BatchSampler(range(3), 2, 1)",
    "D.RandomSampler(range(3), num_samples=0)",
    "D.RandomSampler(range(3), replacement=1)",
    "D.WeightedRandomSampler([[1.0, 2.0]], 2)",
    "D.WeightedRandomSampler([1.0, 2.0], 0)",
    "D.TensorDataset(torch.ones(3), torch.ones(4))",
    "D.random_split(range(10), [3, 3])",
    "D.random_split(range(10), [1.5, -0.5])",
    "D.ConcatDataset([])",
    "D.ConcatDataset([Count(2)])",
    "TD[0:3]\nout = TD[2:5]",
    "out = list(D.DataLoader(D.Subset(TD, [1, 3, 5, 7]), batch_size=3, shuffle=True))",
    "dl = D.DataLoader(Count(5), batch_size=2)\nlen(dl)\nout = list(dl)",
    "out = D.get_worker_info()",
]


class WorkerProbe:
    """A map-style dataset reporting which worker fetched each index and what its seeded
    generators (torch, numpy, random) draw there. Importable as gen_data.WorkerProbe."""

    def __init__(self, lib, n):
        self.lib, self.n = lib, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        import importlib
        import random
        torch = importlib.import_module(self.lib)
        info = torch.utils.data.get_worker_info()
        return {"i": i, "wid": info.id if info else -1, "seed": info.seed if info else -1,
                "nw": info.num_workers if info else 0,
                "t": torch.randint(0, 10 ** 6, (1,)).item(),
                "np": int(np.random.randint(10 ** 6)), "py": random.randint(0, 10 ** 6)}


# run with num_workers > 0 (worker processes); `lib` is the library's module name
WORKER_CASES = [
    "out = list(D.DataLoader(WorkerProbe(lib, 9), batch_size=2, num_workers=2))",
    "out = [list(D.DataLoader(WorkerProbe(lib, 6), batch_size=2, shuffle=True, num_workers=2)), "
    "torch.randn(2)]",
    "out = list(D.DataLoader(D.TensorDataset(torch.arange(10.)), batch_size=3, num_workers=2))",
    "out = list(D.DataLoader(D.TensorDataset(torch.arange(5.)), batch_size=None, "
    "num_workers=2))",
]


def run_worker_case(torch, code):
    torch.manual_seed(0)
    ns = {"torch": torch, "D": torch.utils.data, "np": np, "lib": torch.__name__,
          "WorkerProbe": WorkerProbe}
    try:
        exec(code, ns)
        return {"out": observe(torch, ns.get("out"))}
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__, "message": str(e)}


def observe(torch, obj):
    """A JSON picture of a loader's output: container types, tensor dtypes/shapes/values."""
    if isinstance(obj, torch.Tensor):
        return {"tensor": str(obj.dtype), "shape": list(obj.shape),
                "values": obj.detach().reshape(-1).tolist()}
    if isinstance(obj, np.ndarray):
        return {"ndarray": str(obj.dtype), "values": obj.tolist()}
    if isinstance(obj, np.generic):
        return {"numpy": str(obj.dtype), "value": obj.item()}
    if isinstance(obj, dict):
        return {type(obj).__name__: [[observe(torch, k), observe(torch, v)]
                                     for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return {type(obj).__name__: [observe(torch, v) for v in obj]}
    if isinstance(obj, range):
        return {"range": [obj.start, obj.stop, obj.step]}
    if isinstance(obj, float) and not math.isfinite(obj):
        return {"float": repr(obj)}
    return obj


def run_case(torch, code):
    """Run one snippet after SETUP with the default generator seeded to 0."""
    import warnings
    D = torch.utils.data
    torch.manual_seed(0)
    ns = {"torch": torch, "D": D, "np": np}
    exec(SETUP, ns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, ns)
            rec = {"out": observe(torch, ns.get("out"))}
        except Exception as e:  # noqa: BLE001 - the error is the observation
            rec = {"error": type(e).__name__, "message": str(e)}
    rec["warnings"] = [str(w.message) for w in caught]
    return rec


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _refs import REFS, check_torch, write_json
    torch = check_torch()
    import torch.utils.data  # noqa: F401
    cases = {code: run_case(torch, code) for code in CASES}
    workers = {code: run_worker_case(torch, code) for code in WORKER_CASES}
    write_json(REFS / "data.json", {"torch": torch.__version__, "setup": SETUP, "cases": cases,
                                    "worker_cases": workers})


if __name__ == "__main__":
    main()
