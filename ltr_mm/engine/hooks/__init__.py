from .tde_momentum_hook import TDEMomentumHook  # noqa: F401
from .freeze_modules_hook import FreezeModulesHook  # noqa: F401
from .set_class_stats_hook import SetClassStatsHook  # noqa: F401
from .set_epoch_hook import SetEpochHook  # noqa: F401
