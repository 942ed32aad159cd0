"""CostSensitiveCELoss: weights (n_min / n_c) ** gamma, weighted mean, contract."""
import math
from unittest import TestCase

import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract

from ltr_mm.models.functional import cost_sensitive_weights


class TestCostSensitiveCELoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='CostSensitiveCELoss', class_counts=[100, 10, 1])
    WEIGHTED_MEAN = True

    def test_weights_closed_form(self):
        torch.testing.assert_close(cost_sensitive_weights([100, 10, 1]),
                                   torch.tensor([0.01, 0.1, 1.0]))
        torch.testing.assert_close(cost_sensitive_weights([100, 4, 1], 0.5),
                                   torch.tensor([0.1, 0.5, 1.0]))
        # zero counts are treated as one
        torch.testing.assert_close(cost_sensitive_weights([0, 2]), torch.tensor([1.0, 0.5]))

    def test_value(self):
        # torch's weighted mean sum_i w_i l_i / sum_i w_i, as the Bag of Tricks recipe.
        score, label = self.inputs()
        for gamma in (1.0, 0.5):
            w = torch.tensor([1 / 100, 1 / 10, 1.0])**gamma
            expected = F.cross_entropy(score, label, weight=w)
            torch.testing.assert_close(self.build(gamma=gamma)(score, label), expected)
            per_sample = F.cross_entropy(score, label, weight=w, reduction='none')
            none = self.build(gamma=gamma)(score, label, reduction_override='none')
            torch.testing.assert_close(none, per_sample / w[label].mean())

    def test_hand_values(self):
        # w = (0.01, 0.1, 1). Zero logits: every CE is log 3, so the weighted mean is log 3
        # whatever the labels (sum w l / N would give (0.01 + 0.01 + 1) / 3 * log 3).
        loss = self.build()
        zeros = torch.zeros(3, 3)
        torch.testing.assert_close(loss(zeros, torch.tensor([0, 0, 2])),
                                   torch.tensor(math.log(3)))
        # Class 0 at logits (0, 0, 0): CE log 3; class 2 at (0, 0, log 2): CE log 2.
        score = torch.tensor([[0., 0., 0.], [0., 0., math.log(2)]])
        expected = (0.01 * math.log(3) + 1.0 * math.log(2)) / 1.01
        torch.testing.assert_close(loss(score, torch.tensor([0, 2])), torch.tensor(expected))

    def test_zero_weight_rows_leave_the_divisor(self):
        # mmdet label weights: the class-1 row with weight 0 must not enter the mean class
        # weight. avg_factor = 2 (the weighted rows): (0.01 l_0 + 1 l_2) / (0.01 + 1).
        loss = self.build()
        score = torch.tensor([[0., 0., 0.], [0., 0., math.log(2)], [5., -1., 2.]])
        label = torch.tensor([0, 2, 1])
        weight = torch.tensor([1., 1., 0.])
        expected = (0.01 * math.log(3) + 1.0 * math.log(2)) / 1.01
        torch.testing.assert_close(loss(score, label, weight=weight, avg_factor=2.0),
                                   torch.tensor(expected))
        # Fractional weights weight the divisor: sum r w l / sum r w with avg_factor sum r.
        weight = torch.tensor([2., 1., 0.5])
        w = torch.tensor([0.01, 1.0, 0.1])
        per_sample = F.cross_entropy(score, label, reduction='none')
        expected = (weight * w * per_sample).sum() / (weight * w).sum()
        torch.testing.assert_close(loss(score, label, weight=weight, avg_factor=3.5), expected)

    def test_background_rows_weigh_one(self):
        # C + 1 columns, label 3 = background with weight 1: weighted mean over w (0.01, 1).
        loss = self.build()
        score = torch.zeros(2, 4)
        torch.testing.assert_close(loss(score, torch.tensor([0, 3])),
                                   torch.tensor(math.log(4)))

    def test_drw_form(self):
        loss = self.build(drw_epoch=160)
        score, label = self.inputs()
        loss.set_epoch(160)
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
        loss.set_epoch(161)
        torch.testing.assert_close(loss(score, label), self.build()(score, label))
