"""ClassBalancedLoss: effective-number weights, softmax / sigmoid / focal forms, both batch
normalisers, contract."""
import math
from unittest import TestCase

import pytest
import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract
from mmpretrain.registry import MODELS

from ltr_mm.models.functional import effective_number_weights


def cb_weights(counts, beta):
    w = [(1 - beta) / (1 - beta**n) for n in counts]
    return torch.tensor([x * len(w) / sum(w) for x in w])


class TestClassBalancedLoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='ClassBalancedLoss', class_counts=[100, 10, 1], beta=0.9)

    def test_weights_closed_form(self):
        torch.testing.assert_close(effective_number_weights([100, 10, 1], 0.9),
                                   cb_weights([100, 10, 1], 0.9))
        # n = 1 gives (1 - beta) / (1 - beta) = 1 before normalisation; beta = 0 is uniform.
        torch.testing.assert_close(effective_number_weights([5, 5], 0.5), torch.ones(2))
        torch.testing.assert_close(effective_number_weights([100, 1], 0.0), torch.ones(2))
        assert float(effective_number_weights([1000, 10, 1], 0.9999).sum()) == pytest.approx(3)

    def test_softmax(self):
        score, label = self.inputs()
        w = cb_weights([100, 10, 1], 0.9)
        expected = F.cross_entropy(score, label, weight=w, reduction='none').mean()
        torch.testing.assert_close(self.build()(score, label), expected)

    def test_sigmoid(self):
        score, label = self.inputs()
        w = cb_weights([100, 10, 1], 0.9)
        bce = F.binary_cross_entropy_with_logits(score, F.one_hot(label, 3).float(),
                                                 reduction='none').sum(1)
        torch.testing.assert_close(self.build(loss_type='sigmoid')(score, label),
                                   (bce * w[label]).mean())

    def test_focal(self):
        score, label = self.inputs()
        w = cb_weights([100, 10, 1], 0.9)
        t = F.one_hot(label, 3).float()
        p = torch.sigmoid(score)
        p_t = p * t + (1 - p) * (1 - t)
        bce = F.binary_cross_entropy_with_logits(score, t, reduction='none')
        expected = ((1 - p_t)**2 * bce).sum(1) * w[label]
        loss = self.build(loss_type='focal', gamma=2.0)
        torch.testing.assert_close(loss(score, label, reduction_override='none'), expected)

    def test_sigmoid_background_rows(self):
        # C sigmoid columns (mmdet sigmoid heads): label C = all-zero targets, weight 1.
        loss = self.build(loss_type='sigmoid')
        score = torch.randn(2, 3)
        expected = F.binary_cross_entropy_with_logits(score, torch.zeros(2, 3),
                                                      reduction='none').sum(1)
        torch.testing.assert_close(loss(score, torch.tensor([3, 3]), reduction_override='none'),
                                   expected)

    def test_deferred_weights(self):
        loss = MODELS.build({**self.DEFAULT_ARGS, 'drw_epoch': 2})
        score, label = self.inputs()
        loss.set_epoch(2)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
        loss.set_epoch(3)
        torch.testing.assert_close(loss(score, label), self.build()(score, label))

    def test_bad_loss_type(self):
        with pytest.raises(ValueError, match='loss_type'):
            self.build(loss_type='hinge')
        with pytest.raises(ValueError, match="normalize.*'batch'"):
            self.build(normalize='batch')

    def test_normalizers_hand_values(self):
        # Zero logits: every softmax CE is log 3. 'mean' (Cui et al.): mean of w_y times log 3;
        # 'weighted' (torch weight=w): log 3 whatever the weights.
        w = cb_weights([100, 10, 1], 0.9)
        zeros, label = torch.zeros(3, 3), torch.tensor([0, 0, 2])
        torch.testing.assert_close(self.build()(zeros, label),
                                   (w[0] + w[0] + w[2]) / 3 * math.log(3))
        torch.testing.assert_close(self.build(normalize='weighted')(zeros, label),
                                   torch.tensor(math.log(3)))

    def test_weighted_softmax(self):
        score, label = self.inputs()
        w = cb_weights([100, 10, 1], 0.9)
        torch.testing.assert_close(self.build(normalize='weighted')(score, label),
                                   F.cross_entropy(score, label, weight=w))
        # rows with sample weight 0 leave the divisor: torch's weighted CE over the others
        weight = torch.tensor([1., 0., 1., 1., 0., 1.])
        keep = weight > 0
        torch.testing.assert_close(
            self.build(normalize='weighted')(score, label, weight=weight, avg_factor=4.0),
            F.cross_entropy(score[keep], label[keep], weight=w))

    def test_weighted_sigmoid_and_focal(self):
        score, label = self.inputs()
        w = cb_weights([100, 10, 1], 0.9)[label]
        t = F.one_hot(label, 3).float()
        bce = F.binary_cross_entropy_with_logits(score, t, reduction='none')
        p_t = torch.sigmoid(score) * t + (1 - torch.sigmoid(score)) * (1 - t)
        for loss_type, per_class in (('sigmoid', bce), ('focal', (1 - p_t) * bce)):
            loss = self.build(loss_type=loss_type, gamma=1.0, normalize='weighted')
            torch.testing.assert_close(loss(score, label),
                                       (per_class.sum(1) * w).sum() / w.sum())

    def test_weighted_deferred(self):
        # before the DRW switch the weights are 1, so both normalisers give plain CE
        loss = MODELS.build({**self.DEFAULT_ARGS, 'drw_epoch': 2, 'normalize': 'weighted'})
        score, label = self.inputs()
        loss.set_epoch(2)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
        loss.set_epoch(3)
        w = cb_weights([100, 10, 1], 0.9)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label, weight=w))
