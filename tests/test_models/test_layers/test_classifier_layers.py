"""CosineLinear and LWSLinear: values, registry, which parameters train."""
import math
from unittest import TestCase

import torch
import torch.nn as nn

from ltr_mm.models.layers import CosineLinear, LWSLinear
from ltr_mm.registry import CLS_MODELS, DET_MODELS


class TestCosineLinear(TestCase):

    def test_values_by_hand(self):
        layer = CosineLinear(2, 2, scale=10.0)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor([[2.0, 0.0], [1.0, 1.0]]))
        x = torch.tensor([[3.0, 0.0], [0.0, -5.0]])
        expected = 10.0 * torch.tensor([[1.0, 1 / math.sqrt(2)], [0.0, -1 / math.sqrt(2)]])
        self.assertTrue(torch.allclose(layer(x), expected, atol=1e-6))

    def test_scale_invariance_and_bias(self):
        layer = CosineLinear(3, 4, scale=5.0, bias=True)
        with torch.no_grad():
            layer.bias.copy_(torch.tensor([1.0, 0.0, 0.0, -1.0]))
        x = torch.randn(2, 3)
        out = layer(x)
        self.assertTrue(torch.allclose(out, layer(7 * x), atol=1e-5))
        self.assertLessEqual((out - layer.bias).abs().max().item(), 5.0 + 1e-5)

    def test_registered_in_both_scopes(self):
        for registry in (CLS_MODELS, DET_MODELS):
            layer = registry.build(dict(type='CosineLinear', in_features=3, out_features=2))
            self.assertIsInstance(layer, CosineLinear)
        with self.assertRaises(ValueError):
            CosineLinear(3, 2, scale=0)


class TestLWSLinear(TestCase):

    def test_only_scales_train(self):
        layer = LWSLinear(3, 2)
        self.assertEqual([n for n, _ in layer.named_parameters()], ['scales'])
        self.assertEqual(sorted(layer.state_dict()), ['bias', 'scales', 'weight'])
        weight, bias = layer.weight.clone(), layer.bias.clone()
        optimizer = torch.optim.SGD(layer.parameters(), lr=1.0)
        layer(torch.randn(4, 3)).pow(2).sum().backward()
        optimizer.step()
        self.assertTrue(torch.equal(layer.weight, weight))
        self.assertTrue(torch.equal(layer.bias, bias))
        self.assertFalse(torch.equal(layer.scales.detach(), torch.ones(2)))

    def test_loads_linear_state_and_scales_logits(self):
        linear = nn.Linear(3, 2)
        layer = LWSLinear(3, 2)
        missing, unexpected = layer.load_state_dict(linear.state_dict(), strict=False)
        self.assertEqual((missing, unexpected), (['scales'], []))
        x = torch.randn(4, 3)
        self.assertTrue(torch.allclose(layer(x), linear(x)))
        with torch.no_grad():
            layer.scales.copy_(torch.tensor([2.0, 0.5]))
        self.assertTrue(torch.allclose(layer(x), linear(x) * torch.tensor([2.0, 0.5])))

    def test_no_bias(self):
        layer = LWSLinear(3, 2, bias=False)
        self.assertIsNone(layer.bias)
        self.assertTrue(torch.allclose(layer(torch.zeros(1, 3)), torch.zeros(1, 2)))
