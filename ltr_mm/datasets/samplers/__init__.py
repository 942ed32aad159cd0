"""Long-tail samplers, registered in the ``DATA_SAMPLERS`` of each installed framework."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'ClassBalancedSampler': '.class_balanced_sampler',
    'DRSSampler': '.drs_sampler',
    'ProgressiveSampler': '.progressive_sampler',
    'RepeatFactorSampler': '.repeat_factor_sampler',
    'SquareRootSampler': '.square_root_sampler',
})
