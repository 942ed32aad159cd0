"""mmpretrain classification heads."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'LTLinearClsHead': '.lt_linear_cls_head',
    'LWSClsHead': '.lws_cls_head',
    'NCMClsHead': '.ncm_cls_head',
    'RIDEHead': '.ride_head',
    'RIDERouter': '.ride_router',
    'TDEClsHead': '.tde_cls_head',
})
