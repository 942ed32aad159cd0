"""Class-balanced re-sampling: every class equally likely, then a uniform image of it."""
import numpy as np

from ...registry import SHARED_DATA_SAMPLERS, register
from .base_class_sampler import BaseClassSampler


@register(*SHARED_DATA_SAMPLERS)
class ClassBalancedSampler(BaseClassSampler):
    """Class-balanced sampling (`Bag of Tricks for LT <https://cs.nju.edu.cn/wujx/paper/
    AAAI2021_Tricks.pdf>`_): ``p_c = 1 / C``, then an image containing ``c`` uniformly.

    ``C`` counts the classes that have at least one image. Distributed- and epoch-aware as
    described in :class:`BaseClassSampler`. Usable in mmpretrain and mmdet configs::

        train_dataloader = dict(sampler=dict(type='ClassBalancedSampler'))

    Args:
        dataset: the training dataset.
        num_samples: indices per epoch over all ranks. Defaults to ``len(dataset)``.
        seed: base seed, synchronised across ranks when None. Defaults to None.
    """

    def class_weights(self, epoch: int) -> np.ndarray:
        """Weight 1 for every class with images.

        Args:
            epoch: 0-based sampler epoch (unused).

        Returns:
            np.ndarray: per-class weights.
        """
        return (self.class_counts > 0).astype(np.float64)
