"""Multi-expert CIFAR ResNet of RIDE."""
from typing import Optional, Union

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ltr_mm.registry import CLS_MODELS, register

from .resnet_cifar_ldam import _BasicBlockA
from .ride_backbone_base import RIDEBackboneBase


@register(CLS_MODELS)
class RIDEResNetCifar(RIDEBackboneBase):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ experts on the LDAM CIFAR ResNet.

    The 6n+2 CIFAR ResNet of :class:`ResNetCifarLDAM` (option-A blocks, Kaiming-normal init)
    split in two: the stem and the first ``num_shared_stages`` stages are shared, the
    remaining stages are copied once per expert with independent parameters. Stage widths
    are ``base_channels`` x 1/2/4; ``reduce_dimension`` narrows stages 2 and 3 (shared or
    not) to 3/4 of that, the RIDE default (16/24/48 for ResNet-32, feature 48-d; each
    reduced expert stage costs about 0.56x the MACs of a full one).

    Output: a 1-tuple with an (N, E, D) tensor of globally average-pooled expert features,
    see :class:`RIDEBackboneBase`.

    Args:
        depth (int): Network depth 6n+2. Defaults to 32.
        num_experts (int): Number of experts E. Defaults to 3.
        reduce_dimension (bool): Use 3/4 width in stages 2 and 3. Defaults to True.
        num_shared_stages (int): 1 (stage 1 shared, RIDE default) or 2. Defaults to 1.
        in_channels (int): Input image channels. Defaults to 3.
        base_channels (int): Width of the stem and stage 1. Defaults to 16.
        norm_eval (bool): Keep BN layers in eval mode while training. Defaults to False.
        init_cfg (dict or list[dict], optional): mmengine init config. Defaults to None.

    Example:
        >>> import torch
        >>> net = RIDEResNetCifar(num_experts=3)
        >>> tuple(net(torch.rand(2, 3, 32, 32))[0].shape)
        (2, 3, 48)
    """

    def __init__(self, depth: int = 32, num_experts: int = 3, reduce_dimension: bool = True,
                 num_shared_stages: int = 1, in_channels: int = 3, base_channels: int = 16,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(num_experts=num_experts, norm_eval=norm_eval, init_cfg=init_cfg)
        if depth < 8 or (depth - 2) % 6 != 0:
            raise ValueError(f'RIDEResNetCifar: depth must be 6n+2, got {depth}')
        if num_shared_stages not in (1, 2):
            raise ValueError(f'RIDEResNetCifar: num_shared_stages must be 1 or 2, got '
                             f'{num_shared_stages}')
        blocks = (depth - 2) // 6
        widths = [base_channels * 2**i for i in range(3)]
        if reduce_dimension:
            widths = [widths[0]] + [w * 3 // 4 for w in widths[1:]]
        self.num_shared_stages = num_shared_stages
        self.conv1 = nn.Conv2d(in_channels, base_channels, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(base_channels)
        width = base_channels
        for i in range(num_shared_stages):
            self.shared_layers.append(self._stage(width, widths[i], i, blocks))
            width = widths[i]
        for _ in range(num_experts):
            stages, w = [], width
            for i in range(num_shared_stages, 3):
                stages.append(self._stage(w, widths[i], i, blocks))
                w = widths[i]
            self.experts.append(nn.Sequential(*stages))
        self.out_channels = widths[-1]
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')

    @staticmethod
    def _stage(in_width: int, out_width: int, index: int, blocks: int) -> nn.Sequential:
        """One stage of ``blocks`` option-A BasicBlocks (stride 2 unless the first stage)."""
        layers = [_BasicBlockA(in_width, out_width, 1 if index == 0 else 2)]
        layers += [_BasicBlockA(out_width, out_width) for _ in range(blocks - 1)]
        return nn.Sequential(*layers)

    def forward_trunk(self, x: Tensor) -> Tensor:
        """Shared stem and stages: (N, C_in, H, W) -> (N, width, H', W')."""
        x = F.relu(self.bn1(self.conv1(x)))
        for layer in self.shared_layers:
            x = layer(x)
        return x
