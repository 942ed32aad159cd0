"""Registered classifier layers and feature transforms."""
from .cosine_linear import CosineLinear  # noqa: F401
from .feature_cluster_compression import FeatureClusterCompression  # noqa: F401
from .lws_linear import LWSLinear  # noqa: F401
