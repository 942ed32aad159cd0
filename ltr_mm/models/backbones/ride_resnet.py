"""Multi-expert ImageNet-style ResNet / ResNeXt of RIDE."""
from typing import Optional, Union

import torch.nn as nn
from mmpretrain.models.backbones.resnet import BasicBlock, Bottleneck, ResLayer
from mmpretrain.models.backbones.resnext import Bottleneck as XBottleneck

from ltr_mm.registry import CLS_MODELS, register

from .ride_backbone_base import RIDEBackboneBase


@register(CLS_MODELS)
class RIDEResNet(RIDEBackboneBase):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ experts on ImageNet ResNet-10/50, ResNeXt-50.

    Stem (7x7/2 conv, BN, ReLU, 3x3/2 max-pool) and the first ``num_shared_stages`` stages
    are shared; the others are copied per expert. Depth 10 is the Decoupling ResNet-10
    (BasicBlock [1, 1, 1, 1]), depth 50 uses Bottleneck [3, 4, 6, 3]; ``groups > 1`` gives
    ResNeXt (``groups=32, width_per_group=4`` is ResNeXt-50 32x4d). Stage planes are
    64/128/256/512; ``reduce_dimension`` narrows stages 3 and 4 to 192/384 (feature 1536-d
    for Bottleneck, 384-d for ResNet-10). Blocks are mmpretrain's (stride on the 3x3 conv).

    Output: a 1-tuple with an (N, E, D) tensor of pooled expert features.

    Args:
        depth (int): 10 or 50. Defaults to 50.
        num_experts (int): Number of experts E. Defaults to 3.
        reduce_dimension (bool): Use 3/4 planes in stages 3 and 4. Defaults to True.
        num_shared_stages (int): Shared stages, 2 (RIDE default) or 3 (``share_layer3``).
            Defaults to 2.
        groups (int): Groups of the 3x3 convs (ResNeXt if > 1). Defaults to 1.
        width_per_group (int): ResNeXt width per group. Defaults to 4.
        in_channels (int): Input image channels. Defaults to 3.
        norm_eval (bool): Keep BN layers in eval mode while training. Defaults to False.
        init_cfg (dict or list[dict], optional): mmengine init config. Defaults to
            Kaiming for convs and constant 1 for BN.
    """

    arch_settings = {10: (BasicBlock, (1, 1, 1, 1)), 50: (Bottleneck, (3, 4, 6, 3))}

    def __init__(self, depth: int = 50, num_experts: int = 3, reduce_dimension: bool = True,
                 num_shared_stages: int = 2, groups: int = 1, width_per_group: int = 4,
                 in_channels: int = 3, norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, list]] = (
                     dict(type='Kaiming', layer=['Conv2d']),
                     dict(type='Constant', val=1, layer=['_BatchNorm']))) -> None:
        super().__init__(num_experts=num_experts, norm_eval=norm_eval,
                         init_cfg=list(init_cfg) if init_cfg is not None else None)
        if depth not in self.arch_settings:
            raise ValueError(f'RIDEResNet: depth must be 10 or 50, got {depth}')
        if num_shared_stages not in (1, 2, 3):
            raise ValueError(f'RIDEResNet: num_shared_stages must be 1, 2 or 3, got '
                             f'{num_shared_stages}')
        block, num_blocks = self.arch_settings[depth]
        extra = {}
        if groups > 1:
            if block is not Bottleneck:
                raise ValueError('RIDEResNet: groups > 1 (ResNeXt) needs depth 50')
            block = XBottleneck
            extra = dict(groups=groups, width_per_group=width_per_group, base_channels=64)
        expansion = 1 if block is BasicBlock else 4
        planes = [64, 128, 256, 512]
        if reduce_dimension:
            planes = planes[:2] + [192, 384]
        self.num_shared_stages = num_shared_stages
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64),
            nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1))

        def stage(i: int, in_ch: int) -> ResLayer:
            return ResLayer(block, num_blocks[i], in_ch, planes[i] * expansion,
                            expansion=expansion, stride=1 if i == 0 else 2, **extra)

        width = 64
        for i in range(num_shared_stages):
            self.shared_layers.append(stage(i, width))
            width = planes[i] * expansion
        for _ in range(num_experts):
            stages, w = [], width
            for i in range(num_shared_stages, 4):
                stages.append(stage(i, w))
                w = planes[i] * expansion
            self.experts.append(nn.Sequential(*stages))
        self.out_channels = planes[-1] * expansion
