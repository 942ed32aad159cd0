"""Square-root re-sampling: ``p_c`` proportional to ``sqrt(n_c)``."""
import numpy as np

from ...registry import SHARED_DATA_SAMPLERS, register
from .base_class_sampler import BaseClassSampler


@register(*SHARED_DATA_SAMPLERS)
class SquareRootSampler(BaseClassSampler):
    """Square-root sampling (`Mahajan et al. 2018 <https://arxiv.org/abs/1805.00932>`_, as in
    Bag of Tricks for LT): ``p_c = sqrt(n_c) / sum_k sqrt(n_k)``, then an image of ``c``.

    ``n_c`` is the number of images containing class ``c``. Distributed- and epoch-aware as
    described in :class:`BaseClassSampler`.

    Args:
        dataset: the training dataset.
        num_samples: indices per epoch over all ranks. Defaults to ``len(dataset)``.
        seed: base seed, synchronised across ranks when None. Defaults to None.
    """

    def class_weights(self, epoch: int) -> np.ndarray:
        """``sqrt(n_c)``.

        Args:
            epoch: 0-based sampler epoch (unused).

        Returns:
            np.ndarray: per-class weights.
        """
        return np.sqrt(self.class_counts.astype(np.float64))
