"""Registered classifiers (whole models, mmpretrain)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'LTImageClassifier': '.lt_image_classifier',
    'RIDEClassifier': '.ride_classifier',
})
