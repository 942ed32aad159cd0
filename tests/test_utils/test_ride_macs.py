"""MAC counting (reported as GFLOPs) against hand counts, and the get_flops tool."""
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torch.nn as nn

import ltr_mm  # noqa: F401
from ltr_mm.models.backbones import ResNetCifarLDAM
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.ride_macs import count_macs, ride_macs, routed_macs

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_small_model_hand_count():
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.Flatten(),
                        nn.Linear(4 * 8 * 8, 5))
    x = torch.zeros(1, 3, 8, 8)
    assert count_macs(net, lambda: net(x)) == 4 * 64 * 3 * 9 + 256 * 5
    grouped = nn.Conv2d(4, 8, 3, padding=1, groups=2)
    assert count_macs(grouped, lambda: grouped(torch.zeros(2, 4, 4, 4))) == 2 * 8 * 16 * 2 * 9


def test_resnet32_hand_count():
    stem = 16 * 1024 * 27
    stage1 = 10 * 16 * 1024 * 144
    stage2 = 32 * 256 * 144 + 9 * 32 * 256 * 288
    stage3 = 64 * 64 * 288 + 9 * 64 * 64 * 576
    net = ResNetCifarLDAM()
    macs = count_macs(net, lambda: net(torch.zeros(1, 3, 32, 32)))
    assert macs == stem + stage1 + stage2 + stage3 == 68_861_952


def _ride(router=True):
    cfg = dict(type='RIDEClassifier',
               backbone=dict(type='RIDEResNetCifar', depth=8, num_experts=3),
               head=dict(type='RIDEHead', num_classes=10, in_channels=48, num_experts=3,
                         loss=dict(type='RIDELoss', class_counts=[10] * 10)))
    if router:
        cfg['router'] = dict(type='RIDERouter', in_channels=48, num_classes=10)
    return CLS_MODELS.build(cfg)


def test_ride_parts_and_routed_cost():
    parts = ride_macs(_ride(), (3, 32, 32))
    trunk = 16 * 1024 * 27 + 2 * 16 * 1024 * 144
    expert = 24 * 256 * 144 + 24 * 256 * 216 + 48 * 64 * 216 + 48 * 64 * 432
    assert parts['trunk'] == trunk and parts['expert'] == expert
    assert parts['classifier'] == 480 and parts['router'] == 48 * 16 + 26
    assert parts['all_experts'] == trunk + 3 * (expert + 480)
    want = sum(q * (trunk + k * (expert + 480) + min(k, 2) * 794)
               for k, q in zip((1, 2, 3), (0.5, 0.25, 0.25)))
    assert routed_macs(parts, [50, 25, 25]) == pytest.approx(want)
    assert routed_macs(parts, [0, 0, 1]) == parts['all_experts'] + 2 * 794
    with pytest.raises(ValueError):
        routed_macs(parts, [1, 0])
    model = _ride(router=False).eval()
    whole = count_macs(model, lambda: model(torch.zeros(1, 3, 32, 32), mode='tensor'))
    assert whole == parts['all_experts']


def _tool(*args):
    proc = subprocess.run([sys.executable, 'tools/analysis_tools/get_flops.py', *args],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_get_flops_tool_on_configs():
    out = _tool('configs/ride/ride-ea-3e_resnet32_1xb128-2e_fashion-mnist-lt-r100.py',
                '--shape', '32', '32', '--ea-share', '50', '25', '25')
    cfg = dict(type='RIDEClassifier',
               backbone=dict(type='RIDEResNetCifar', depth=32, num_experts=3),
               head=dict(type='RIDEHead', num_classes=10, in_channels=48, num_experts=3),
               router=dict(type='RIDERouter', in_channels=48, num_classes=10))
    parts = ride_macs(CLS_MODELS.build(cfg), (3, 32, 32))
    assert f'all 3 experts, no routing GFLOPs: {parts["all_experts"] / 1e9:.4f}' in out
    assert f'GFLOPs: {routed_macs(parts, [50, 25, 25]) / 1e9:.4f}' in out
    out = _tool('configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
                '--shape', '32', '32')
    assert f'GFLOPs: {(68_861_952 + 640) / 1e9:.4f}' in out
