"""BAGS group maths: exact tables, sampling, loss by hand, merge invariants."""
import math
from unittest import TestCase

import torch

from ltr_mm.models.functional.group_softmax import (
    bags_loss,
    build_group_tables,
    merge_group_scores,
    num_group_channels,
    original_layout,
    sample_others,
)

COUNTS = [0, 3, 9, 10, 42, 99, 100, 700, 1000, 5000, 20000]  # C = 11, labels 0..10


class TestGroupTables(TestCase):

    def test_two_groups(self):
        t = build_group_tables(COUNTS, bins=(100, ))
        self.assertEqual(t.group_labels, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
        self.assertEqual(t.pred_slice.tolist(), [[0, 7], [7, 6], [13, 2]])
        self.assertEqual(t.num_channels, 15)
        self.assertEqual(t.label2binlabel.tolist(), [
            [1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ])
        self.assertEqual(t.group_names(), ['(0, 100)', '[100, ~)'])

    def test_four_groups(self):
        t = build_group_tables(COUNTS)
        self.assertEqual(t.group_labels, [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9, 10]])
        self.assertEqual(t.pred_slice.tolist(), [[0, 4], [4, 4], [8, 3], [11, 4], [15, 2]])
        self.assertEqual(t.num_channels, 17)
        self.assertEqual(num_group_channels(11), 17)
        self.assertEqual(t.label2binlabel.tolist(), [
            [1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ])
        self.assertEqual(t.group_names(), ['(0, 10)', '[10, 100)', '[100, 1000)', '[1000, ~)'])

    def test_eight_groups(self):
        t = build_group_tables(COUNTS, bins=(5, 10, 50, 100, 500, 1000, 5000))
        self.assertEqual(t.group_labels,
                         [[0, 1], [2], [3, 4], [5], [6], [7], [8], [9, 10]])
        lengths = [3, 2, 3, 2, 2, 2, 2, 3, 2]
        self.assertEqual(t.pred_slice[:, 1].tolist(), lengths)
        self.assertEqual(t.pred_slice[:, 0].tolist(),
                         [sum(lengths[:i]) for i in range(9)])
        self.assertEqual(t.num_channels, 11 + 8 + 2)
        self.assertEqual(t.label2binlabel[7].tolist(), [0] * 9 + [1, 2, 0])

    def test_empty_groups_are_kept(self):
        t = build_group_tables([1, 2000])
        self.assertEqual(t.group_labels, [[0], [], [], [1]])
        self.assertEqual(t.pred_slice.tolist(), [[0, 2], [2, 1], [3, 1], [4, 2], [6, 2]])
        logits = torch.randn(3, 8)
        scores = merge_group_scores(logits, t)
        self.assertEqual(scores.shape, (3, 3))
        loss = bags_loss(logits, torch.tensor([0, 1, 2]), t)
        self.assertTrue(torch.isfinite(loss))

    def test_bad_bins(self):
        for bins in ((), (10, 10), (100, 10), (0, 10)):
            with self.assertRaises(ValueError):
                build_group_tables(COUNTS, bins)

    def test_original_layout(self):
        seed = original_layout(build_group_tables(COUNTS))
        self.assertEqual(seed['pred_slice'].tolist(),
                         [[0, 2], [2, 4], [6, 4], [10, 3], [13, 4]])
        self.assertEqual(seed['label2binlabel'][0].tolist(), [0] + [1] * 11)
        self.assertEqual(seed['label2binlabel'][3].tolist(), [0] * 7 + [1, 2] + [0] * 3)
        self.assertEqual(seed['valsplit']['[100, 1000)'], [7, 8])
        self.assertEqual(seed['valsplit']['background'], [0])


class TestSampling(TestCase):

    def test_no_positive_gives_zero_weights(self):
        w = sample_others(torch.zeros(6, dtype=torch.long), 8.0)
        self.assertEqual(w.sum().item(), 0)

    def test_ratio_and_generator(self):
        binlabels = torch.tensor([0, 1, 0, 0, 0, 0, 0, 2])
        g1, g2 = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
        w1 = sample_others(binlabels, 1.5, generator=g1)
        w2 = sample_others(binlabels, 1.5, generator=g2)
        self.assertTrue(torch.equal(w1, w2))
        self.assertEqual(w1.sum().item(), 2 + 3)  # 2 positives, floor(2 * 1.5) others
        self.assertEqual(w1[[1, 7]].tolist(), [1., 1.])
        self.assertEqual(sample_others(binlabels, 8.0).sum().item(), 8)  # k >= #others: all
        valid = torch.tensor([1, 1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(sample_others(binlabels, 8.0, valid).tolist(),
                         [1., 1., 0, 0, 0, 0, 0, 1.])


def _ce(logits, target):
    return -math.log(math.exp(logits[target]) / sum(math.exp(v) for v in logits))


class TestLoss(TestCase):
    # C = 3, one class per group: [oth, c0 | oth, c1 | oth, c2 | fg, bg]
    tables = build_group_tables([5, 50, 500], bins=(10, 100))
    logits = torch.tensor([[0.5, 1.0, 0.0, 0.2, 0.3, -0.1, 1.0, -1.0],
                           [0.1, -0.4, 0.7, 0.0, 0.2, 0.9, -0.5, 0.5],
                           [1.2, 0.3, -0.3, 0.4, 0.0, 0.0, 0.1, 0.2],
                           [0.0, 0.6, 0.2, 1.5, -0.7, 0.3, 0.8, 0.0]])
    labels = torch.tensor([0, 3, 3, 1])

    def _groups(self):
        z = self.logits.tolist()
        g0 = [_ce(r[0:2], t) for r, t in zip(z, [1, 0, 0, 0])]
        g1 = [_ce(r[2:4], t) for r, t in zip(z, [0, 0, 0, 1])]
        gbg = [_ce(r[6:8], t) for r, t in zip(z, [0, 1, 1, 0])]
        return g0, g1, gbg

    def test_by_hand_all_others(self):
        g0, g1, gbg = self._groups()
        expected = sum(g0) / 4 + sum(g1) / 4 + sum(gbg) / 4  # group of class 2: no positive
        loss = bags_loss(self.logits, self.labels, self.tables, ratio=1000.)
        self.assertAlmostEqual(loss.item(), expected, places=5)
        total = bags_loss(self.logits, self.labels, self.tables, 1000., reduction='sum')
        self.assertAlmostEqual(total.item(), sum(g0) + sum(g1) + sum(gbg), places=5)
        per_roi = bags_loss(self.logits, self.labels, self.tables, 1000., reduction='none')
        self.assertEqual(per_roi.shape, (4, ))
        self.assertAlmostEqual(per_roi.sum().item(), total.item(), places=5)

    def test_by_hand_no_others(self):
        g0, g1, gbg = self._groups()
        loss = bags_loss(self.logits, self.labels, self.tables, ratio=0.)
        self.assertAlmostEqual(loss.item(), g0[0] + g1[3] + sum(gbg) / 4, places=5)

    def test_label_weight(self):
        g0, g1, gbg = self._groups()
        w = torch.tensor([1., 0., 1., 1.])
        loss = bags_loss(self.logits, self.labels, self.tables, 1000., label_weight=w)
        expected = (g0[0] + g0[2] + g0[3]) / 3 + (g1[0] + g1[2] + g1[3]) / 3 + (
            gbg[0] + gbg[2] + gbg[3]) / 3
        self.assertAlmostEqual(loss.item(), expected, places=5)

    def test_gradient_of_group_without_positives(self):
        logits = self.logits.clone().requires_grad_()
        bags_loss(logits, self.labels, self.tables).backward()
        self.assertTrue(torch.equal(logits.grad[:, 4:6], torch.zeros(4, 2)))
        self.assertTrue(logits.grad[:, 6:].abs().sum() > 0)

    def test_empty_batch(self):
        logits = torch.zeros(0, 8, requires_grad=True)
        loss = bags_loss(logits, torch.zeros(0, dtype=torch.long), self.tables)
        self.assertEqual(loss.item(), 0.)
        loss.backward()
        self.assertIsNotNone(logits.grad)

    def test_width_is_checked(self):
        with self.assertRaises(ValueError):
            bags_loss(torch.zeros(2, 7), torch.zeros(2, dtype=torch.long), self.tables)


class TestMerge(TestCase):

    def test_uniform_logits(self):
        t = build_group_tables(COUNTS)
        scores = merge_group_scores(torch.zeros(2, t.num_channels), t)
        self.assertEqual(scores.shape, (2, 12))
        expected = [0.5 / 4] * 3 + [0.5 / 4] * 3 + [0.5 / 3] * 2 + [0.5 / 4] * 3 + [0.5]
        self.assertTrue(torch.allclose(scores[0], torch.tensor(expected)))

    def test_invariants(self):
        torch.manual_seed(0)
        t = build_group_tables(COUNTS)
        logits = torch.randn(5, t.num_channels) * 3
        scores = merge_group_scores(logits, t)
        p = torch.softmax(logits[:, 15:17], dim=1)
        self.assertTrue(torch.allclose(scores[:, -1], p[:, 1]))  # bg last = p(bg)
        for (start, length), labels in zip(t.pred_slice.tolist()[:-1], t.group_labels):
            others = torch.softmax(logits[:, start:start + length], dim=1)[:, 0]
            total = scores[:, -1] + scores[:, labels].sum(1) + p[:, 0] * others
            self.assertTrue(torch.allclose(total, torch.ones(5)))  # sums to 1 per RoI

    def test_single_group_without_others_mass_sums_to_one(self):
        t = build_group_tables([50, 60, 70], bins=(1000, ))  # every class in group 0
        logits = torch.randn(4, t.num_channels)
        logits[:, 0] = -1e4  # "others" probability 0
        self.assertTrue(torch.allclose(merge_group_scores(logits, t).sum(1), torch.ones(4)))
