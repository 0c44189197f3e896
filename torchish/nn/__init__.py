"""torch.nn (the functional part so far; modules come with the nn issue)."""

from . import functional

__all__ = ["functional"]
