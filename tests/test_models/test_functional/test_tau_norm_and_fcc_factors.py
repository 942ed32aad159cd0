"""tau_normalize and fcc_factors against hand-computed values."""
from unittest import TestCase

import torch

from ltr_mm.models.functional import fcc_factors, tau_normalize


class TestTauNormalize(TestCase):

    def setUp(self):
        self.weight = torch.tensor([[3.0, 4.0], [0.0, 2.0], [0.0, 0.0]])

    def test_p0_is_identity(self):
        self.assertTrue(torch.equal(tau_normalize(self.weight, 0.0), self.weight))

    def test_p1_gives_unit_norms(self):
        out = tau_normalize(self.weight, 1.0)
        self.assertTrue(torch.allclose(out[:2].norm(dim=1), torch.ones(2)))
        self.assertTrue(torch.allclose(out[0], torch.tensor([0.6, 0.8])))
        self.assertTrue(torch.equal(out[2], torch.zeros(2)))  # all-zero row stays zero

    def test_p_half(self):
        out = tau_normalize(self.weight, 0.5)
        expected = self.weight[:2] / torch.tensor([[5.0**0.5], [2.0**0.5]])
        self.assertTrue(torch.allclose(out[:2], expected))


class TestFCCFactors(TestCase):
    """C = 4, gamma = 0.1: tau_k = round(1.1 - 0.025 k, 2) = 1.10, 1.08, 1.05, 1.03."""

    def test_index_order(self):
        out = fcc_factors(4, 0.1, order='index')
        self.assertEqual(out.tolist(), torch.tensor([1.10, 1.08, 1.05, 1.03]).tolist())

    def test_rank_order_by_counts(self):
        # ranks by count (ties -> lower index first): class 1 -> 0, 2 -> 1, 3 -> 2, 0 -> 3
        out = fcc_factors(4, 0.1, counts=[1, 5, 5, 3], order='rank')
        self.assertEqual(out.tolist(), torch.tensor([1.03, 1.10, 1.08, 1.05]).tolist())

    def test_rank_equals_index_on_sorted_counts(self):
        self.assertTrue(torch.equal(fcc_factors(4, 0.1, [50, 20, 9, 1]),
                                    fcc_factors(4, 0.1, order='index')))

    def test_unrounded(self):
        out = fcc_factors(4, 0.1, order='index', decimals=None)
        self.assertTrue(torch.allclose(out, torch.tensor([1.1, 1.075, 1.05, 1.025])))

    def test_original_rounding_at_ties(self):
        # The original computes round(1 + gamma - k * (gamma / C), 2). For C = 100, gamma = 0.5
        # the unrounded factors of k = 47 and 57 are the ties 1.265 and 1.215; in binary
        # 47 * 0.005 and 57 * 0.005 land just above 0.235 / 0.285, so they round down to 1.26
        # and 1.21 (k * gamma / C lands below and would give 1.27 and 1.22).
        out = fcc_factors(100, 0.5, order='index')
        self.assertEqual(round(out[47].item(), 6), 1.26)
        self.assertEqual(round(out[57].item(), 6), 1.21)
        self.assertEqual(round(out[0].item(), 6), 1.5)
        self.assertEqual(round(out[99].item(), 6), 1.0)  # 1.005 rounds down in binary too

    def test_errors(self):
        with self.assertRaises(ValueError):
            fcc_factors(4, 0.1, order='rank')
        with self.assertRaises(ValueError):
            fcc_factors(4, 0.1, counts=[1, 2, 3], order='rank')
        with self.assertRaises(ValueError):
            fcc_factors(4, 0.1, order='random')
        with self.assertRaises(ValueError):
            fcc_factors(4, -0.1, order='index')
