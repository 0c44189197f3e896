"""A 10,000-step training loop keeps a flat memory profile (issue 5), pinned by counts, not time.

Between step 1,000 and step 10,000 of a fixed-shape loop nothing accumulates: not the live
torchish objects (Tensors, pending Values, recorded Nodes: a graph chained to the previous step's
graph would grow them), not the live JAX device buffers, not the engine's caches (compiled
programs, per-op shape inference, backward segment ops), and not the Python heap as tracemalloc
sees it.
"""

import gc
import sys
import tracemalloc

import jax
import pytest

import training_loops

import torchish as torch
import torchish.nn as nn
import torchish.nn.functional as F
from torchish import _dispatch, _lazy
from torchish._ops._registry import OPS, OpDef
from torchish.autograd import _segment

WARM, STEPS = 1_000, 10_000
TRACED = 800  # steps run under tracemalloc (it slows a step ~5x): 200 settle, 600 measured
HEAP_SLACK = 8 << 10  # bytes (~1 KiB seen); one leaked small object a step is >= 600 * 16 bytes


# ---- the loops: each returns a step() ---------------------------------------------------------

def polyfit():
    """The tensors-and-autograd tutorial: cubic fit of sin, manual SGD under no_grad."""
    return training_loops.manual_sgd()[0]


def mlp(opt_name, item_first=False, **kw):
    """A small MLP, cross-entropy and a torch.optim optimizer; `item_first` reads the loss
    before backward (the forward then runs as a program of its own)."""
    def make():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 3))
        opt = getattr(torch.optim, opt_name)(model.parameters(), **kw)
        x, y = torch.randn(8, 10), torch.randint(0, 3, (8,))

        def step():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            if item_first:
                loss.item()
            loss.backward()
            opt.step()
        return step
    return make


LOOPS = {
    "polyfit_manual_sgd": polyfit,
    "mlp_sgd_momentum": mlp("SGD", lr=0.01, momentum=0.9),
    "mlp_adam": mlp("Adam", lr=1e-3),
    "mlp_adam_item_before_backward": mlp("Adam", item_first=True, lr=1e-3),
}


# ---- what is counted ------------------------------------------------------------------------

def _census():
    """Live torchish objects and JAX buffers, and the size of every engine cache."""
    gc.collect()
    c = {"Tensor": 0, "Value": 0, "Node": 0}
    ops = {}  # OpDefs: made at run time (a backward segment's, per segment signature) or rows
    for o in gc.get_objects():
        if isinstance(o, torch.Tensor):
            c["Tensor"] += 1
        elif isinstance(o, _lazy.Value):
            c["Value"] += 1
        elif isinstance(o, _lazy.Node):
            c["Node"] += 1
        elif isinstance(o, OpDef):
            ops[id(o)] = o
    # rows made at import, found through the modules too (gc.get_objects misses gc.freeze()d ones)
    for m in list(sys.modules.values()):
        if getattr(m, "__name__", "").startswith("torchish"):
            ops.update((id(o), o) for o in list(vars(m).values()) if isinstance(o, OpDef))
    ops.update((id(o), o) for o in OPS.values())
    c["OpDef"] = len(ops)
    c["op meta entries"] = sum(len(o.meta) for o in ops.values())
    c["jax live arrays"] = len(jax.live_arrays())
    c["compiled programs"] = len(_lazy._programs)
    c["segment ops"] = len(_segment._seg_ops)
    c["segment deps"] = len(_segment._deps_of)
    c["grad_fn classes"] = len(_dispatch._classes)
    return c


def _traced_now():
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_ten_thousand_steps_keep_a_flat_memory_profile(name):
    step = LOOPS[name]()
    for _ in range(WARM):
        step()
    at_warm = _census()
    tracemalloc.start()
    try:
        for _ in range(200):  # objects made before tracing are replaced by traced ones: settle
            step()
        heap0 = _traced_now()
        for _ in range(TRACED - 200):
            step()
        heap1 = _traced_now()
    finally:
        tracemalloc.stop()
    for _ in range(STEPS - WARM - TRACED):
        step()
    at_end = _census()
    grew = {k: (at_warm[k], at_end[k]) for k in at_end if at_end[k] != at_warm[k]}
    assert not grew, grew
    assert heap1 - heap0 < HEAP_SLACK, (heap0, heap1)
