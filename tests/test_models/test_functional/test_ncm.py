"""NCM maths (ncm_features, ncm_logits, class_sums) against hand-computed values."""
import math
from unittest import TestCase

import torch

from ltr_mm.models.functional import class_sums, ncm_features, ncm_logits


class TestNCMFeatures(TestCase):

    def test_cl2n_centres_then_normalises(self):
        feats = torch.tensor([[2.0, 1.0], [4.0, 4.0]])
        out = ncm_features(feats, 'cl2n', torch.tensor([1.0, 1.0]))  # (1, 0) and (3, 3)
        torch.testing.assert_close(out, torch.tensor([[1.0, 0.0], [0.5**0.5, 0.5**0.5]]))

    def test_l2n_and_none(self):
        feats = torch.tensor([[3.0, 4.0]])
        torch.testing.assert_close(ncm_features(feats, 'l2n'), torch.tensor([[0.6, 0.8]]))
        torch.testing.assert_close(ncm_features(feats, 'none'), feats)

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, 'feat_norm'):
            ncm_features(torch.zeros(1, 2), 'l1')
        with self.assertRaisesRegex(ValueError, 'mean feature'):
            ncm_features(torch.zeros(1, 2), 'cl2n')


class TestNCMLogits(TestCase):
    """x = (0.6, 0.8); means (1, 0) and (0, 0.5)."""

    def setUp(self):
        self.x = torch.tensor([[0.6, 0.8]])
        self.means = torch.tensor([[1.0, 0.0], [0.0, 0.5]])

    def test_l2(self):
        # ||x - m||^2: 0.16 + 0.64 = 0.8 and 0.36 + 0.09 = 0.45; the second mean is nearer
        out = ncm_logits(self.x, self.means, 'l2')
        torch.testing.assert_close(out, torch.tensor([[-0.8, -0.45]]))

    def test_cos(self):
        # cosine to the means: 0.6 and 0.8 (the norm of a mean does not matter)
        out = ncm_logits(self.x, self.means, 'cos')
        torch.testing.assert_close(out, torch.tensor([[0.6, 0.8]]))
        unit = self.means / self.means.norm(dim=1, keepdim=True)
        torch.testing.assert_close(ncm_logits(self.x, unit, 'l2'), 2 * out - 2)

    def test_bad_distance(self):
        with self.assertRaisesRegex(ValueError, 'distance'):
            ncm_logits(self.x, self.means, 'l1')


class TestClassSums(TestCase):

    def test_sums(self):
        feats = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        out = class_sums(feats, torch.tensor([2, 0, 2]), 3)
        expected = torch.tensor([[3.0, 4.0], [0.0, 0.0], [6.0, 8.0]], dtype=torch.float64)
        torch.testing.assert_close(out, expected)

    def test_label_out_of_range(self):
        with self.assertRaisesRegex(ValueError, r'labels must be in \[0, 2\)'):
            class_sums(torch.zeros(1, 2), torch.tensor([2]), 2)

    def test_hand_class_means(self):
        # centred by (1, 0) and normalised: (1, 1)/sqrt2, (1, 3)/sqrt10 (class 0);
        # (-3, -1)/sqrt10, (1, -3)/sqrt10 (class 1)
        feats = torch.tensor([[2.0, 1.0], [2.0, 3.0], [-2.0, -1.0], [2.0, -3.0]])
        x = ncm_features(feats, 'cl2n', feats.mean(0))
        means = class_sums(x, torch.tensor([0, 0, 1, 1]), 2) / 2
        r2, r10 = math.sqrt(2), math.sqrt(10)
        expected = torch.tensor([[(1 / r2 + 1 / r10) / 2, (1 / r2 + 3 / r10) / 2],
                                 [-1 / r10, -2 / r10]], dtype=torch.float64)
        torch.testing.assert_close(means, expected)
