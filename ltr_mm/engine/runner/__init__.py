"""Training loops (in the ``LOOPS`` of mmdet and mmpretrain) and ltr_mm's runner."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'ResumableEpochBasedTrainLoop': '.resumable_loop',
    'WeightsOnlyRunner': '.weights_only_runner',
})
