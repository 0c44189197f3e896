"""pytest setup for compat/: its helper modules import each other by plain name, and the
`torchish` fixture fails every test that needs the core with one clear message while it cannot load.
"""

import sys
from pathlib import Path

import pytest

COMPAT = Path(__file__).resolve().parent
for path in (COMPAT, COMPAT.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@pytest.fixture(scope="session")
def torchish():
    """The torchish package, or a failure saying the core does not import yet."""
    try:
        import torchish
    except Exception as e:  # noqa: BLE001 (any import failure means: no core yet)
        problem = f"{type(e).__name__}: {e}"
    else:
        return torchish
    pytest.fail(
        f"torchish does not import ({problem}); compat needs the core package", pytrace=False
    )
