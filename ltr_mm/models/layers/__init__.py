"""Registered classifier layers and feature transforms."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'CosineLinear': '.cosine_linear',
    'FeatureClusterCompression': '.feature_cluster_compression',
    'LWSLinear': '.lws_linear',
})
