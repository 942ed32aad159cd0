"""RIDE backbones: output layout, widths, shared trunk vs independent experts."""
import pytest
import torch

import ltr_mm  # noqa: F401
from ltr_mm.registry import CLS_MODELS


@pytest.mark.parametrize('num_experts', [1, 2, 3, 4])
@pytest.mark.parametrize('reduce,width', [(True, 48), (False, 64)])
def test_cifar_shapes(num_experts, reduce, width):
    net = CLS_MODELS.build(dict(type='RIDEResNetCifar', depth=8, num_experts=num_experts,
                                reduce_dimension=reduce))
    out = net(torch.rand(2, 3, 32, 32))
    assert isinstance(out, tuple) and len(out) == 1
    assert out[0].shape == (2, num_experts, width)
    assert net.out_channels == width


def test_cifar_widths_and_shared_stage_two():
    net = CLS_MODELS.build(dict(type='RIDEResNetCifar', depth=32, num_experts=2))
    assert len(net.shared_layers) == 1 and len(net.experts) == 2
    assert [len(s) for s in net.experts[0]] == [5, 5]
    assert net.experts[0][0][0].conv1.out_channels == 24
    net2 = CLS_MODELS.build(dict(type='RIDEResNetCifar', depth=8, num_shared_stages=2))
    assert len(net2.shared_layers) == 2 and len(net2.experts[0]) == 1
    assert net2(torch.rand(1, 3, 32, 32))[0].shape == (1, 3, 48)


def test_trunk_shared_and_experts_independent():
    torch.manual_seed(0)
    net = CLS_MODELS.build(dict(type='RIDEResNetCifar', depth=8, num_experts=3)).eval()
    names = [n for n, _ in net.named_parameters()]
    assert sum(n.startswith('conv1.') for n in names) == 1  # one stem for all experts
    ids = [{id(p) for p in e.parameters()} for e in net.experts]
    assert not (ids[0] & ids[1]) and not (ids[1] & ids[2])
    x = torch.rand(2, 3, 32, 32)
    before = net(x)[0]
    with torch.no_grad():
        for p in net.experts[1].parameters():
            p.add_(0.5)
    after = net(x)[0]
    assert torch.equal(before[:, 0], after[:, 0]) and torch.equal(before[:, 2], after[:, 2])
    assert not torch.allclose(before[:, 1], after[:, 1])
    # expert 0's output reaches the trunk but not the other experts
    net.zero_grad()
    net(x)[0][:, 0].sum().backward()
    assert net.conv1.weight.grad is not None and net.conv1.weight.grad.abs().sum() > 0
    assert all(p.grad is None or not p.grad.any() for p in net.experts[1].parameters())


@pytest.mark.parametrize('cfg,width,conv2_groups', [
    (dict(depth=10), 384, 1),
    (dict(depth=10, reduce_dimension=False), 512, 1),
    (dict(depth=50), 1536, 1),
    (dict(depth=50, groups=32, width_per_group=4), 1536, 32),
])
def test_imagenet_variants(cfg, width, conv2_groups):
    net = CLS_MODELS.build(dict(type='RIDEResNet', num_experts=2, **cfg)).eval()
    out = net(torch.rand(1, 3, 64, 64))[0]
    assert out.shape == (1, 2, width)
    assert len(net.shared_layers) == 2 and len(net.experts[0]) == 2
    block = net.shared_layers[0][0]
    if cfg['depth'] == 50:
        assert block.conv2.groups == conv2_groups
        mid = 128 if conv2_groups == 32 else 64
        assert block.conv2.out_channels == mid


def test_imagenet_share_layer3_and_errors():
    net = CLS_MODELS.build(dict(type='RIDEResNet', depth=10, num_experts=2,
                                num_shared_stages=3))
    assert len(net.shared_layers) == 3 and len(net.experts[0]) == 1
    with pytest.raises(ValueError):
        CLS_MODELS.build(dict(type='RIDEResNet', depth=18))
    with pytest.raises(ValueError):
        CLS_MODELS.build(dict(type='RIDEResNet', depth=10, groups=32))
    with pytest.raises(ValueError):
        CLS_MODELS.build(dict(type='RIDEResNetCifar', num_experts=0))
