"""Training loops, registered in both mmdet's and mmpretrain's ``LOOPS``."""
from .resumable_loop import ResumableEpochBasedTrainLoop

__all__ = ['ResumableEpochBasedTrainLoop']
