"""Deferred re-sampling (DRS): instance sampling first, a class-level sampler later."""
import math
from typing import Any, Iterator, Optional, Union

import torch
from mmengine import dist as mm_dist
from torch.utils.data import Sampler

from ...registry import CLS_DATA_SAMPLERS, SHARED_DATA_SAMPLERS, register


@register(*SHARED_DATA_SAMPLERS)
class DRSSampler(Sampler):
    """Deferred re-sampling (`Cao et al. 2019 <https://arxiv.org/abs/1906.07413>`_).

    Epochs are counted 1-based as in the original code: epoch ``e`` uses the inner
    re-sampler when ``e > start_epoch`` and plain shuffled instance sampling otherwise. The
    runner (``DistSamplerSeedHook``) sets the 0-based ``epoch = e - 1``, so the switch happens
    at sampler epoch ``start_epoch`` (e.g. ``start_epoch=160``: epochs 0..159 instance,
    160.. re-sampled). The inner sampler always receives the absolute epoch, so a
    :class:`ProgressiveSampler` inside keeps ``t = epoch + 1``. Both phases yield
    ``ceil(len(dataset) / world_size)`` indices per rank unless the inner sampler sets
    ``num_samples`` otherwise.

    Example::

        train_dataloader = dict(sampler=dict(
            type='DRSSampler', start_epoch=160, sampler=dict(type='ClassBalancedSampler')))

    Args:
        dataset: the training dataset.
        sampler: config (``type`` = a registered sampler) or instance of the re-sampler.
        start_epoch: last 1-based epoch of instance sampling. Defaults to 160.
        seed: base seed, shared with the inner config; synchronised when None.
            Defaults to None.
    """

    def __init__(self, dataset: Any, sampler: Union[dict, Sampler], start_epoch: int = 160,
                 seed: Optional[int] = None) -> None:
        self.dataset = dataset
        self.rank, self.world_size = mm_dist.get_dist_info()
        self.seed = mm_dist.sync_random_seed() if seed is None else int(seed)
        self.start_epoch = int(start_epoch)
        self.epoch = 0
        if isinstance(sampler, dict):
            cfg = dict(sampler)
            cfg.setdefault('seed', self.seed)
            sampler = CLS_DATA_SAMPLERS.build(cfg, default_args=dict(dataset=dataset))
        self.sampler = sampler
        self.num_samples = math.ceil(len(dataset) / self.world_size)
        self.total_size = self.num_samples * self.world_size

    @property
    def resampling(self) -> bool:
        """Whether the current epoch uses the inner re-sampler (1-based ``e > start_epoch``)."""
        return self.epoch + 1 > self.start_epoch

    def _instance_indices(self) -> list:
        """Shuffled instance stream of the current epoch for this rank."""
        g = torch.Generator()
        g.manual_seed(self.seed + self.epoch)
        indices = torch.randperm(len(self.dataset), generator=g).tolist()
        indices = (indices * math.ceil(self.total_size / max(len(indices), 1)))[:self.total_size]
        return indices[self.rank:self.total_size:self.world_size]

    def __iter__(self) -> Iterator[int]:
        if self.resampling:
            return iter(self.sampler)
        return iter(self._instance_indices())

    def __len__(self) -> int:
        return len(self.sampler) if self.resampling else self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the 0-based epoch here and on the inner sampler.

        Args:
            epoch: epoch number (``DistSamplerSeedHook`` passes ``runner.epoch``).
        """
        self.epoch = int(epoch)
        if hasattr(self.sampler, 'set_epoch'):
            self.sampler.set_epoch(epoch)
