"""Shared plumbing of the RIDE multi-expert backbones (not registered)."""
from typing import Optional, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm


class RIDEBackboneBase(BaseBackbone):
    """A shared trunk followed by ``num_experts`` independent expert branches.

    Subclasses fill ``self.stem`` (stem layers), ``self.shared_layers`` (shared stages),
    ``self.experts`` (an ``nn.ModuleList`` of one ``nn.Sequential`` per expert) and
    ``self.out_channels`` (width of an expert's last stage); they may override
    :meth:`forward_trunk` when their stem is not a single module.

    Output layout: :meth:`forward` returns a 1-tuple holding an ``(N, E, D)`` tensor, the
    global-average-pooled last-stage feature of every expert (``D = out_channels``), so a
    config uses no neck and :class:`RIDEHead` reads ``feats[-1]``.

    Args:
        num_experts (int): Number of experts E. Defaults to 3.
        norm_eval (bool): Keep every BN layer in eval mode during training. Defaults to False.
        init_cfg (dict or list[dict], optional): mmengine init config. Defaults to None.
    """

    def __init__(self, num_experts: int = 3, norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_experts < 1:
            raise ValueError(f'{type(self).__name__}: num_experts must be >= 1, got '
                             f'{num_experts}')
        self.num_experts = num_experts
        self.norm_eval = norm_eval
        self.stem: nn.Module = nn.Identity()
        self.shared_layers = nn.ModuleList()
        self.experts = nn.ModuleList()
        self.out_channels = 0

    def forward_trunk(self, x: Tensor) -> Tensor:
        """Shared part: ``stem`` then every shared stage, (N, C_in, H, W) -> (N, C, h, w)."""
        x = self.stem(x)
        for layer in self.shared_layers:
            x = layer(x)
        return x

    def forward_expert_map(self, index: int, trunk: Tensor) -> Tensor:
        """Last-stage feature map (N, D, h, w) of expert ``index`` on the trunk output."""
        return self.experts[index](trunk)

    def forward_expert(self, index: int, trunk: Tensor) -> Tensor:
        """Pooled (N, D) feature of expert ``index`` on the trunk output."""
        return self.forward_expert_map(index, trunk).mean(dim=(2, 3))

    def forward(self, x: Tensor) -> Tuple[Tensor]:
        """Run the trunk once and every expert on it.

        Args:
            x (Tensor): Images of shape (N, C_in, H, W).

        Returns:
            tuple[Tensor]: one (N, E, D) tensor of pooled expert features.
        """
        trunk = self.forward_trunk(x)
        feats = [self.forward_expert(i, trunk) for i in range(self.num_experts)]
        return (torch.stack(feats, dim=1), )

    def train(self, mode: bool = True) -> 'RIDEBackboneBase':
        """Set train/eval mode, keeping all BN layers in eval mode if ``norm_eval``."""
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
