"""Every long-tail sampler splits one stream across ranks: shares are disjoint sets of
positions and together give the single-process stream of the same seed and epoch.

Ranks are simulated by patching ``get_dist_info`` (2 and 3 processes, an odd-sized data set,
two epochs); ``test_dist_train_test.py`` checks RFS and class-balanced sampling in a real
2-process gloo run. ltr_mm's samplers give rank ``r`` the positions ``r, r + world, ...``;
mmdet's ``ClassAwareSampler`` gives it the ``r``-th contiguous block.
"""
import math
from unittest import mock

import numpy as np
import pytest
from mmdet.datasets.samplers import ClassAwareSampler

from ltr_mm.datasets.samplers import (
    ClassBalancedSampler,
    ProgressiveSampler,
    RepeatFactorSampler,
    SquareRootSampler,
)


class LongTailDet:
    """45 images over 5 classes (27, 9, 4, 2, 1 images), a few with 2 labels, one with none."""

    metainfo = dict(classes=('a', 'b', 'c', 'd', 'e'))

    def __init__(self):
        counts = [27, 9, 4, 2, 1]
        self.labels = [[c] for c, n in enumerate(counts) for _ in range(n)]
        self.labels[0] += [3]
        self.labels[5] += [4]
        self.labels += [[], [1, 2]]

    def __len__(self):
        return len(self.labels)

    def get_cat_ids(self, idx):
        return self.labels[idx]


SAMPLERS = {
    'rfs': (RepeatFactorSampler, dict(repeat_thresh=0.2), 'interleaved'),
    'class-aware': (ClassAwareSampler, dict(num_sample_class=1), 'blocks'),
    'class-balanced': (ClassBalancedSampler, {}, 'interleaved'),
    'square-root': (SquareRootSampler, {}, 'interleaved'),
    'progressive': (ProgressiveSampler, dict(max_epochs=4), 'interleaved'),
}


def _build(cls, kwargs, rank, world):
    info = mock.patch('mmengine.dist.get_dist_info', return_value=(rank, world))
    mmdet_info = mock.patch('mmdet.datasets.samplers.class_aware_sampler.get_dist_info',
                            return_value=(rank, world))
    with info, mmdet_info:
        return cls(LongTailDet(), seed=7, **kwargs)


def _stream(sampler, epoch):
    sampler.set_epoch(epoch)
    drawn = list(iter(sampler))
    assert len(drawn) == len(sampler)
    return drawn


@pytest.mark.parametrize('world', [2, 3])
@pytest.mark.parametrize('name', sorted(SAMPLERS))
def test_rank_shares_partition_the_single_process_stream(name, world):
    cls, kwargs, layout = SAMPLERS[name]
    single_sampler = _build(cls, kwargs, 0, 1)
    ranks = [_build(cls, kwargs, r, world) for r in range(world)]
    for epoch in (0, 3):
        single = _stream(single_sampler, epoch)
        shares = [_stream(s, epoch) for s in ranks]
        size = len(shares[0])
        assert all(len(share) == size for share in shares)
        assert size == math.ceil(len(single) / world)
        # Put every rank's indices back at its positions of the global stream.
        merged = np.full(size * world, -1, dtype=np.int64)
        for rank, share in enumerate(shares):
            if layout == 'interleaved':
                positions = np.arange(rank, size * world, world)
            else:
                positions = np.arange(rank * size, (rank + 1) * size)
            assert (merged[positions] == -1).all()  # no position is given to two ranks
            merged[positions] = share
        assert (merged >= 0).all()  # every position is given to a rank
        assert merged[:len(single)].tolist() == single
        if name == 'rfs':  # the padding repeats the head of the stream
            assert merged[len(single):].tolist() == single[:len(merged) - len(single)]
    assert _stream(single_sampler, 0) != _stream(single_sampler, 3)
