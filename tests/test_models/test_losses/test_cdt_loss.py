"""CDTLoss: logits divided by a_c = (n_max / n_c) ** gamma, contract."""
from unittest import TestCase

import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract

from ltr_mm.models.functional import cdt_scales


class TestCDTLoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='CDTLoss', class_counts=[100, 10, 1])

    def test_scales_closed_form(self):
        torch.testing.assert_close(cdt_scales([100, 10, 1]),
                                   torch.tensor([1.0, 10**0.2, 100**0.2]))
        torch.testing.assert_close(cdt_scales([32, 1], gamma=0.2), torch.tensor([1.0, 2.0]))

    def test_value(self):
        score, label = self.inputs()
        a = torch.tensor([1.0, 10**0.2, 100**0.2])
        torch.testing.assert_close(self.build()(score, label), F.cross_entropy(score / a, label))
        torch.testing.assert_close(self.build(gamma=0.0)(score, label),
                                   F.cross_entropy(score, label))

    def test_background_temperature_is_one(self):
        score = torch.randn(2, 4)
        label = torch.tensor([3, 1])
        a = torch.tensor([1.0, 10**0.2, 100**0.2, 1.0])
        torch.testing.assert_close(self.build()(score, label), F.cross_entropy(score / a, label))
