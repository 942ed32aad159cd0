"""CostSensitiveCELoss: weights (n_min / n_c) ** gamma, contract."""
from unittest import TestCase

import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract

from ltr_mm.models.functional import cost_sensitive_weights


class TestCostSensitiveCELoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='CostSensitiveCELoss', class_counts=[100, 10, 1])

    def test_weights_closed_form(self):
        torch.testing.assert_close(cost_sensitive_weights([100, 10, 1]),
                                   torch.tensor([0.01, 0.1, 1.0]))
        torch.testing.assert_close(cost_sensitive_weights([100, 4, 1], 0.5),
                                   torch.tensor([0.1, 0.5, 1.0]))
        # zero counts are treated as one
        torch.testing.assert_close(cost_sensitive_weights([0, 2]), torch.tensor([1.0, 0.5]))

    def test_value(self):
        score, label = self.inputs()
        for gamma in (1.0, 0.5):
            w = torch.tensor([1 / 100, 1 / 10, 1.0])**gamma
            expected = F.cross_entropy(score, label, weight=w, reduction='none').mean()
            torch.testing.assert_close(self.build(gamma=gamma)(score, label), expected)

    def test_drw_form(self):
        loss = self.build(drw_epoch=160)
        score, label = self.inputs()
        loss.set_epoch(160)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
        loss.set_epoch(161)
        torch.testing.assert_close(loss(score, label), self.build()(score, label))
