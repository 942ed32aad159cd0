from .shot_accuracy import ShotAccuracy  # noqa: F401
from .fast_lvis_metric import FastLVISMetric  # noqa: F401
from .expert_share_metric import ExpertShareMetric  # noqa: F401
