"""Shared machinery of the class-level re-sampling samplers (class-balanced, square-root,
progressive)."""
import math
from typing import Any, Iterator, Optional

import numpy as np
from mmengine import dist as mm_dist
from torch.utils.data import Sampler

from .image_labels import image_labels, num_classes_of


class BaseClassSampler(Sampler):
    """Draws a class ``c`` with probability ``p_c``, then an image containing ``c`` uniformly.

    Subclasses define :meth:`class_weights`; ``p_c`` is the weights normalised to sum 1
    (classes without images get 0). Every epoch draws one global stream of ``world_size *
    ceil(num_samples / world_size)`` indices from a ``numpy.random.PCG64`` seeded with ``seed +
    epoch``; it is the same on every rank and rank ``r`` takes positions ``r, r + world, ...``,
    so the ranks' streams are disjoint slices whose union is the single-process stream.

    Args:
        dataset: mmpretrain / mmdet dataset (labels read by :func:`image_labels`).
        num_samples: indices per epoch over all ranks. Defaults to ``len(dataset)``.
        seed: base seed; ``None`` draws one on rank 0 and broadcasts it
            (``mmengine.dist.sync_random_seed``). Defaults to None.
    """

    def __init__(self, dataset: Any, num_samples: Optional[int] = None,
                 seed: Optional[int] = None) -> None:
        self.dataset = dataset
        self.rank, self.world_size = mm_dist.get_dist_info()
        self.seed = mm_dist.sync_random_seed() if seed is None else int(seed)
        self.epoch = 0
        labels = image_labels(dataset)
        self.num_classes = num_classes_of(dataset, labels)
        members = [[] for _ in range(self.num_classes)]
        for idx, labs in enumerate(labels):
            for c in labs:
                members[c].append(idx)
        self.class_counts = np.array([len(m) for m in members], dtype=np.int64)
        if self.class_counts.sum() == 0:
            raise ValueError(f'{type(self).__name__}: the dataset has no labelled image')
        self._flat = np.array([i for m in members for i in m], dtype=np.int64)
        self._offsets = np.concatenate([[0], np.cumsum(self.class_counts)[:-1]])
        total = len(dataset) if num_samples is None else int(num_samples)
        self.num_samples = math.ceil(total / self.world_size)
        self.total_size = self.num_samples * self.world_size

    def class_weights(self, epoch: int) -> np.ndarray:
        """Unnormalised class weights for ``epoch`` (0-based sampler epoch).

        Args:
            epoch: the epoch set by :meth:`set_epoch`.

        Returns:
            np.ndarray: one non-negative weight per class.
        """
        return (self.class_counts > 0).astype(np.float64)

    def class_probabilities(self, epoch: Optional[int] = None) -> np.ndarray:
        """``p_c`` used in ``epoch`` (defaults to the current one); empty classes get 0.

        Args:
            epoch: 0-based sampler epoch. Defaults to the current epoch.

        Returns:
            np.ndarray: probabilities summing to 1.
        """
        weights = np.asarray(self.class_weights(self.epoch if epoch is None else epoch),
                             dtype=np.float64) * (self.class_counts > 0)
        return weights / weights.sum()

    def global_stream(self, epoch: int) -> np.ndarray:
        """The ``total_size`` indices of ``epoch`` before the split across ranks.

        Args:
            epoch: 0-based sampler epoch.

        Returns:
            np.ndarray: dataset indices (int64).
        """
        rng = np.random.Generator(np.random.PCG64(self.seed + epoch))
        u = rng.random((self.total_size, 2))
        cdf = np.cumsum(self.class_probabilities(epoch))
        classes = np.searchsorted(cdf, u[:, 0] * cdf[-1], side='right')
        classes = np.minimum(classes, np.flatnonzero(self.class_counts)[-1])
        within = np.minimum((u[:, 1] * self.class_counts[classes]).astype(np.int64),
                            self.class_counts[classes] - 1)
        return self._flat[self._offsets[classes] + within]

    def __iter__(self) -> Iterator[int]:
        stream = self.global_stream(self.epoch)
        return iter(stream[self.rank:self.total_size:self.world_size].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the 0-based epoch (``DistSamplerSeedHook`` passes ``runner.epoch``).

        Args:
            epoch: epoch number.
        """
        self.epoch = int(epoch)
