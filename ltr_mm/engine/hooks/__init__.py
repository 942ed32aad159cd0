from .tde_momentum_hook import TDEMomentumHook  # noqa: F401
from .freeze_modules_hook import FreezeModulesHook  # noqa: F401
