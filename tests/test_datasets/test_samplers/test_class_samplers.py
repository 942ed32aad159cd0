"""Class-balanced / square-root / progressive / DRS samplers: frequencies, ranks, epochs."""
from unittest import mock

import numpy as np
import pytest

from ltr_mm.datasets.samplers import (
    ClassBalancedSampler,
    DRSSampler,
    ProgressiveSampler,
    SquareRootSampler,
)
from ltr_mm.datasets.samplers.image_labels import image_labels
from ltr_mm.registry import CLS_DATA_SAMPLERS, DET_DATA_SAMPLERS

COUNTS = [64, 16, 4, 1]


class ToyClsDataset:
    """mmpretrain-like: ``get_gt_labels`` and ``metainfo``; labels sorted by class."""

    metainfo = dict(classes=('a', 'b', 'c', 'd', 'e'))  # class 'e' has no image

    def __init__(self, counts=COUNTS):
        self.labels = np.repeat(np.arange(len(counts)), counts)

    def __len__(self):
        return len(self.labels)

    def get_gt_labels(self):
        return self.labels


def _dist(rank, world):
    return mock.patch('mmengine.dist.get_dist_info', return_value=(rank, world))


def _class_freq(sampler, labels, epochs=(0, )):
    draws = []
    for e in epochs:
        sampler.set_epoch(e)
        draws.extend(iter(sampler))
    return np.bincount(labels[draws], minlength=5) / len(draws)


@pytest.mark.parametrize('cls,kwargs,expected', [
    (ClassBalancedSampler, {}, [0.25, 0.25, 0.25, 0.25, 0]),
    (SquareRootSampler, {}, [8 / 15, 4 / 15, 2 / 15, 1 / 15, 0]),
])
def test_class_frequencies(cls, kwargs, expected):
    ds = ToyClsDataset()
    sampler = cls(ds, num_samples=40000, seed=3, **kwargs)
    np.testing.assert_allclose(sampler.class_probabilities(), expected, atol=1e-12)
    freq = _class_freq(sampler, ds.labels, epochs=(0, 1))
    np.testing.assert_allclose(freq, expected, atol=0.01)
    # Inside a class the images are uniform: class 1's 16 images each get ~1/16 of its draws.
    sampler.set_epoch(5)
    drawn = np.array(list(iter(sampler)))
    within = np.bincount(drawn[ds.labels[drawn] == 1] - 64, minlength=16)
    assert within.min() > 0.5 * within.mean()


def test_progressive_endpoints_and_middle():
    counts = np.array(COUNTS + [0])
    inst = ProgressiveSampler.progressive_weights(counts, 0, 10)
    np.testing.assert_allclose(inst, counts / counts.sum())
    uniform = ProgressiveSampler.progressive_weights(counts, 10, 10)
    np.testing.assert_allclose(uniform, [0.25] * 4 + [0])
    half = ProgressiveSampler.progressive_weights(counts, 5, 10)
    np.testing.assert_allclose(half, 0.5 * inst + 0.5 * uniform)
    ds = ToyClsDataset()
    sampler = ProgressiveSampler(ds, max_epochs=10, num_samples=40000, seed=0)
    # t = epoch + 1: sampler epoch 9 (1-based epoch 10 = T) is class-balanced.
    np.testing.assert_allclose(sampler.class_probabilities(9), uniform)
    np.testing.assert_allclose(sampler.class_probabilities(4), half)
    np.testing.assert_allclose(_class_freq(sampler, ds.labels, (9, )), uniform, atol=0.01)
    first = ProgressiveSampler(ds, max_epochs=1000, num_samples=40000, seed=0)
    np.testing.assert_allclose(_class_freq(first, ds.labels), inst, atol=0.01)


@pytest.mark.parametrize('cls,kwargs', [(ClassBalancedSampler, {}), (SquareRootSampler, {}),
                                        (ProgressiveSampler, dict(max_epochs=4))])
