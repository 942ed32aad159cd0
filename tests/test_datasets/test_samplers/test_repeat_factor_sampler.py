"""RepeatFactorSampler: hand-computed factors, stochastic rounding, ranks and epochs."""
import math
from unittest import mock

import numpy as np

from ltr_mm.datasets.samplers import RepeatFactorSampler
from ltr_mm.registry import DET_DATA_SAMPLERS


class ToyDet:
    """mmdet-like: labels only in ``data_list[i]['instances']``."""

    metainfo = dict(classes=('a', 'b', 'c'))

    def __init__(self, labels):
        self.data_list = [dict(instances=[dict(bbox_label=c) for c in labs]) for labs in labels]

    def __len__(self):
        return len(self.data_list)


LABELS = [[0], [0, 1, 1], [2]]


def test_factors_by_hand():
    # f(0) = 2/3, f(1) = f(2) = 1/3; t = 1: r(0) = sqrt(1.5), r(1) = r(2) = sqrt(3).
    factors = RepeatFactorSampler.get_repeat_factors(LABELS, 1.0)
    np.testing.assert_allclose(factors, [math.sqrt(1.5), math.sqrt(3), math.sqrt(3)])
    # t = 0.5: r(0) = max(1, sqrt(0.75)) = 1; an image without labels gets 1.
    factors = RepeatFactorSampler.get_repeat_factors(LABELS + [[]], 0.5)
    np.testing.assert_allclose(factors, [1, math.sqrt(2), math.sqrt(2), 1])
    assert RepeatFactorSampler.get_repeat_factors(LABELS, 1e-3).tolist() == [1, 1, 1]


def test_stochastic_rounding_mean_equals_factor():
    sampler = RepeatFactorSampler(ToyDet(LABELS), repeat_thresh=1.0, seed=0)
    np.testing.assert_allclose(sampler.repeat_factors, [math.sqrt(1.5), math.sqrt(3),
                                                        math.sqrt(3)])
    totals = np.zeros(3)
    epochs = 4000
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        drawn = list(iter(sampler))
        assert len(drawn) == len(sampler)
        reps = np.bincount(drawn, minlength=3)
        assert all(math.floor(r) <= n <= math.ceil(r) for n, r in zip(reps, sampler.repeat_factors))
        totals += reps
    np.testing.assert_allclose(totals / epochs, sampler.repeat_factors, atol=0.03)


def test_deterministic_per_seed_and_epoch():
    ds = ToyDet(LABELS * 20)
    a = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=4)
    b = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=4)
    a.set_epoch(3)
    b.set_epoch(3)
    assert list(iter(a)) == list(iter(b))
    b.set_epoch(4)
    assert list(iter(a)) != list(iter(b))
    c = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=5)
    c.set_epoch(3)
    assert list(iter(c)) != list(iter(a))
    unshuffled = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=4, shuffle=False)
    assert list(iter(unshuffled)) == sorted(iter(unshuffled))


def test_ranks_share_one_stream_and_split_it():
    ds = ToyDet(LABELS * 20)
    with mock.patch('mmengine.dist.get_dist_info', return_value=(0, 1)):
        single = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=9)
    single.set_epoch(2)
    full = single.epoch_indices(2).tolist()
    assert list(iter(single)) == full
    parts = []
    for rank in (0, 1):
        with mock.patch('mmengine.dist.get_dist_info', return_value=(rank, 2)):
            sampler = RepeatFactorSampler(ds, repeat_thresh=1.0, seed=9)
        sampler.set_epoch(2)
        parts.append(list(iter(sampler)))
        assert len(sampler) == math.ceil(len(full) / 2)
    merged = [x for pair in zip(*parts) for x in pair]
    assert merged[:len(full)] == full and merged[len(full):] == full[:len(merged) - len(full)]


def test_built_from_mmdet_registry():
    sampler = DET_DATA_SAMPLERS.build(dict(type='RepeatFactorSampler', dataset=ToyDet(LABELS),
                                           repeat_thresh=1.0, seed=0))
    assert isinstance(sampler, RepeatFactorSampler)
