"""LTResNet: the ResNet-10 counted by hand, other depths identical to mmpretrain's ResNet."""
import pytest
import torch
from mmengine.registry import DefaultScope
from mmpretrain.models.backbones import ResNet
from mmpretrain.models.backbones.resnet import BasicBlock

from ltr_mm.models.backbones import LTResNet
from ltr_mm.registry import CLS_MODELS


def resnet10_params() -> int:
    """Parameters of the ResNet-10 counted by hand.

    Stem: 7x7 conv 3 -> 64 and a BN. Stage s (planes c_s = 64, 128, 256, 512, input c_{s-1},
    c_0 = 64) has one BasicBlock: two bias-free 3x3 convs (9 c_{s-1} c_s + 9 c_s^2), two BNs
    (4 c_s) and, for s > 1, a 1x1 projection with its BN (c_{s-1} c_s + 2 c_s).
    """
    total = 49 * 3 * 64 + 2 * 64
    planes = [64, 64, 128, 256, 512]
    for s, (cin, c) in enumerate(zip(planes[:-1], planes[1:])):
        total += 9 * cin * c + 9 * c * c + 4 * c
        if s > 0:
            total += cin * c + 2 * c
    return total


def test_resnet10_structure_and_size():
    net = LTResNet(depth=10)
    assert resnet10_params() == 4_905_792
    assert sum(p.numel() for p in net.parameters()) == resnet10_params()
    layers = [getattr(net, name) for name in net.res_layers]
    assert [len(layer) for layer in layers] == [1, 1, 1, 1]
    assert all(isinstance(layer[0], BasicBlock) for layer in layers)
    assert [layer[0].downsample is None for layer in layers] == [True, False, False, False]
    net.eval()  # mmpretrain's ResNet.train returns None, so no chaining
    out = net(torch.zeros(2, 3, 64, 64))
    assert len(out) == 1 and out[-1].shape == (2, 512, 2, 2)


def test_other_depths_are_mmpretrain_resnet():
    torch.manual_seed(0)
    ours = LTResNet(depth=18)
    theirs = ResNet(depth=18)
    shapes = {k: v.shape for k, v in theirs.state_dict().items()}
    assert {k: v.shape for k, v in ours.state_dict().items()} == shapes
    theirs.load_state_dict(ours.state_dict())
    ours.eval()
    theirs.eval()
    x = torch.rand(1, 3, 32, 32)
    assert torch.equal(ours(x)[-1], theirs(x)[-1])
    with pytest.raises(KeyError):
        LTResNet(depth=12)


def test_built_from_config_in_mmpretrain_scope():
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        net = CLS_MODELS.build(dict(type='LTResNet', depth=10, out_indices=(2, 3)))
    net.eval()
    outs = net(torch.zeros(1, 3, 64, 64))
    assert [o.shape[1] for o in outs] == [256, 512]
