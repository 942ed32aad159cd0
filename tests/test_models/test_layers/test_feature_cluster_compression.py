"""FeatureClusterCompression: per-sample factors, epoch switch, eval identity."""
from unittest import TestCase

import torch

from ltr_mm.models.layers import FeatureClusterCompression
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import ClassStats


class TestFeatureClusterCompression(TestCase):
    DEFAULT_ARGS = dict(type='FeatureClusterCompression', num_classes=4, gamma=0.1,
                        start_epoch=2, order='index')

    def build(self, **kwargs):
        return CLS_MODELS.build({**self.DEFAULT_ARGS, **kwargs}).train()

    def test_index_factors_scale_each_sample(self):
        fcc = self.build()
        self.assertIsInstance(fcc, FeatureClusterCompression)
        self.assertEqual(fcc.factors.tolist(), torch.tensor([1.10, 1.08, 1.05, 1.03]).tolist())
        fcc.set_epoch(3)
        first, last = torch.randn(4, 2, 3, 3), torch.randn(4, 5, 2, 2)
        labels = torch.tensor([3, 0, 1, 0])
        out = fcc((first, last), labels)
        self.assertIs(out[0], first)  # only the last backbone output is scaled
        expected = torch.tensor([1.03, 1.10, 1.08, 1.10]).view(4, 1, 1, 1) * last
        self.assertTrue(torch.allclose(out[1], expected))

    def test_rank_factors_from_class_stats(self):
        fcc = self.build(order='rank', start_epoch=0)
        with self.assertRaisesRegex(RuntimeError, 'SetClassStatsHook'):
            fcc((torch.ones(1, 2), ), torch.tensor([0]))
        fcc.set_class_stats(ClassStats((1, 5, 5, 3)))
        self.assertEqual(fcc.factors.tolist(), torch.tensor([1.03, 1.10, 1.08, 1.05]).tolist())
        out = fcc((torch.ones(2, 2), ), torch.tensor([0, 1]))
        self.assertTrue(torch.allclose(out[0], torch.tensor([[1.03, 1.03], [1.10, 1.10]])))
        built = self.build(order='rank', class_counts=[1, 5, 5, 3])
        self.assertTrue(torch.equal(built.factors, fcc.factors))

    def test_active_only_after_start_epoch(self):
        fcc = self.build()
        feats, labels = (torch.ones(2, 3), ), torch.tensor([0, 1])
        with self.assertRaisesRegex(RuntimeError, 'SetEpochHook'):
            fcc(feats, labels)
        for epoch, active in ((1, False), (2, False), (3, True), (10, True)):
            fcc.set_epoch(epoch)
            self.assertEqual(fcc.active, active, epoch)
            out = fcc(feats, labels)
            self.assertEqual(torch.equal(out[0], feats[0]), not active, epoch)
        no_start = self.build(start_epoch=0)  # active from epoch 1, no hook needed
        self.assertTrue(no_start.active)

    def test_identity_in_eval_and_with_zero_gamma(self):
        feats, labels = (torch.randn(2, 3), ), torch.tensor([0, 1])
        fcc = self.build(start_epoch=0).eval()
        self.assertIs(fcc(feats, labels), feats)
        zero = self.build(start_epoch=0, gamma=0.0)
        self.assertIs(zero(feats, labels), feats)

    def test_bad_args(self):
        with self.assertRaises(ValueError):
            self.build(order='random')
        with self.assertRaises(ValueError):
            self.build(start_epoch=-1)
        with self.assertRaises(ValueError):
            self.build(num_classes=0)
