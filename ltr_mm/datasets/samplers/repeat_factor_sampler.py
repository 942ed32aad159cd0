"""LVIS repeat-factor sampling with stochastic rounding re-drawn every epoch."""
import math
from typing import Any, Dict, Iterator, Optional, Sequence

import numpy as np
import torch
from mmengine import dist as mm_dist
from torch.utils.data import Sampler

from ...registry import SHARED_DATA_SAMPLERS, register
from .image_labels import image_labels


@register(*SHARED_DATA_SAMPLERS)
class RepeatFactorSampler(Sampler):
    """Repeat-factor sampling (`LVIS, Gupta et al. 2019 <https://arxiv.org/abs/1908.03195>`_).

    ``f(c)`` is the fraction of images containing category ``c``, ``r(c) = max(1, sqrt(t /
    f(c)))`` and an image is repeated ``r(I) = max_{c in I} r(c)`` times (1 without labels).
    Unlike mmengine's ``ClassBalancedDataset``, which repeats ``ceil(r(I))`` times on every
    epoch, each epoch repeats an image ``floor(r) + Bernoulli(r - floor(r))`` times, drawn
    from a ``torch.Generator`` seeded with ``seed + epoch``: the expected epoch length is
    ``sum_I r(I)``. The stream (repeats, then a shuffle) is identical on every rank, padded
    with its own head to a multiple of ``world_size`` and split by position (rank ``r`` takes
    ``r, r + world, ...``). The length can change from epoch to epoch.

    Args:
        dataset: detection or classification dataset (labels via :func:`image_labels`).
        repeat_thresh: ``t``. Defaults to 0.001.
        shuffle: shuffle the repeated indices. Defaults to True.
        seed: base seed, synchronised across ranks when None. Defaults to None.
    """

    def __init__(self, dataset: Any, repeat_thresh: float = 0.001, shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        self.dataset = dataset
        self.rank, self.world_size = mm_dist.get_dist_info()
        self.seed = mm_dist.sync_random_seed() if seed is None else int(seed)
        self.shuffle = shuffle
        self.repeat_thresh = repeat_thresh
        self.epoch = 0
        self.repeat_factors = self.get_repeat_factors(image_labels(dataset), repeat_thresh)
        self._cache: Dict[int, np.ndarray] = {}

    @staticmethod
    def get_repeat_factors(labels: Sequence[Sequence[int]], repeat_thresh: float) -> np.ndarray:
        """Per-image repeat factors ``r(I) = max(1, max_{c in I} sqrt(t / f(c)))``.

        Args:
            labels: category labels of each image (duplicates allowed).
            repeat_thresh: the threshold ``t``.

        Returns:
            np.ndarray: float64 factor per image (1 for images without labels).
        """
        num_images = len(labels)
        image_count: Dict[int, int] = {}
        for labs in labels:
            for c in set(labs):
                image_count[c] = image_count.get(c, 0) + 1
        cat_factor = {c: max(1.0, math.sqrt(repeat_thresh / (n / num_images)))
                      for c, n in image_count.items()}
        return np.array([max((cat_factor[c] for c in labs), default=1.0) for labs in labels],
                        dtype=np.float64)

    def epoch_indices(self, epoch: int) -> np.ndarray:
        """The global (unpadded) index stream of ``epoch``.

        Args:
            epoch: 0-based sampler epoch.

        Returns:
            np.ndarray: dataset indices, each image ``floor(r)`` or ``ceil(r)`` times.
        """
        g = torch.Generator()
        g.manual_seed(self.seed + epoch)
        whole = np.floor(self.repeat_factors)
        u = torch.rand(len(self.repeat_factors), generator=g, dtype=torch.float64).numpy()
        reps = (whole + (u < self.repeat_factors - whole)).astype(np.int64)
        indices = np.repeat(np.arange(len(reps)), reps)
        if self.shuffle:
            indices = indices[torch.randperm(len(indices), generator=g).numpy()]
        return indices

    def _padded(self, epoch: int) -> np.ndarray:
        """Stream of ``epoch`` padded to a multiple of ``world_size`` (cached per epoch)."""
        if epoch not in self._cache:
            indices = self.epoch_indices(epoch)
            pad = -len(indices) % self.world_size
            self._cache = {epoch: np.concatenate([indices, np.resize(indices, pad)])}
        return self._cache[epoch]

    def __iter__(self) -> Iterator[int]:
        return iter(self._padded(self.epoch)[self.rank::self.world_size].tolist())

    def __len__(self) -> int:
        return len(self._padded(self.epoch)) // self.world_size

    def set_epoch(self, epoch: int) -> None:
        """Set the 0-based epoch; the next iteration re-draws the rounding.

        Args:
            epoch: epoch number (``DistSamplerSeedHook`` passes ``runner.epoch``).
        """
        self.epoch = int(epoch)
