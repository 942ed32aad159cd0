# Runtime for classification configs: mmpretrain's runtime (default_scope='mmpretrain') plus ltr_mm.
_base_ = 'mmpretrain::_base_/default_runtime.py'
custom_imports = dict(imports=['ltr_mm'], allow_failed_imports=False)
