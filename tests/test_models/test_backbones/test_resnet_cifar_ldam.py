"""ResNetCifarLDAM: closed-form size and cost, shapes, option-A shortcuts, freezing."""
import math
from unittest import TestCase

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.modules.batchnorm import _BatchNorm

from ltr_mm.models.backbones.resnet_cifar_ldam import ResNetCifarLDAM
from ltr_mm.registry import CLS_MODELS


def closed_form_params(depth: int, in_channels: int = 3, base: int = 16) -> int:
    """Parameters of the 6n+2 CIFAR ResNet with option-A shortcuts, counted by hand.

    Stem: 3x3 conv (9 * in * b) + BN (2b). Stage s (widths c_1..c_3 = b, 2b, 4b, c_0 = b)
    has n blocks of two bias-free 3x3 convs and two BNs; its first block reads c_{s-1}
    channels: 9 c_{s-1} c_s + 9 c_s^2 + 4 c_s, the other n - 1: 18 c_s^2 + 4 c_s. Option-A
    shortcuts add nothing.
    """
    n = (depth - 2) // 6
    widths = [base, base, 2 * base, 4 * base]
    total = 9 * in_channels * base + 2 * base
    for prev, c in zip(widths[:-1], widths[1:]):
        total += 9 * prev * c + 9 * c * c + 4 * c + (n - 1) * (18 * c * c + 4 * c)
    return total


