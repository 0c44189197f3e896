"""Every optimizer for 20 steps against torch 2.13 (compat/refs/optim.json): the loss and every
parameter after each step, the repr, and the final state_dict (keys, dtypes, shapes, values)."""

import numpy as np
import pytest

import torchish as torch
import torchish.optim  # noqa: F401

from _optim_refs import gen, load

REFS = load("optim.json")
G = gen()
RTOL, ATOL = 2e-5, 5e-6


def close(got, ref, what, rtol=RTOL):
    np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(ref, np.float64),
                               rtol=rtol, atol=ATOL, err_msg=what)


def same_observation(got, ref, path="state_dict", rtol=RTOL):
    if isinstance(ref, dict) and "tensor" in ref:
        assert isinstance(got, dict) and "tensor" in got, path
        assert (got["tensor"], got["shape"]) == (ref["tensor"], ref["shape"]), path
        close(got["values"], ref["values"], path, rtol)
    elif isinstance(ref, dict):
        assert isinstance(got, dict) and got.keys() == ref.keys(), (path, got, ref)
        for k in ref:
            same_observation(got[k], ref[k], f"{path}.{k}", rtol)
    elif isinstance(ref, list):
        assert isinstance(got, list) and len(got) == len(ref), (path, got, ref)
        for i, (a, b) in enumerate(zip(got, ref)):
            same_observation(a, b, f"{path}[{i}]", rtol)
    elif isinstance(ref, float):
        assert isinstance(got, (float, int)), (path, got)
        close(got, ref, path, rtol)
    else:
        assert got == ref and type(got) is type(ref), (path, got, ref)


@pytest.mark.parametrize("key", list(REFS))
def test_optimizer_matches_torch(key):
    ref = REFS[key]
    got = G.run_optim(torch, ref["name"], ref["kwargs"], ref["steps"])
    assert got["repr"] == ref["repr"]
    for step, (gl, rl, gp, rp) in enumerate(zip(got["losses"], ref["losses"], got["params"],
                                                ref["params"])):
        close(gl, rl, f"loss at step {step}")
        for i, (a, b) in enumerate(zip(gp, rp)):
            close(a, b, f"param {i} after step {step}")
    # L-BFGS's curvature pairs difference nearly equal gradients: rounding shows at 1e-4
    same_observation(got["state_dict"], ref["state_dict"],
                     rtol=1e-3 if ref["name"] == "LBFGS" else RTOL)


COMPLEX = load("optim_complex.json")


@pytest.mark.parametrize("key", list(COMPLEX))
def test_complex_parameter_matches_torch(key):
    ref = COMPLEX[key]
    got = G.run_complex(torch, ref["name"], ref["kwargs"])
    close(got["param"], ref["param"], "param")
    assert got["state"].keys() == ref["state"].keys()
    for k in ref["state"]:
        close(got["state"][k], ref["state"][k], k)
