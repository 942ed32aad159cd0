"""Registered classifiers (whole models)."""
from .lt_image_classifier import LTImageClassifier  # noqa: F401
from .ride_classifier import RIDEClassifier  # noqa: F401
