"""Hooks, registered in the ``HOOKS`` of mmdet and mmpretrain (those installed)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'CheckNumClassesHook': '.check_num_classes_hook',
    'FreezeModulesHook': '.freeze_modules_hook',
    'NCMClassMeansHook': '.ncm_class_means_hook',
    'NonFiniteLossHook': '.non_finite_loss_hook',
    'SetClassStatsHook': '.set_class_stats_hook',
    'SetEpochHook': '.set_epoch_hook',
    'Stage1CheckpointHook': '.stage1_checkpoint_hook',
    'TDEMomentumHook': '.tde_momentum_hook',
})
