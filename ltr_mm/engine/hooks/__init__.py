from .tde_momentum_hook import TDEMomentumHook  # noqa: F401
from .freeze_modules_hook import FreezeModulesHook  # noqa: F401
from .set_class_stats_hook import SetClassStatsHook  # noqa: F401
from .set_epoch_hook import SetEpochHook  # noqa: F401
from .check_num_classes_hook import CheckNumClassesHook  # noqa: F401
from .non_finite_loss_hook import NonFiniteLossHook  # noqa: F401
from .stage1_checkpoint_hook import Stage1CheckpointHook  # noqa: F401
from .ncm_class_means_hook import NCMClassMeansHook  # noqa: F401
