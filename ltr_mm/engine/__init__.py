"""Hooks, training loops, runner and weights-only checkpoint loading, imported on use."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'checkpoint_loader': '.checkpoint_loader',
    'hooks': '.hooks',
    'runner': '.runner',
})
