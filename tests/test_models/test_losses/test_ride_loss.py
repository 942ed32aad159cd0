"""RIDELoss and RIDEDistillLoss against hand computations."""
import math
from unittest import TestCase

import torch
import torch.nn.functional as F

import ltr_mm  # noqa: F401
from ltr_mm.models.functional.ride_terms import diversity_temperatures
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import ClassStats

COUNTS = [16, 1]  # n^-1/4 = [0.5, 1] -> margins [0.25, 0.5] with max_m 0.5


def _kl(p, q):
    return sum(pi * (math.log(pi) - math.log(qi)) for pi, qi in zip(p, q))


def _softmax(v):
    e = [math.exp(x) for x in v]
    return [x / sum(e) for x in e]


class TestRIDELoss(TestCase):

    def build(self, **kwargs):
        cfg = dict(type='RIDELoss', class_counts=COUNTS, scale=2.0)
        cfg.update(kwargs)
        return CLS_MODELS.build(cfg)

    def test_margins_and_ldam_part(self):
        loss = self.build(diversity_factor=0.0)
        self.assertTrue(torch.allclose(loss.margins, torch.tensor([0.25, 0.5])))
        # label 1: target logit 2 - 2 * 0.5 = 1 vs 1 -> log 2; label 0: 3 - 0.5 = 2.5 vs 0
        z = torch.tensor([[1.0, 2.0], [3.0, 0.0]])
        got = loss(z, torch.tensor([1, 0]), reduction_override='none')
        want = [math.log(2.0), math.log(1 + math.exp(-2.5))]
        self.assertTrue(torch.allclose(got, torch.tensor(want)))
        # experts add up: (N, E, C) with two identical experts doubles the loss
        two = loss(torch.stack([z, z], 1), torch.tensor([1, 0]), reduction_override='none')
        self.assertTrue(torch.allclose(two, 2 * got))

    def test_diversity_kl_scalar_temperature(self):
        loss = self.build(base_loss_factor=0.0, diversity_factor=-0.5, base_temperature=2.0)
        z = torch.tensor([[[1.0, 0.0], [0.0, 3.0]]])  # one sample, two experts
        mean = [0.5, 1.5]
        want = sum(_kl(_softmax([m / 2 for m in mean]), _softmax([v / 2 for v in e]))
                   for e in ([1.0, 0.0], [0.0, 3.0])) * 4.0 * -0.5
        got = loss(z, torch.tensor([0]))
        self.assertAlmostEqual(got.item(), want, places=5)

    def test_reweight_switch_per_class_temperature_and_drw(self):
        loss = self.build(reweight_epoch=2, reweight_factor=0.05, beta=0.9)
        z = torch.tensor([[[1.0, 0.0], [0.0, 3.0]], [[0.5, 0.2], [2.0, -1.0]]])
        y = torch.tensor([0, 1])
        loss.set_epoch(2)
        self.assertFalse(loss.reweight_active)
        before = loss(z, y)
        loss.set_epoch(3)
        self.assertTrue(loss.reweight_active)
        after = loss(z, y)
        # hand: per-class temperature v_c and CB weights
        pi = [16 / 17, 1 / 17]
        v = [2 * p * 0.05 + 0.95 for p in pi]
        t = [x / max(v) for x in v]
        self.assertTrue(torch.allclose(diversity_temperatures(COUNTS, 1.0, 0.05),
                                       torch.tensor(t)))
        w = [(1 - 0.9) / (1 - 0.9**n) for n in COUNTS]
        w = [x * 2 / sum(w) for x in w]
        m = [0.25, 0.5]
        total, wsum = 0.0, 0.0
        for n in range(2):
            label = int(y[n])
            base = 0.0
            for e in range(2):
                zz = z[n, e].tolist()
                zz[label] -= 2.0 * m[label]
                base += -math.log(_softmax(zz)[label])
            total += w[label] * base
            wsum += w[label]
        div = 0.0
        tbar = sum(t) / 2
        for n in range(2):
            mean = z[n].mean(0).tolist()
            for e in range(2):
                div += _kl(_softmax([a / b for a, b in zip(mean, t)]),
                           _softmax([a / b for a, b in zip(z[n, e].tolist(), t)])) * tbar**2
        want = total / wsum + (-0.2) * div / 2
        self.assertAlmostEqual(after.item(), want, places=5)
        self.assertNotAlmostEqual(before.item(), after.item(), places=3)

    def test_reweight_off_never_switches(self):
        loss = self.build(reweight=False, reweight_epoch=2)
        z, y = torch.randn(4, 3, 2), torch.tensor([0, 1, 1, 0])
        first = loss(z, y)
        loss.set_epoch(500)
        self.assertFalse(loss.reweight_active)
        self.assertTrue(torch.equal(first, loss(z, y)))

    def test_drw_equals_torch_weighted_ce(self):
        loss = self.build(diversity_factor=0.0, max_m=0.0, reweight_epoch=0)
        loss.set_epoch(1)
        z, y = torch.randn(5, 2), torch.tensor([0, 1, 1, 0, 0])
        self.assertAlmostEqual(loss(z, y).item(), F.cross_entropy(
            z, y, weight=loss.drw_weights).item(), places=5)

    def test_missing_stats_empty_batch_and_contract(self):
        with self.assertRaises(RuntimeError):
            CLS_MODELS.build(dict(type='RIDELoss'))(torch.randn(2, 3, 2), torch.tensor([0, 1]))
        loss = self.build()
        z = torch.zeros(0, 3, 2, requires_grad=True)
        out = loss(z, torch.zeros(0, dtype=torch.long))
        out.backward()
        self.assertEqual(out.item(), 0.0)
        z, y = torch.randn(4, 3, 2), torch.tensor([0, 1, 1, 0])
        per = loss(z, y, reduction_override='none')
        self.assertEqual(per.shape, (4, ))
        self.assertAlmostEqual(loss(z, y, reduction_override='sum').item(), per.sum().item(),
                               places=4)
        self.assertAlmostEqual(loss(z, y, avg_factor=2.0).item(), per.sum().item() / 2,
                               places=4)
        with self.assertRaises(AssertionError):
            loss(z, y, reduction_override='max')
        loss.set_class_stats(ClassStats((5, 5, 5)))
        with self.assertRaises(ValueError):
            loss(z, y)


class TestRIDEDistillLoss(TestCase):

    def test_hand_value(self):
        loss = CLS_MODELS.build(dict(type='RIDEDistillLoss', temperature=2.0))
        s = torch.tensor([[1.0, 0.0]], requires_grad=True)
        t = torch.tensor([[0.0, 2.0]], requires_grad=True)
        want = _kl(_softmax([0.0, 1.0]), _softmax([0.5, 0.0])) * 4.0
        out = loss(s, t)
        self.assertAlmostEqual(out.item(), want, places=5)
        out.backward()
        self.assertIsNone(t.grad)
        self.assertIsNotNone(s.grad)
