from .shot_accuracy import ShotAccuracy  # noqa: F401
from .fast_lvis_metric import FastLVISMetric  # noqa: F401
