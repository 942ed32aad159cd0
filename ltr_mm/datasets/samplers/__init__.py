"""Long-tail samplers, registered in both mmdet's and mmpretrain's ``DATA_SAMPLERS``."""
from .class_balanced_sampler import ClassBalancedSampler
from .drs_sampler import DRSSampler
from .progressive_sampler import ProgressiveSampler
from .repeat_factor_sampler import RepeatFactorSampler
from .square_root_sampler import SquareRootSampler

__all__ = ['ClassBalancedSampler', 'DRSSampler', 'ProgressiveSampler', 'RepeatFactorSampler',
           'SquareRootSampler']
