"""API contract shared by the class-count losses (mixed into each loss's TestCase)."""
import pytest
import torch
from mmdet.registry import MODELS as DET_MODELS
from mmpretrain.registry import MODELS as CLS_MODELS

import ltr_mm  # noqa: F401  (registers the losses)
from ltr_mm.utils.class_stats import ClassStats

COUNTS = [100, 10, 1]


class ClassStatsLossContract:
    """Subclasses set ``DEFAULT_ARGS`` (with ``class_counts``) and inherit these tests."""

    DEFAULT_ARGS: dict = {}
    # True for the losses normalised by the batch mean class weight (ClassWeightedMeanMixin):
    # per-sample weights then also change that divisor.
    WEIGHTED_MEAN = False

    def build(self, **kwargs):
        loss = CLS_MODELS.build({**self.DEFAULT_ARGS, **kwargs})
        loss.set_epoch(1000)
        return loss

    def inputs(self, n: int = 6, c: int = 3):
        torch.manual_seed(0)
        return torch.randn(n, c, requires_grad=True), torch.randint(0, c, (n, ))

    def test_build_from_registry_in_both_scopes(self):
        for registry in (CLS_MODELS, DET_MODELS):
            loss = registry.build(self.DEFAULT_ARGS)
            assert type(loss).__name__ == self.DEFAULT_ARGS['type']
            assert type(loss).__module__.startswith('ltr_mm.models.losses')

    def test_reduction_contract(self):
        loss = self.build()
        score, label = self.inputs()
        none = loss(score, label, reduction_override='none')
        assert none.shape == (6, )
        torch.testing.assert_close(loss(score, label), none.mean())
        torch.testing.assert_close(loss(score, label, reduction_override='sum'), none.sum())
        torch.testing.assert_close(loss(score, label, avg_factor=3.0), none.sum() / 3.0)
        weight = torch.tensor([1., 0., 2., 1., 0., 1.])
        expected = (none * weight).sum()
        if self.WEIGHTED_MEAN:  # divisor: mean class weight of the weighted rows, not all rows
            w = loss.class_weight[label]
            expected = expected * w.mean() / ((weight * w).sum() / weight.sum())
        torch.testing.assert_close(loss(score, label, weight=weight, reduction_override='sum'),
                                   expected)
        with pytest.raises(ValueError):
            loss(score, label, avg_factor=3.0, reduction_override='sum')
        with pytest.raises(AssertionError):
            loss(score, label, reduction_override='avg')
        double = self.build(loss_weight=2.0)
        torch.testing.assert_close(double(score, label), 2 * none.mean())

    def test_empty_batch(self):
        loss = self.build()
        score = torch.zeros(0, 3, requires_grad=True)
        label = torch.zeros(0, dtype=torch.long)
        for kwargs in ({}, {'avg_factor': 0.0}, {'reduction_override': 'sum'}):
            value = loss(score, label, **kwargs)
            assert value.shape == () and float(value.detach()) == 0.0
            value.backward()
            assert score.grad is not None and score.grad.shape == (0, 3)
        assert loss(score, label, reduction_override='none').shape == (0, )

    def test_backward(self):
        score, label = self.inputs()
        self.build()(score, label).backward()
        assert score.grad is not None and torch.isfinite(score.grad).all()

    def test_error_if_class_stats_never_set(self):
        args = {k: v for k, v in self.DEFAULT_ARGS.items() if k != 'class_counts'}
        loss = CLS_MODELS.build(args)
        loss.set_epoch(1000)
        assert not loss.has_class_stats
        score, label = self.inputs()
        with pytest.raises(RuntimeError, match=f'{args["type"]}.*SetClassStatsHook'):
            loss(score, label)
        loss.set_class_stats(ClassStats.from_counts(COUNTS))
        assert loss.has_class_stats and loss.num_classes == 3
        torch.testing.assert_close(loss(score, label), self.build()(score, label))

    def test_one_door_keeps_the_object(self):
        loss = self.build()
        stats = ClassStats.from_counts(COUNTS)
        loss.set_class_stats(stats)
        assert loss.class_stats is stats
        with pytest.raises(TypeError, match='takes a ClassStats'):
            loss.set_class_stats(COUNTS)

    def test_stats_buffers_are_not_saved(self):
        assert list(self.build().state_dict()) == []

    def test_wrong_width_is_named(self):
        score = torch.randn(2, 5)
        with pytest.raises(ValueError, match=f'{self.DEFAULT_ARGS["type"]}.*5 columns'):
            self.build()(score, torch.tensor([0, 1]))

    def test_background_column_accepted(self):
        # mmdet layout: C + 1 columns, label C is background.
        loss = self.build()
        score = torch.randn(4, 4, requires_grad=True)
        value = loss(score, torch.tensor([0, 1, 2, 3]), weight=torch.ones(4), avg_factor=4.0)
        value.backward()
        assert torch.isfinite(value) and score.grad is not None

    def test_soft_targets_match_hard_ones(self):
        loss = self.build()
        score, label = self.inputs()
        soft = torch.nn.functional.one_hot(label, 3).float()
        torch.testing.assert_close(loss(score, soft), loss(score, label))
