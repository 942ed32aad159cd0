"""Metrics (registered) and framework-free evaluation code, imported on use."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'functional': '.functional',
    'metrics': '.metrics',
    'shot_table': '.shot_table',
})