def test_ranks_split_the_single_process_stream(cls, kwargs):
    ds = ToyClsDataset()
    with _dist(0, 1):
        single = cls(ds, seed=11, **kwargs)
    ranks = []
    for rank in (0, 1):
        with _dist(rank, 2):
            sampler = cls(ds, seed=11, **kwargs)
        sampler.set_epoch(2)
        ranks.append(list(iter(sampler)))
        assert len(sampler) == len(ranks[-1]) == 43  # ceil(85 / 2)
    single.set_epoch(2)
    merged = np.empty(86, np.int64)
    merged[0::2], merged[1::2] = ranks
    # The ranks take disjoint position slices of one stream; with an even total they
    # reproduce the single-process stream of that length.
    with _dist(0, 1):
        even = cls(ds, seed=11, num_samples=86, **kwargs)
    even.set_epoch(2)
    assert merged.tolist() == list(iter(even))
    assert list(iter(single)) == even.global_stream(2)[:85].tolist()


def test_set_epoch_changes_the_stream_and_is_deterministic():
    ds = ToyClsDataset()
    a, b = ClassBalancedSampler(ds, seed=5), ClassBalancedSampler(ds, seed=5)
    first = list(iter(a))
    assert first == list(iter(b))
    a.set_epoch(1)
    assert list(iter(a)) != first
    b.set_epoch(1)
    assert list(iter(a)) == list(iter(b))
    assert list(iter(ClassBalancedSampler(ds, seed=6))) != first


def test_seed_is_synchronised_when_not_given():
    with mock.patch('mmengine.dist.sync_random_seed', return_value=1234) as sync:
        sampler = SquareRootSampler(ToyClsDataset())
    assert sync.called and sampler.seed == 1234


def test_registered_in_both_scopes_and_detection_labels():
    ds = ToyClsDataset()
    for registry in (CLS_DATA_SAMPLERS, DET_DATA_SAMPLERS):
        sampler = registry.build(dict(type='ClassBalancedSampler', dataset=ds, seed=0))
        assert isinstance(sampler, ClassBalancedSampler)

    class ToyDet:
        metainfo = dict(classes=('x', 'y', 'z'))
        data_list = [dict(instances=[dict(bbox_label=0), dict(bbox_label=2)]),
                     dict(instances=[]), dict(instances=[dict(bbox_label=0)])]

        def __len__(self):
            return 3

    assert image_labels(ToyDet()) == [[0, 2], [], [0]]
    sampler = ClassBalancedSampler(ToyDet(), num_samples=3000, seed=0)
    drawn = np.bincount(list(iter(sampler)), minlength=3) / 3000
    # class 0 -> image 0 or 2 (1/4 each), class 2 -> image 0 (1/2); image 1 never.
    np.testing.assert_allclose(drawn, [0.75, 0, 0.25], atol=0.04)


def test_drs_switches_after_start_epoch():
    ds = ToyClsDataset()
    drs = DRSSampler(ds, sampler=dict(type='ClassBalancedSampler'), start_epoch=3, seed=2)
    assert isinstance(drs.sampler, ClassBalancedSampler) and drs.sampler.seed == 2
    for epoch in range(5):
        drs.set_epoch(epoch)
        drawn = list(iter(drs))
        assert len(drawn) == len(drs) == len(ds)
        # 1-based epoch e = epoch + 1 is re-sampled when e > start_epoch.
        assert drs.resampling == (epoch + 1 > 3)
        if drs.resampling:
            assert drawn == list(iter(drs.sampler)) and drs.sampler.epoch == epoch
        else:
            assert sorted(drawn) == list(range(len(ds)))
    prog = DRSSampler(ds, sampler=dict(type='ProgressiveSampler', max_epochs=6), start_epoch=2,
                      seed=0)
    prog.set_epoch(5)
    np.testing.assert_allclose(prog.sampler.class_probabilities(), [0.25] * 4 + [0])


def test_drs_instance_phase_splits_across_ranks():
    ds = ToyClsDataset()
    streams = []
    for rank in (0, 1):
        with _dist(rank, 2):
            drs = DRSSampler(ds, sampler=dict(type='SquareRootSampler'), start_epoch=5, seed=1)
        streams.append(list(iter(drs)))
    assert len(streams[0]) == len(streams[1]) == 43
    assert set(streams[0] + streams[1]) == set(range(85))
