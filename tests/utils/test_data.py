"""torch.utils.data against torch 2.13 (compat/refs/data.json): batches, collation, samplers,
seeded shuffles and the generator state they leave, lengths, errors and warnings."""

import importlib.util
import json
from pathlib import Path

import pytest

import torchish as torch

COMPAT = Path(__file__).resolve().parents[2] / "compat"
REFS = json.loads((COMPAT / "refs" / "data.json").read_text())["cases"]
_spec = importlib.util.spec_from_file_location("compat_gen_data", COMPAT / "gen_data.py")
G = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(G)


@pytest.mark.parametrize("code", list(REFS))
def test_matches_torch(code):
    assert G.run_case(torch, code) == REFS[code]


WORKER_REFS = json.loads((COMPAT / "refs" / "data.json").read_text())["worker_cases"]


@pytest.fixture(scope="module")
def importable_gen():
    """gen_data importable by name, so worker processes can unpickle its datasets."""
    import sys
    sys.path.insert(0, str(COMPAT))
    import gen_data
    yield gen_data
    sys.path.remove(str(COMPAT))


@pytest.mark.parametrize("code", list(WORKER_REFS))
def test_worker_processes_match_torch(code, importable_gen):
    """Worker seeds (torch, numpy, random), round-robin assignment and result order."""
    assert importable_gen.run_worker_case(torch, code) == WORKER_REFS[code]


def test_iterable_dataset_in_workers_replays_per_worker():
    from _data_helpers import Count, Failing
    dl = torch.utils.data.DataLoader(Count(5), batch_size=2, num_workers=2)
    assert [b.tolist() for b in dl] == [[0, 1], [0, 1], [2, 3], [2, 3], [4], [4]]
    with pytest.raises(ValueError, match="Caught ValueError in DataLoader worker process 0"):
        list(torch.utils.data.DataLoader(Failing(), batch_size=2, num_workers=1))


def test_same_dataset_in_process_then_in_workers():
    ds = torch.utils.data.TensorDataset(torch.arange(6.), torch.arange(6))
    first = [b[1].tolist() for b in torch.utils.data.DataLoader(ds, batch_size=4)]
    again = [b[1].tolist() for b in torch.utils.data.DataLoader(ds, batch_size=4, num_workers=1)]
    assert first == again == [[0, 1, 2, 3], [4, 5]]


def test_fork_start_method_is_refused():
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(4.)),
                                     num_workers=1, multiprocessing_context="fork")
    with pytest.raises(RuntimeError, match="cannot use the 'fork' start method"):
        iter(dl)


def test_tensor_dataset_batches_cost_no_program():
    """Batches of a TensorDataset arrive as data: one program per batch is the user's own."""
    ds = torch.utils.data.TensorDataset(torch.arange(40.).reshape(20, 2), torch.arange(20))
    torch.manual_seed(0)
    dl = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
    for x, y in dl:  # warm-up epoch
        (x.sum() + y.sum()).item()
    torch.reset_compile_cache_stats()
    for x, y in dl:
        (x.sum() + y.sum()).item()
    assert torch.compile_cache_stats()[1:] == (0, 5)
