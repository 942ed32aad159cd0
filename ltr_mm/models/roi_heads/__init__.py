"""mmdet RoI-head parts."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'bbox_heads': '.bbox_heads',
})