def closed_form_macs(depth: int, size: int = 32, in_channels: int = 3, base: int = 16) -> int:
    """Conv multiply-accumulates for a ``size`` x ``size`` input (BN/ReLU/add not counted).

    Stage s runs at (size / 2^(s-1))^2 positions; its first conv maps c_{s-1} -> c_s, the
    other 2n - 1 convs c_s -> c_s, each 9 MACs per input channel per output value.
    """
    n = (depth - 2) // 6
    widths = [base, base, 2 * base, 4 * base]
    total = size * size * base * 9 * in_channels
    for s, (prev, c) in enumerate(zip(widths[:-1], widths[1:])):
        positions = (size // 2**s)**2
        total += positions * 9 * c * (prev + (2 * n - 1) * c)
    return total


def measured_conv_macs(net: nn.Module, x: torch.Tensor) -> int:
    """MACs of every Conv2d in one forward pass, measured with forward hooks."""
    macs = []

    def hook(module: nn.Conv2d, _, out: torch.Tensor) -> None:
        k = module.kernel_size[0] * module.kernel_size[1]
        macs.append(out[0].numel() * k * module.in_channels // module.groups)

    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        net(x)
    for handle in handles:
        handle.remove()
    return sum(macs)


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


class TestResNetCifarLDAM(TestCase):

    def setUp(self) -> None:
        torch.manual_seed(0)

    def test_resnet32_size_matches_closed_form_and_known_figure(self):
        net = ResNetCifarLDAM(depth=32)
        self.assertEqual(closed_form_params(32), 463504)
        self.assertEqual(n_params(net), 463504)  # 0.46M, the figure of He et al. / LDAM
        # with the 64 -> 10 classifier of CIFAR-10: 0.464M
        self.assertEqual(n_params(net) + 64 * 10 + 10, 464154)
        for depth, in_channels, base in [(20, 3, 16), (56, 3, 16), (8, 1, 8), (32, 3, 32)]:
            net = ResNetCifarLDAM(depth=depth, in_channels=in_channels, base_channels=base)
            self.assertEqual(n_params(net), closed_form_params(depth, in_channels, base))

    def test_resnet32_macs(self):
        net = ResNetCifarLDAM(depth=32).eval()
        macs = measured_conv_macs(net, torch.rand(1, 3, 32, 32))
        self.assertEqual(macs, closed_form_macs(32))
        self.assertEqual(macs, 68861952)  # ~69M MACs for a 32x32 image
        net = ResNetCifarLDAM(depth=20, base_channels=8).eval()
        self.assertEqual(measured_conv_macs(net, torch.rand(1, 3, 32, 32)),
                         closed_form_macs(20, base=8))

    def test_no_shortcut_parameters(self):
        net = ResNetCifarLDAM(depth=32)
        names = [name for name, _ in net.named_parameters()]
        self.assertFalse([n for n in names if 'shortcut' in n or 'downsample' in n])
        self.assertEqual(len([m for m in net.modules() if isinstance(m, nn.Conv2d)]), 31)
        self.assertEqual(net.out_channels, 64)

    def test_output_shapes(self):
        x = torch.rand(2, 3, 32, 32)
        outs = ResNetCifarLDAM()(x)
        self.assertIsInstance(outs, tuple)
        self.assertEqual([o.shape for o in outs], [torch.Size([2, 64, 8, 8])])
        outs = ResNetCifarLDAM(depth=20, out_indices=(2, 0, 1))(x)
        self.assertEqual([tuple(o.shape) for o in outs],
                         [(2, 16, 32, 32), (2, 32, 16, 16), (2, 64, 8, 8)])
        outs = ResNetCifarLDAM(depth=20, out_indices=(-2, ), in_channels=1,
                               base_channels=8)(torch.rand(1, 1, 28, 28))
        self.assertEqual([tuple(o.shape) for o in outs], [(1, 16, 14, 14)])

    def test_invalid_arguments(self):
        for kwargs in [dict(depth=30), dict(depth=2), dict(out_indices=(3, )),
                       dict(out_indices=(-4, )), dict(out_indices=()),
                       dict(frozen_stages=4), dict(frozen_stages=-2)]:
            with pytest.raises(ValueError, match='ResNetCifarLDAM'):
                ResNetCifarLDAM(**kwargs)

    def test_option_a_shortcut_values(self):
        net = ResNetCifarLDAM(depth=20, out_indices=(0, 1, 2))
        x = torch.randn(2, 16, 8, 8)
        block = net.layer2[0]  # 16 -> 32 channels, stride 2
        out = block.shortcut(x)
        self.assertEqual(tuple(out.shape), (2, 32, 4, 4))
        # identity of the subsampled input in the middle channels, zeros around it
        torch.testing.assert_close(out[:, 8:24], x[:, :, ::2, ::2], rtol=0, atol=0)
        self.assertTrue(torch.equal(out[:, :8], torch.zeros(2, 8, 4, 4)))
        self.assertTrue(torch.equal(out[:, 24:], torch.zeros(2, 8, 4, 4)))
        y = torch.randn(2, 32, 4, 4)
        self.assertIs(net.layer2[1].shortcut(y), y)  # shape-preserving block: identity
        # the whole block = relu(residual branch + option-A shortcut)
        block.eval()
        branch = block.bn2(block.conv2(F.relu(block.bn1(block.conv1(x)))))
        torch.testing.assert_close(block(x), F.relu(branch + out))

    def test_kaiming_normal_init(self):
        net = ResNetCifarLDAM(depth=32)
        weights = torch.cat([blk.conv2.weight.flatten() for blk in net.layer3])
        # fan-in 64 * 9, ReLU gain: std sqrt(2 / 576)
        self.assertAlmostEqual(weights.std().item(), math.sqrt(2 / 576), delta=0.02 * 0.0589)
        self.assertAlmostEqual(weights.mean().item(), 0.0, delta=0.002)
        self.assertTrue(all(torch.equal(m.weight, torch.ones_like(m.weight))
                            for m in net.modules() if isinstance(m, _BatchNorm)))

    def test_frozen_stages(self):
        net = ResNetCifarLDAM(depth=20, frozen_stages=1, out_indices=(0, 1, 2))
        net.train()
        frozen = [net.conv1, net.bn1, net.layer1]
        for module in frozen:
            self.assertTrue(all(not p.requires_grad for p in module.parameters()))
            self.assertTrue(all(not m.training for m in module.modules()))
        for module in (net.layer2, net.layer3):
            self.assertTrue(all(p.requires_grad for p in module.parameters()))
            self.assertTrue(all(m.training for m in module.modules()))
        stats = net.layer1[0].bn1.running_mean.clone()
        live = net.layer2[0].bn1.running_mean.clone()
        sum(o.sum() for o in net(torch.randn(4, 3, 32, 32))).backward()
        self.assertTrue(torch.equal(net.layer1[0].bn1.running_mean, stats))
        self.assertFalse(torch.equal(net.layer2[0].bn1.running_mean, live))
        self.assertIsNone(net.conv1.weight.grad)
        self.assertIsNotNone(net.layer2[0].conv1.weight.grad)
        net = ResNetCifarLDAM(depth=20, frozen_stages=3)
        self.assertEqual(sum(p.numel() for p in net.parameters() if p.requires_grad), 0)

    def test_norm_eval(self):
        net = ResNetCifarLDAM(depth=20, norm_eval=True)
        net.train()
        bns = [m for m in net.modules() if isinstance(m, _BatchNorm)]
        self.assertTrue(bns and all(not m.training for m in bns))
        self.assertTrue(net.training and net.layer1[0].conv1.training)
        self.assertTrue(all(p.requires_grad for p in net.parameters()))
        stats = net.bn1.running_mean.clone()
        net(torch.randn(4, 3, 32, 32))
        self.assertTrue(torch.equal(net.bn1.running_mean, stats))
        self.assertTrue(all(m.training for m in ResNetCifarLDAM(depth=20).train().modules()))

    def test_classifier_from_registry(self):
        model = CLS_MODELS.build(
            dict(type='ImageClassifier',
                 backbone=dict(type='ResNetCifarLDAM', depth=32),
                 neck=dict(type='GlobalAveragePooling'),
                 head=dict(type='LinearClsHead', num_classes=10, in_channels=64)))
        self.assertIsInstance(model.backbone, ResNetCifarLDAM)
        self.assertEqual(n_params(model), 464154)
        before = model.backbone.layer3[0].conv1.weight.clone()
        model.init_weights()  # what the Runner calls; keeps the construction-time Kaiming init
        self.assertTrue(torch.equal(model.backbone.layer3[0].conv1.weight, before))
        model.eval()
        with torch.no_grad():
            logits = model(torch.rand(2, 3, 32, 32), mode='tensor')
        self.assertEqual(tuple(logits.shape), (2, 10))
