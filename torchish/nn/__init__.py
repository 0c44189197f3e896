"""torch.nn (the functional part so far; modules come with the nn issue)."""

from . import functional
from . import init, modules, parameter, utils
from .modules import __all__ as _modules_all
from .parameter import Buffer, Parameter

globals().update({_name: getattr(modules, _name) for _name in _modules_all})

__all__ = ["functional", "init", "modules", "parameter", "utils", "Parameter", "Buffer",
           *_modules_all]
