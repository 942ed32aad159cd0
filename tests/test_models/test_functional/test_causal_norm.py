"""Causal-norm and TDE maths against hand-computed values."""
import math
from unittest import TestCase

import torch

from ltr_mm.models.functional.causal_norm import (
    bg_exempted_log_probs,
    bg_exempted_probs,
    causal_norm_logits,
    head_cosines,
    heuristic_alpha,
    masked_sum_and_count,
    normalize_heads,
    tde_logit_shift,
    tde_logits,
    update_moving_average,
)

# D = 4, K = 2: x_1 = (3, 4) -> (0.6, 0.8), x_2 = (1, 0) -> (1, 0).
FEAT = torch.tensor([[3., 4., 1., 0.]])
# w_0 = ((1, 0), (0, 2)), w_1 = ((0, 1), (1, 0)).
WEIGHT = torch.tensor([[1., 0., 0., 2.], [0., 1., 1., 0.]])


class TestCausalNorm(TestCase):

    def test_logits_gamma_zero(self):
        # w^_0 = ((1, 0), (0, 1)), w^_1 = ((0, 1), (1, 0)); tau / K = 1.
        z = causal_norm_logits(FEAT, WEIGHT, num_heads=2, tau=2.0, gamma=0.0, eps=0.0)
        torch.testing.assert_close(z, torch.tensor([[0.6, 1.8]]))

    def test_logits_gamma_and_tau(self):
        # gamma = 1: w^_0 = ((0.5, 0), (0, 2/3)), w^_1 = ((0, 0.5), (0.5, 0)); tau / K = 8.
        z = causal_norm_logits(FEAT, WEIGHT, num_heads=2, tau=16.0, gamma=1.0, eps=0.0)
        torch.testing.assert_close(z, 8 * torch.tensor([[0.3, 0.9]]))

    def test_single_head_is_scaled_cosine(self):
        z = causal_norm_logits(FEAT, WEIGHT, num_heads=1, tau=1.0, gamma=0.0, eps=0.0)
        cos = torch.nn.functional.cosine_similarity(FEAT, WEIGHT)
        torch.testing.assert_close(z, cos[None])

    def test_feature_scale_invariance(self):
        z = causal_norm_logits(FEAT, WEIGHT)
        torch.testing.assert_close(causal_norm_logits(7 * FEAT, WEIGHT), z)

    def test_tde_logits_by_hand(self):
        # d^ = ((1, 0), (0, 1)), cos = (0.6, 0); alpha = 1: x_1 -> (0, 0.8), x_2 -> (1, 0).
        for scale in (1.0, 5.0):  # only the direction of d is used
            mean_feat = scale * torch.tensor([1., 0., 0., 1.])
            z = tde_logits(FEAT, WEIGHT, mean_feat, alpha=1.0, num_heads=2, tau=2.0,
                           gamma=0.0, eps=0.0)
            torch.testing.assert_close(z, torch.tensor([[0.0, 1.8]]))

    def test_tde_equals_logits_minus_counterfactual(self):
        torch.manual_seed(0)
        feat, weight, mean_feat = torch.randn(6, 8), torch.randn(5, 8), torch.randn(8)
        alpha, k, tau, gamma = 1.5, 2, 16.0, 1 / 32
        x_hat = normalize_heads(feat, k)
        d_hat = normalize_heads(mean_feat, k)
        w = weight.view(5, k, 4)
        w_hat = w / (w.norm(dim=-1, keepdim=True) + gamma)
        cos = (x_hat * d_hat).sum(-1)  # (6, k)
        z0 = tau / k * torch.einsum('nk,ckd,kd->nc', cos, w_hat, d_hat)
        expected = causal_norm_logits(feat, weight, k, tau, gamma) - alpha * z0
        torch.testing.assert_close(tde_logits(feat, weight, mean_feat, alpha, k, tau, gamma),
                                   expected)

    def test_alpha_zero_and_zero_mean_give_plain_logits(self):
        torch.manual_seed(1)
        feat, weight = torch.randn(4, 6), torch.randn(3, 6)
        plain = causal_norm_logits(feat, weight, 2)
        torch.testing.assert_close(tde_logits(feat, weight, torch.randn(6), 0.0, 2), plain)
        torch.testing.assert_close(tde_logits(feat, weight, torch.zeros(6), 3.0, 2), plain)

    def test_zero_feature_is_finite(self):
        z = tde_logits(torch.zeros(2, 4), WEIGHT, torch.ones(4), 1.5, 2)
        assert torch.isfinite(z).all() and (z == 0).all()

    def test_bad_num_heads(self):
        with self.assertRaises(ValueError):
            causal_norm_logits(torch.randn(2, 5), torch.randn(3, 5), num_heads=2)


