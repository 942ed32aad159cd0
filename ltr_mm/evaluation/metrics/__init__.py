"""Metrics: ``ShotAccuracy`` (mmpretrain) and ``FastLVISMetric`` (mmdet)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'ExpertShareMetric': '.expert_share_metric',
    'FastLVISMetric': '.fast_lvis_metric',
    'ShotAccuracy': '.shot_accuracy',
})
