"""LogitAdjustLoss: tau = 0 is CE, tau = 1 is Balanced Softmax, general tau, contract."""
from unittest import TestCase

import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract
from mmpretrain.registry import MODELS

from ltr_mm.models.functional import adjust_logits, log_prior


class TestLogitAdjustLoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='LogitAdjustLoss', class_counts=[100, 10, 1], tau=1.5)

    def test_tau_zero_is_ce(self):
        score, label = self.inputs()
        torch.testing.assert_close(self.build(tau=0.0)(score, label),
                                   F.cross_entropy(score, label))

    def test_tau_one_is_balanced_softmax(self):
        score, label = self.inputs()
        bsce = MODELS.build(dict(type='BalancedSoftmaxLoss', class_counts=[100, 10, 1]))
        torch.testing.assert_close(self.build(tau=1.0)(score, label), bsce(score, label))

    def test_closed_form(self):
        score, label = self.inputs()
        log_pi = torch.tensor([100 / 111, 10 / 111, 1 / 111]).log()
        torch.testing.assert_close(log_prior([100, 10, 1]), log_pi)
        torch.testing.assert_close(self.build()(score, label),
                                   F.cross_entropy(score + 1.5 * log_pi, label))

    def test_background_column_gets_prior_one(self):
        # C + 1 columns: foreground tau * log(n_c / N), background 0; i.e. tau * log n_c with
        # tau * log N for the background (not 0).
        score = torch.randn(3, 4)
        label = torch.tensor([0, 2, 3])
        offsets = 1.5 * torch.tensor([100 / 111, 10 / 111, 1 / 111, 1.0]).log()
        torch.testing.assert_close(self.build()(score, label),
                                   F.cross_entropy(score + offsets, label))
        shifted = 1.5 * torch.tensor([100., 10., 1., 111.]).log()
        torch.testing.assert_close(self.build()(score, label),
                                   F.cross_entropy(score + shifted, label))

    def test_post_hoc_form_is_the_inverse(self):
        score = torch.randn(4, 3)
        log_pi = log_prior([100, 10, 1])
        torch.testing.assert_close(adjust_logits(adjust_logits(score, log_pi, 2.0), log_pi,
                                                 -2.0), score)