class TestBackgroundExempted(TestCase):

    def test_by_hand(self):
        # p = (0.2, 0.3 | bg 0.5), q = (0.1, 0.6 | bg 0.3):
        # fg_i = (1 - 0.5) * q_i / (1 - 0.3), bg = 0.5.
        p = torch.tensor([[0.2, 0.3, 0.5]])
        q = torch.tensor([[0.1, 0.6, 0.3]])
        scores = bg_exempted_probs(p.log(), q.log())
        torch.testing.assert_close(scores, torch.tensor([[0.05 / 0.7, 0.3 / 0.7, 0.5]]))

    def test_rows_are_normalised_and_softmax_gives_them_back(self):
        torch.manual_seed(2)
        logits, tde = 10 * torch.randn(5, 7), 10 * torch.randn(5, 7)
        log_s = bg_exempted_log_probs(logits, tde)
        torch.testing.assert_close(log_s.exp().sum(-1), torch.ones(5))
        torch.testing.assert_close(log_s.softmax(-1), log_s.exp())
        # background column is the plain one; foreground ranking is the TDE one
        torch.testing.assert_close(log_s[:, -1], logits.log_softmax(-1)[:, -1])
        assert torch.equal(log_s[:, :-1].argsort(-1), tde[:, :-1].argsort(-1))

    def test_same_logits_give_plain_softmax(self):
        logits = torch.tensor([[1.0, -2.0, 0.5, 3.0]])
        torch.testing.assert_close(bg_exempted_probs(logits, logits), logits.softmax(-1))


class TestMovingAverage(TestCase):

    def test_accumulation_form(self):
        d = torch.tensor([1.0, 2.0])
        new = update_moving_average(d, torch.tensor([3.0, 4.0]), mu=0.5)
        torch.testing.assert_close(new, torch.tensor([3.5, 5.0]))
        torch.testing.assert_close(d, torch.tensor([1.0, 2.0]))

    def test_geometric_sum_of_constant_batches(self):
        d, mu = torch.zeros(1), 0.9
        for _ in range(3):
            d = update_moving_average(d, torch.ones(1), mu)
        assert math.isclose(d.item(), 1 + mu + mu**2, rel_tol=1e-6)

    def test_masked_sum_and_count(self):
        feat = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
        total, count = masked_sum_and_count(feat, torch.tensor([True, False, True]))
        torch.testing.assert_close(total, torch.tensor([6., 8.]))
        assert count.item() == 2.0
        total, count = masked_sum_and_count(feat, torch.zeros(3, dtype=torch.bool))
        assert count.item() == 0.0 and (total == 0).all()


class TestAlphaHeuristic(TestCase):

    def test_head_cosines_by_hand(self):
        # x_1 = (0.6, 0.8), x_2 = (1, 0); d = (5, 0, 0, -2) -> d^_1 = (1, 0), d^_2 = (0, -1).
        cos = head_cosines(FEAT, torch.tensor([5., 0., 0., -2.]), num_heads=2)
        torch.testing.assert_close(cos, torch.tensor([[0.6, 0.0]]))

    def test_head_cosines_are_the_tde_coefficients(self):
        # tde_logits subtracts alpha * cos_k * d^_k: with d along x the whole feature goes.
        cos = head_cosines(FEAT, FEAT[0], num_heads=2)
        torch.testing.assert_close(cos, torch.ones(1, 2))
        z = tde_logits(FEAT, WEIGHT, FEAT[0], alpha=1.0, gamma=0.0, eps=0.0)
        torch.testing.assert_close(z, torch.zeros(1, 2))

    def test_heuristic_alpha(self):
        self.assertAlmostEqual(heuristic_alpha(0.4), 2.5)
        with self.assertRaisesRegex(ValueError, 'positive, got 0.0'):
            heuristic_alpha(0.0)

    def test_logit_shift_by_hand(self):
        # d^_1 = (1, 0), d^_2 = (0, -1); with gamma 0, w^_0 = ((1, 0), (0, 1)),
        # w^_1 = ((0, 1), (1, 0)); tau / K = 8.
        shift = tde_logit_shift(WEIGHT, torch.tensor([5., 0., 0., -2.]), gamma=0.0)
        torch.testing.assert_close(shift, torch.tensor([[8., -8.], [0., 0.]]))

    def test_logit_shift_times_cosines_is_the_tde_subtraction(self):
        gen = torch.Generator().manual_seed(0)
        feat = torch.randn(5, 6, generator=gen)
        weight = torch.randn(3, 6, generator=gen)
        mean = torch.randn(6, generator=gen)
        cos = head_cosines(feat, mean, num_heads=3)
        shift = tde_logit_shift(weight, mean, num_heads=3, tau=12.0, gamma=0.1)
        plain = tde_logits(feat, weight, mean, 0.0, num_heads=3, tau=12.0, gamma=0.1)
        tde = tde_logits(feat, weight, mean, 1.7, num_heads=3, tau=12.0, gamma=0.1)
        torch.testing.assert_close(plain - tde, 1.7 * cos @ shift.T)
