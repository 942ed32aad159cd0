"""Model parts, imported on use (see :mod:`ltr_mm.components` for what registers where)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'backbones': '.backbones',
    'classifiers': '.classifiers',
    'functional': '.functional',
    'heads': '.heads',
    'layers': '.layers',
    'losses': '.losses',
    'roi_heads': '.roi_heads',
})
