# Runtime for classification configs: mmpretrain's runtime (default_scope='mmpretrain') plus ltr_mm.
_base_ = 'mmpretrain::_base_/default_runtime.py'
custom_imports = dict(imports=['ltr_mm'], allow_failed_imports=False)
# mmengine's Runner, loading its own checkpoints (load_from, --resume) on torch >= 2.6.
runner_type = 'WeightsOnlyRunner'
# Checks every run gets, in default_hooks (merged key by key, so configs that set their own
# custom_hooks or default_hooks keep them): every num_classes of the model must equal the
# data's class count before the first iteration, and the first NaN / inf loss stops the run
# with its iteration, keeping the checkpoints saved so far.
default_hooks = dict(
    check_num_classes=dict(type='CheckNumClassesHook'),
    check_nonfinite_loss=dict(type='NonFiniteLossHook'))
