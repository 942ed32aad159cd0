"""Registered classifiers (whole models)."""
from .lt_image_classifier import LTImageClassifier  # noqa: F401
