"""BalancedSoftmaxLoss: CE on z + log n, uniform prior = CE, contract."""
import math
from unittest import TestCase

import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract
from mmpretrain.registry import MODELS


class TestBalancedSoftmaxLoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='BalancedSoftmaxLoss', class_counts=[100, 10, 1])

    def test_equals_ce_plus_log_prior(self):
        score, label = self.inputs()
        log_n = torch.tensor([100., 10., 1.]).log()
        torch.testing.assert_close(self.build()(score, label),
                                   F.cross_entropy(score + log_n, label))

    def test_equals_ce_with_uniform_prior(self):
        score, label = self.inputs()
        loss = self.build(class_counts=[7, 7, 7])
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))

    def test_saturated_logits(self):
        # z = [0, 0]: loss of class 1 with counts [e^4, 1] is log(1 + e^4) - 0 ... = log(e^4 + 1).
        loss = self.build(class_counts=[round(math.exp(4)), 1])
        score = torch.zeros(1, 2)
        expected = math.log(round(math.exp(4)) + 1)
        assert float(loss(score, torch.tensor([1]))) == \
            torch.tensor(expected).float().item()

    def test_deferred_shift(self):
        loss = MODELS.build({**self.DEFAULT_ARGS, 'drw_epoch': 5})
        score, label = self.inputs()
        loss.set_epoch(5)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
        loss.set_epoch(6)
        torch.testing.assert_close(loss(score, label), self.build()(score, label))

    def test_background_column_unshifted(self):
        score = torch.randn(3, 4)
        label = torch.tensor([0, 2, 3])
        offsets = torch.tensor([100., 10., 1., 111.]).log()  # bg as prior 1 = N / N
        torch.testing.assert_close(self.build()(score, label),
                                   F.cross_entropy(score + offsets, label))
