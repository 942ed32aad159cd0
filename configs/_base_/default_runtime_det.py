# Runtime for detection configs: mmdet's runtime (default_scope='mmdet') plus ltr_mm.
_base_ = 'mmdet::_base_/default_runtime.py'
custom_imports = dict(imports=['ltr_mm'], allow_failed_imports=False)
