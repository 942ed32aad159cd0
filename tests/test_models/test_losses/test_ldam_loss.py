"""LDAMLoss: closed-form margins, DRW switch at e > drw_epoch, contract."""
import math
from unittest import TestCase

import pytest
import torch
import torch.nn.functional as F
from class_stats_loss_contract import ClassStatsLossContract
from mmpretrain.registry import MODELS

from ltr_mm.models.functional import ldam_margins


class TestLDAMLoss(ClassStatsLossContract, TestCase):
    DEFAULT_ARGS = dict(type='LDAMLoss', class_counts=[100, 10, 1])
    WEIGHTED_MEAN = True

    def test_margins_closed_form(self):
        # m_c = 0.5 * n_c^(-1/4) / max_j n_j^(-1/4): the rarest class (n=1) gets 0.5.
        expected = torch.tensor([0.5 / math.sqrt(10), 0.5 / 10**0.25, 0.5])
        torch.testing.assert_close(ldam_margins([100, 10, 1]), expected)
        torch.testing.assert_close(self.build().margins, expected)
        torch.testing.assert_close(ldam_margins([16, 1], max_m=1.0), torch.tensor([0.5, 1.0]))

    def test_value_before_and_after_drw(self):
        loss = MODELS.build(self.DEFAULT_ARGS)
        score, label = self.inputs()
        margins = ldam_margins([100, 10, 1])
        shifted = 30.0 * (score - F.one_hot(label, 3) * margins)
        loss.set_epoch(160)  # epoch 160 is not > 160: no weights yet
        torch.testing.assert_close(loss(score, label), F.cross_entropy(shifted, label))
        loss.set_epoch(161)
        beta, n = 0.9999, torch.tensor([100., 10., 1.], dtype=torch.float64)
        w = (1 - beta) / (1 - beta**n)
        w = (w * 3 / w.sum()).float()
        # torch's weighted mean: sum_i w_i l_i / sum_i w_i.
        expected = F.cross_entropy(shifted, label, weight=w)
        torch.testing.assert_close(loss(score, label), expected)
        per_sample = F.cross_entropy(shifted, label, weight=w, reduction='none')
        expected = per_sample / w[label].mean()
        torch.testing.assert_close(loss(score, label, reduction_override='none'), expected)

    def test_zero_weight_rows_leave_the_divisor(self):
        # Per-sample weights (mmdet label weights) 1, 1, 1, 0, 0, 0: the loss is torch's
        # weighted CE over the first three rows only; the rows with weight 0 must not enter
        # the mean class weight.
        loss = self.build()
        score, label = self.inputs()
        label = torch.tensor([0, 1, 2, 2, 2, 1])
        shifted = 30.0 * (score - F.one_hot(label, 3) * ldam_margins([100, 10, 1]))
        beta, n = 0.9999, torch.tensor([100., 10., 1.], dtype=torch.float64)
        w = (1 - beta) / (1 - beta**n)
        w = (w * 3 / w.sum()).float()
        weight = torch.tensor([1., 1., 1., 0., 0., 0.])
        expected = F.cross_entropy(shifted[:3], label[:3], weight=w)
        torch.testing.assert_close(loss(score, label, weight=weight, avg_factor=3.0), expected)
        # The mean class weight over all six rows (the old divisor) is about 1.43 times larger.
        wrong = (F.cross_entropy(shifted[:3], label[:3], weight=w, reduction='sum') /
                 (3 * w[label].mean()))
        assert float(wrong.detach()) < 0.8 * float(expected.detach())

    def test_beta_zero_is_plain_ldam(self):
        loss = self.build(beta=0.0, scale=1.0)
        score, label = self.inputs()
        shifted = score - F.one_hot(label, 3) * ldam_margins([100, 10, 1])
        torch.testing.assert_close(loss(score, label), F.cross_entropy(shifted, label))

    def test_drw_needs_the_epoch(self):
        loss = MODELS.build(self.DEFAULT_ARGS)
        with pytest.raises(RuntimeError, match='LDAMLoss.*SetEpochHook'):
            loss(*self.inputs())
        loss = MODELS.build({**self.DEFAULT_ARGS, 'drw_epoch': None})
        assert torch.isfinite(loss(*self.inputs()))

    def test_background_column_has_no_margin(self):
        loss = self.build(beta=0.0, scale=1.0)
        score = torch.randn(2, 4)
        label = torch.tensor([3, 3])
        torch.testing.assert_close(loss(score, label), F.cross_entropy(score, label))
