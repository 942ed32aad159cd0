"""The CIFAR ResNet of the long-tail literature (ResNet-32 with option-A shortcuts)."""
from typing import Optional, Sequence, Tuple, Union

import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from ltr_mm.registry import CLS_MODELS, register


class _BasicBlockA(nn.Module):
    """3x3 + 3x3 residual block whose shortcut is parameter-free ("option A").

    When the block changes the spatial size or the width, the shortcut keeps every
    ``stride``-th pixel of the input and zero-pads the channel axis, with the identity channels
    in the middle: ``(out - in) // 2`` zero channels before them, the rest after them.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the first conv and of the shortcut subsampling.
            Defaults to 1.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        if out_channels < in_channels:
            raise ValueError(f'option-A shortcut cannot shrink channels: {in_channels} -> '
                             f'{out_channels}')
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.stride = stride
        self.pad_before = (out_channels - in_channels) // 2
        self.pad_after = out_channels - in_channels - self.pad_before

    def shortcut(self, x: Tensor) -> Tensor:
        """Identity, or subsample by ``stride`` and zero-pad channels (option A)."""
        if self.stride > 1:
            x = x[:, :, ::self.stride, ::self.stride]
        if self.pad_before or self.pad_after:
            x = F.pad(x, (0, 0, 0, 0, self.pad_before, self.pad_after))
        return x

    def forward(self, x: Tensor) -> Tensor:
        """Residual forward: ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``."""
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


@register(CLS_MODELS)
class ResNetCifarLDAM(BaseBackbone):
    """CIFAR ResNet of `LDAM <https://arxiv.org/abs/1906.07413>`_ and the long-tail literature.

    The 6n+2-layer CIFAR network of `He et al. <https://arxiv.org/abs/1512.03385>`_ (section
    4.2) as used by LDAM-DRW, TDE, RIDE, BagofTricks-LT and FCC for CIFAR-LT: a 3x3 stem conv
    with ``base_channels`` filters, then three stages of n BasicBlocks with ``base_channels``
    x 1/2/4 channels at strides 1/2/2. Shortcuts that change shape are parameter-free (option
    A): stride-2 subsampling plus zero channels, see :class:`_BasicBlockA`. Every conv is
    bias-free and followed by BN and ReLU. Conv (and any Linear) weights are drawn with
    Kaiming-normal (fan-in, ReLU gain) at construction; BN starts at weight 1, bias 0.

    mmpretrain's ``ResNet_CIFAR`` is a different network (64-2048 channels, projection
    shortcuts). ResNet-32 here has 463,504 parameters (0.46M) and 68.9M multiply-accumulates
    on a 32x32 input; with ``GlobalAveragePooling`` the feature is ``4 * base_channels`` = 64
    wide, so the head is ``LinearClsHead(in_channels=64)``. Module names (``conv1``, ``bn1``,
    ``layer1``..``layer3``) follow the LDAM reference network, so its checkpoints load after
    dropping the classifier keys.

    Args:
        depth (int): Network depth, 6n+2 (20, 32, 44, 56, 110, ...). Defaults to 32.
        in_channels (int): Input image channels. Defaults to 3.
        base_channels (int): Width of the stem and stage 1; stages 2 and 3 double it each.
            Defaults to 16.
        out_indices (Sequence[int]): Stages (0, 1, 2; negative counts from the end) whose
            outputs are returned, in stage order. Defaults to (2,).
        frozen_stages (int): -1 freezes nothing, 0 the stem, k the stem and stages 1..k
            (``requires_grad=False`` and BN in eval mode). Defaults to -1.
        norm_eval (bool): Keep every BN layer in eval mode during training (frozen running
            statistics, e.g. for decoupled classifier re-training). Defaults to False.
        init_cfg (dict or list[dict], optional): mmengine initialisation config applied by
            ``init_weights()`` on top of the construction-time init, e.g. a ``Pretrained``
            checkpoint. Defaults to None.

    Example:
        >>> import torch
        >>> net = ResNetCifarLDAM(depth=32, out_indices=(0, 1, 2))
        >>> [tuple(o.shape) for o in net(torch.rand(2, 3, 32, 32))]
        [(2, 16, 32, 32), (2, 32, 16, 16), (2, 64, 8, 8)]
    """

    num_stages = 3

    def __init__(self,
                 depth: int = 32,
                 in_channels: int = 3,
                 base_channels: int = 16,
                 out_indices: Sequence[int] = (2, ),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 8 or (depth - 2) % 6 != 0:
            raise ValueError(f'ResNetCifarLDAM: depth must be 6n+2 with n >= 1 (20, 32, 44, '
                             f'56, 110, ...), got {depth}')
        if not -1 <= frozen_stages <= self.num_stages:
            raise ValueError(f'ResNetCifarLDAM: frozen_stages must be in [-1, '
                             f'{self.num_stages}], got {frozen_stages}')
        self.out_indices = self._normalise_indices(out_indices)
        self.depth = depth
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.conv1 = nn.Conv2d(in_channels, base_channels, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(base_channels)
        blocks_per_stage = (depth - 2) // 6
        self.res_layers = []
        width = base_channels
        for i in range(self.num_stages):
            out_width = base_channels * 2**i
            stride = 1 if i == 0 else 2
            blocks = [_BasicBlockA(width, out_width, stride)]
            blocks += [_BasicBlockA(out_width, out_width) for _ in range(blocks_per_stage - 1)]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            self.res_layers.append(f'layer{i + 1}')
            width = out_width
        self.out_channels = width
        self._kaiming_init()
        self._freeze_stages()

    def _normalise_indices(self, out_indices: Sequence[int]) -> Tuple[int, ...]:
        """Map negative stage indices to positive ones and validate the range."""
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        indices = []
        for index in out_indices:
            if not -self.num_stages <= index < self.num_stages:
                raise ValueError(f'ResNetCifarLDAM: out_indices entries must be in '
                                 f'[-{self.num_stages}, {self.num_stages - 1}], got {index}')
            indices.append(index % self.num_stages)
        if not indices:
            raise ValueError('ResNetCifarLDAM: out_indices must not be empty')
        return tuple(sorted(set(indices)))

    def _kaiming_init(self) -> None:
        """Kaiming-normal (fan-in, ReLU gain) for conv and linear weights, zero biases."""
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def _freeze_stages(self) -> None:
        """Stop gradients and BN updates of the stem and of stages 1..frozen_stages."""
        if self.frozen_stages < 0:
            return
        frozen = [self.conv1, self.bn1]
        frozen += [getattr(self, self.res_layers[i]) for i in range(self.frozen_stages)]
        for module in frozen:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Run the network.

        Args:
            x (Tensor): Images of shape (N, in_channels, H, W).

        Returns:
            tuple[Tensor]: Outputs of the stages in ``out_indices``; stage i has
            ``base_channels * 2**i`` channels and spatial size ``H / 2**i``.
        """
        x = F.relu(self.bn1(self.conv1(x)))
        outs = []
        for i, name in enumerate(self.res_layers):
            x = getattr(self, name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def train(self, mode: bool = True) -> 'ResNetCifarLDAM':
        """Set train/eval mode, keeping frozen stages (and all BN if ``norm_eval``) in eval."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
