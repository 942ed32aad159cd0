"""mean_sample_weight against hand-computed values."""
from unittest import TestCase

import torch
import torch.nn.functional as F

from ltr_mm.models.functional import mean_sample_weight


class TestMeanSampleWeight(TestCase):
    """Class weights w = (0.5, 2, 4), labels (0, 1, 2, 2): w_y = (0.5, 2, 4, 4)."""

    def setUp(self):
        self.w = torch.tensor([0.5, 2.0, 4.0])
        self.targets = F.one_hot(torch.tensor([0, 1, 2, 2]), 3).float()

    def test_plain_mean(self):
        self.assertAlmostEqual(float(mean_sample_weight(self.targets, self.w)), 10.5 / 4)

    def test_zero_weight_rows_drop_out(self):
        rows = torch.tensor([1.0, 1.0, 0.0, 0.0])
        self.assertAlmostEqual(float(mean_sample_weight(self.targets, self.w, rows)), 2.5 / 2)

    def test_fractional_row_weights(self):
        rows = torch.tensor([2.0, 0.0, 1.0, 1.0])  # (2 * 0.5 + 4 + 4) / 4
        self.assertAlmostEqual(float(mean_sample_weight(self.targets, self.w, rows)), 9.0 / 4)

    def test_soft_targets(self):
        soft = torch.tensor([[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]])  # 1.25 and 3.5
        self.assertAlmostEqual(float(mean_sample_weight(soft, self.w)), 4.75 / 2)

    def test_no_counting_row_gives_one(self):
        self.assertEqual(float(mean_sample_weight(torch.zeros(0, 3), self.w)), 1.0)
        self.assertEqual(float(mean_sample_weight(self.targets, self.w, torch.zeros(4))), 1.0)

    def test_weighted_mean_matches_torch(self):
        torch.manual_seed(0)
        score, label = torch.randn(5, 3), torch.tensor([0, 2, 1, 2, 0])
        per_sample = F.cross_entropy(score, label, weight=self.w, reduction='none')
        mean = per_sample.mean() / mean_sample_weight(F.one_hot(label, 3).float(), self.w)
        torch.testing.assert_close(mean, F.cross_entropy(score, label, weight=self.w))
