"""mmdet box heads (Shared2FCBBoxHead subclasses)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'TauNormBBoxHead': '.tau_norm_bbox_head',
    'TDEBBoxHead': '.tde_bbox_head',
})
