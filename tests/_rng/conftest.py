"""Fixtures for torchish._rng's unit tests: the subpackage, with or without the core."""

import importlib.util
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "torchish" / "_rng"


def load_rng():
    """torchish._rng; the subpackage alone (loaded by path) if torchish does not import."""
    try:
        from torchish import _rng
    except Exception:  # noqa: BLE001 - these tests need only the subpackage
        name = "torchish_rng_standalone"
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(
            name, PKG / "__init__.py", submodule_search_locations=[str(PKG)])
        _rng = importlib.util.module_from_spec(spec)
        sys.modules[name] = _rng
        spec.loader.exec_module(_rng)
    return _rng


@pytest.fixture(scope="session")
def R():
    return load_rng()
