"""Progressively-balanced re-sampling: from instance-balanced to class-balanced."""
from typing import Any, Optional, Sequence

import numpy as np

from ...registry import SHARED_DATA_SAMPLERS, register
from .base_class_sampler import BaseClassSampler


@register(*SHARED_DATA_SAMPLERS)
class ProgressiveSampler(BaseClassSampler):
    """Progressively-balanced sampling (`Kang et al. 2020 <https://arxiv.org/abs/1910.09217>`_,
    Bag of Tricks form): ``p_c(t) = (t / T) / C + (1 - t / T) * n_c / N``.

    ``t`` is the 1-based training epoch, i.e. ``t = epoch + 1`` for the 0-based sampler epoch
    that ``DistSamplerSeedHook`` sets, so the last epoch (``t = T``) is fully class-balanced;
    ``t`` is clipped to ``T``. ``C`` counts the classes with images and ``N = sum_c n_c``.
    Under :class:`DRSSampler` the absolute epoch is still used, as in Bag of Tricks.

    Args:
        dataset: the training dataset.
        max_epochs: ``T``, the total number of training epochs.
        num_samples: indices per epoch over all ranks. Defaults to ``len(dataset)``.
        seed: base seed, synchronised across ranks when None. Defaults to None.
    """

    def __init__(self, dataset: Any, max_epochs: int, num_samples: Optional[int] = None,
                 seed: Optional[int] = None) -> None:
        if max_epochs < 1:
            raise ValueError(f'max_epochs must be >= 1, got {max_epochs}')
        self.max_epochs = int(max_epochs)
        super().__init__(dataset, num_samples=num_samples, seed=seed)

    @staticmethod
    def progressive_weights(counts: Sequence[int], t: float, max_epochs: int) -> np.ndarray:
        """``p_c(t) = (t / T) / C + (1 - t / T) * n_c / N`` over the classes with images.

        Args:
            counts: ``n_c`` per class.
            t: 1-based epoch, clipped to ``[0, T]``.
            max_epochs: ``T``.

        Returns:
            np.ndarray: probabilities (0 for empty classes), summing to 1.
        """
        counts = np.asarray(counts, dtype=np.float64)
        present = counts > 0
        alpha = min(max(float(t), 0.0), float(max_epochs)) / max_epochs
        return alpha * present / present.sum() + (1 - alpha) * counts / counts.sum()

    def class_weights(self, epoch: int) -> np.ndarray:
        """Progressive probabilities at ``t = epoch + 1``.

        Args:
            epoch: 0-based sampler epoch.

        Returns:
            np.ndarray: per-class weights.
        """
        return self.progressive_weights(self.class_counts, epoch + 1, self.max_epochs)
