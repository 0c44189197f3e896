"""torch.save/torch.load in torch's zip format, both ways (compat/refs/serialization, made by
compat/gen_serialization.py with real torch 2.13): torch's files load here with every dtype, view,
Parameter and container intact; torchish's files load in real torch (verdict.json); the
weights_only default refuses crafted pickles with torch's exact error and runs no code."""

import importlib.util
import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import pytest

import torchish as torch

REFS = Path(__file__).resolve().parents[1] / "compat" / "refs" / "serialization"
EXPECTED = json.loads((REFS / "expected.json").read_text())
_spec = importlib.util.spec_from_file_location(
    "compat_gen_serialization", REFS.parents[1] / "gen_serialization.py")
G = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(G)


@pytest.mark.parametrize("name", list(G.PAYLOADS))
def test_loads_torch_checkpoint(name):
    got = torch.load(REFS / "torch" / f"{name}.pt")
    assert G.observe(torch, got) == EXPECTED["payloads"][name]


@pytest.mark.parametrize("name", list(G.PAYLOADS))
def test_round_trip(name):
    obj = G.PAYLOADS[name](torch)
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    assert G.observe(torch, torch.load(buf)) == G.observe(torch, obj)


def _records(source):
    with zipfile.ZipFile(source) as z:
        return {n.split("/", 1)[1]: z.read(n) for n in z.namelist()
                if not n.endswith("serialization_id")}


@pytest.mark.parametrize("name", ["state_dict", "nested"])
def test_writer_output_is_what_torch_verified(name, tmp_path):
    """The writer still produces the bytes real torch loaded when verdict.json was made."""
    torch.save(G.PAYLOADS[name](torch), tmp_path / f"{name}.pt")
    assert _records(tmp_path / f"{name}.pt") == _records(REFS / "torchish" / f"{name}.pt")


def test_real_torch_loaded_every_torchish_file():
    verdict = json.loads((REFS / "verdict.json").read_text())["loaded_by_torch"]
    assert verdict == {name: "ok" for name in G.PAYLOADS}


def test_layout_matches_torch():
    """Record names and order, 64-byte aligned data, archive folder named after the file."""
    raw = (REFS / "torchish" / "state_dict.pt").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        mine = [i.filename for i in z.infolist()]
        for i in z.infolist():
            head = raw[i.header_offset:i.header_offset + 30]
            start = (i.header_offset + 30 + int.from_bytes(head[26:28], "little")
                     + int.from_bytes(head[28:30], "little"))
            assert start % 64 == 0, i.filename
    with zipfile.ZipFile(REFS / "torch" / "state_dict.pt") as z:
        theirs = [i.filename for i in z.infolist()]
    assert mine == theirs
    buf = io.BytesIO()
    torch.save({}, buf)
    assert zipfile.ZipFile(buf).namelist()[0] == "archive/data.pkl"


CODE = {"posix_system": "touch {m}", "subprocess_call": "touch {m}",
        "builtins_eval": "open({m!r}, 'w')"}


@pytest.mark.parametrize("key", list(G.UNSAFE))
def test_crafted_pickle_is_refused_without_running(key, tmp_path):
    marker = tmp_path / "pwned"
    module, name = G.UNSAFE[key]
    bad = io.BytesIO()
    G.write_zip(bad, {"archive/data.pkl": G.unsafe_pickle(module, name,
                                                          CODE[key].format(m=str(marker))),
                      "archive/version": b"3\n"})
    with pytest.raises(pickle.UnpicklingError) as e:
        torch.load(io.BytesIO(bad.getvalue()))
    assert str(e.value) == EXPECTED["errors"][key]["message"]
    assert not marker.exists()


def test_cuda_tagged_checkpoint():
    path = REFS / "torch" / "cuda_tagged.pt"
    with pytest.raises(RuntimeError) as e:
        torch.load(path)
    assert str(e.value) == EXPECTED["errors"]["cuda_tagged"]["message"]
    for m in ("cpu", torch.device("cpu"), {"cuda:0": "cpu"}, lambda storage, loc: storage):
        assert G.observe(torch, torch.load(path, map_location=m)) == EXPECTED["cuda_tagged_mapped"]


def test_explicit_pickle_module_with_weights_only():
    with pytest.raises(RuntimeError) as e:
        torch.load(REFS / "torch" / "nested.pt", pickle_module=pickle, weights_only=True)
    assert str(e.value) == EXPECTED["errors"]["pickle_module"]["message"]


class Custom:
    def __init__(self, x):
        self.x = x


def test_weights_only_false_and_safe_globals(tmp_path):
    obj = {"c": Custom(torch.arange(3))}
    torch.save(obj, tmp_path / "c.pt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(tmp_path / "c.pt")
    got = torch.load(tmp_path / "c.pt", weights_only=False)
    assert got["c"].x.tolist() == [0, 1, 2]
    with torch.serialization.safe_globals([Custom]):
        assert torch.load(tmp_path / "c.pt")["c"].x.tolist() == [0, 1, 2]
    assert Custom not in torch.serialization.get_safe_globals()


def test_whole_module_pickle_and_state_dict_from_torch(tmp_path):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    model.load_state_dict(torch.load(REFS / "torch" / "state_dict.pt"))
    torch.save(model, tmp_path / "m.pt")
    again = torch.load(os.fspath(tmp_path / "m.pt"), weights_only=False)
    assert type(again) is nn.Sequential
    x = torch.ones(2, 3)
    model.eval()
    again.eval()
    assert again(x).tolist() == model(x).tolist()
    assert isinstance(again[0].weight, nn.Parameter)


def test_optimizer_state_from_torch_loads_into_torchish_optimizer():
    w = torch.zeros(2, 3, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    opt = torch.optim.Adam([{"params": [w]}, {"params": [b]}], amsgrad=True)
    opt.load_state_dict(torch.load(REFS / "torch" / "optimizer.pt"))
    assert opt.param_groups[1]["lr"] == 0.01
    assert opt.state[w]["step"].item() == 2.0
    w.grad, b.grad = torch.ones(2, 3), torch.ones(3)
    opt.step()
    assert opt.state[b]["step"].item() == 3.0
