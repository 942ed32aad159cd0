"""LTLinearClsHead and LWSClsHead: test-time tau-norm and logit adjustment by hand."""
import math
import tempfile
from unittest import TestCase

import torch
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.structures import DataSample

from ltr_mm.models.heads import LTLinearClsHead, LWSClsHead
from ltr_mm.models.layers import CosineLinear, LWSLinear
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import ClassStats, write_class_stats

X = (torch.tensor([[1.0, 1.0]]), )  # one sample, D = 2


def _logits(head, feats=X):
    return torch.log(head.predict(feats)[0].pred_score)  # softmax logits up to a constant


def _same_up_to_shift(a, b):
    return torch.allclose(a - a.mean(), b - b.mean(), atol=1e-5)


class TestLTLinearClsHead(TestCase):
    DEFAULT_ARGS = dict(type='LTLinearClsHead', num_classes=2, in_channels=2)

    def build(self, **kwargs):
        head = CLS_MODELS.build({**self.DEFAULT_ARGS, **kwargs})
        with torch.no_grad():  # w = [[3, 4], [0, 2]], b = [1, -1]: plain logits [8, 1]
            head.fc.weight.copy_(torch.tensor([[3.0, 4.0], [0.0, 2.0]]))
            if head.fc.bias is not None:
                head.fc.bias.copy_(torch.tensor([1.0, -1.0]))
        return head

    def test_plain_predict(self):
        head = self.build()
        self.assertIsInstance(head, LTLinearClsHead)
        self.assertTrue(torch.allclose(head.test_logits(X), torch.tensor([[8.0, 1.0]])))
        self.assertTrue(_same_up_to_shift(_logits(head), torch.tensor([8.0, 1.0])))

    def test_tau_norm_keep_and_drop_bias(self):
        head = self.build(test_cfg=dict(tau_norm=1.0))
        # unit rows [[.6, .8], [0, 1]]: [1.4 + 1, 1 - 1]
        self.assertTrue(torch.allclose(head.test_logits(X), torch.tensor([[2.4, 0.0]])))
        self.assertTrue(_same_up_to_shift(_logits(head), torch.tensor([2.4, 0.0])))
        head.test_cfg['keep_bias'] = False
        self.assertTrue(torch.allclose(head.test_logits(X), torch.tensor([[1.4, 1.0]])))
        head.test_cfg['tau_norm'] = 0.0  # bias dropped, weights untouched: [7, 2]
        self.assertTrue(torch.allclose(head.test_logits(X), torch.tensor([[7.0, 2.0]])))

    def test_training_ignores_test_cfg(self):
        plain, tau = self.build(), self.build(test_cfg=dict(tau_norm=1.0, logit_adjust=1.0))
        samples = [DataSample().set_gt_label(0)]
        self.assertTrue(
            torch.allclose(plain.loss(X, samples)['loss'], tau.loss(X, samples)['loss']))
        self.assertTrue(torch.allclose(tau(X), torch.tensor([[8.0, 1.0]])))

    def test_logit_adjustment(self):
        head = self.build(class_counts=[300, 100], test_cfg=dict(logit_adjust=1.0))
        expected = torch.tensor([8.0 - math.log(0.75), 1.0 - math.log(0.25)])
        self.assertTrue(_same_up_to_shift(_logits(head), expected))
        head.test_cfg['logit_adjust'] = 2.0
        expected = torch.tensor([8.0 - 2 * math.log(0.75), 1.0 - 2 * math.log(0.25)])
        self.assertTrue(_same_up_to_shift(_logits(head), expected))

    def test_logit_adjustment_flips_prediction(self):
        head = self.build(test_cfg=dict(logit_adjust=1.0))
        head.set_class_stats(ClassStats((10000, 1)))  # log prior gap log(10000) = 9.2 > 7
        self.assertEqual(head.predict(X)[0].pred_label.item(), 1)

    def test_counts_from_class_stats_and_errors(self):
        head = self.build(test_cfg=dict(logit_adjust=1.0))
        with self.assertRaisesRegex(RuntimeError, 'SetClassStatsHook'):
            head.predict(X)
        with tempfile.TemporaryDirectory() as tmp:
            path = f'{tmp}/class_stats.json'
            write_class_stats(path, ['a', 'b'], [300, 100])
            stats = ClassStats.from_file(path)
            head.set_class_stats(stats)
            self.assertIs(head.class_stats, stats)
            expected = torch.tensor([8.0 - math.log(0.75), 1.0 - math.log(0.25)])
            self.assertTrue(_same_up_to_shift(_logits(head), expected))
        with self.assertRaisesRegex(ValueError, 'unknown test_cfg'):
            self.build(test_cfg=dict(class_counts_from='class_stats.json'))
        with self.assertRaisesRegex(ValueError, 'class_counts has 3 class counts'):
            self.build().set_class_stats(ClassStats.from_counts([1, 2, 3]))
        with self.assertRaisesRegex(TypeError, 'takes a ClassStats'):
            self.build().set_class_stats([1, 2])

    def test_loads_linear_cls_head_checkpoint(self):
        plain = LinearClsHead(num_classes=2, in_channels=2)
        head = self.build(test_cfg=dict(tau_norm=1.0))
        head.load_state_dict(plain.state_dict())
        expected = torch.nn.functional.linear(
            X[0], plain.fc.weight / plain.fc.weight.norm(dim=1, keepdim=True), plain.fc.bias)
        self.assertTrue(torch.allclose(head.test_logits(X), expected, atol=1e-6))

    def test_cosine(self):
        head = self.build(cosine=True, scale=10.0, test_cfg=dict(tau_norm=1.0))
        self.assertIsInstance(head.fc, CosineLinear)
        expected = torch.tensor([[10 * 7 / (5 * math.sqrt(2)), 10 / math.sqrt(2)]])
        self.assertTrue(torch.allclose(head(X), expected, atol=1e-5))
        self.assertTrue(torch.allclose(head.test_logits(X), expected, atol=1e-5))


class TestLWSClsHead(TestCase):

    def test_stage1_weights_frozen_scales_learn(self):
        plain = LinearClsHead(num_classes=2, in_channels=2)
        head = CLS_MODELS.build(dict(type='LWSClsHead', num_classes=2, in_channels=2))
        self.assertIsInstance(head, LWSClsHead)
        self.assertIsInstance(head.fc, LWSLinear)
        missing, unexpected = head.load_state_dict(plain.state_dict(), strict=False)
        self.assertEqual((missing, unexpected), (['fc.scales'], []))
        self.assertEqual([n for n, _ in head.named_parameters()], ['fc.scales'])
        self.assertTrue(torch.allclose(head(X), plain(X)))
        with torch.no_grad():
            head.fc.scales.copy_(torch.tensor([2.0, 3.0]))
        self.assertTrue(torch.allclose(head.test_logits(X), plain(X) * torch.tensor([2.0, 3.0])))
        head.test_cfg.update(tau_norm=1.0, keep_bias=False)
        unit = plain.fc.weight / plain.fc.weight.norm(dim=1, keepdim=True)
        self.assertTrue(torch.allclose(head.test_logits(X),
                                       (X[0] @ unit.t()) * torch.tensor([2.0, 3.0]), atol=1e-6))
        head.loss(X, [DataSample().set_gt_label(1)])['loss'].backward()
        self.assertIsNotNone(head.fc.scales.grad)
