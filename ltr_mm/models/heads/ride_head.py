"""Multi-expert cosine classifier head of RIDE."""
import math
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.evaluation.metrics import Accuracy
from mmpretrain.models.heads import ClsHead
from mmpretrain.structures import DataSample
from torch import Tensor

from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class RIDEHead(ClsHead):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ head: one classifier per expert.

    Input: ``feats[-1]`` of shape (N, E, D), the pooled expert features of a RIDE backbone.
    Expert i scores ``z_i = s * cos(f_i, w_{i,c})`` (L2-normalised feature times
    L2-normalised class weight, no bias) when ``use_norm``, else a plain linear layer with
    bias and ``s = 1``. The final score is the mean of the E expert logits; the loss module
    receives the (N, E, C) expert logits (see :class:`RIDELoss`).

    Args:
        num_classes (int): Number of classes C.
        in_channels (int): Expert feature width D.
        num_experts (int): Number of experts E. Defaults to 3.
        scale (float): Cosine scale s (used only with ``use_norm``). Defaults to 30.0.
        use_norm (bool): Cosine classifier (RIDE/LDAM) instead of linear. Defaults to True.
        loss (dict): Loss config. Defaults to ``dict(type='RIDELoss')``.
        topk (int or tuple[int]): Accuracy top-k when ``cal_acc``. Defaults to (1, ).
        cal_acc (bool): Log training accuracy of the mean logits. Defaults to False.
        init_cfg (dict, optional): mmengine init config. Defaults to None.
    """

    def __init__(self, num_classes: int, in_channels: int, num_experts: int = 3,
                 scale: float = 30.0, use_norm: bool = True,
                 loss: dict = dict(type='RIDELoss'),
                 topk: Union[int, Tuple[int]] = (1, ), cal_acc: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(loss=loss, topk=topk, cal_acc=cal_acc, init_cfg=init_cfg)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.num_experts = num_experts
        self.use_norm = use_norm
        self.scale = scale if use_norm else 1.0
        weight = torch.empty(num_experts, num_classes, in_channels)
        if use_norm:
            # uniform(-1, 1) rows renormalised to unit length (cosine classifier init)
            weight.uniform_(-1, 1)
            weight = F.normalize(weight, dim=-1)
            self.register_parameter('bias', None)
        else:
            bound = 1.0 / math.sqrt(in_channels)
            weight.uniform_(-bound, bound)
            self.bias = nn.Parameter(torch.empty(num_experts, num_classes).uniform_(
                -bound, bound))
        self.weight = nn.Parameter(weight)

    def pre_logits(self, feats: Tuple[Tensor]) -> Tensor:
        """The (N, E, D) expert features (last backbone / neck output)."""
        return feats[-1]

    def expert_logits(self, feat: Tensor, index: int) -> Tensor:
        """Logits (M, C) of expert ``index`` for its pooled features (M, D)."""
        if self.use_norm:
            return self.scale * F.normalize(feat, dim=-1) @ F.normalize(
                self.weight[index], dim=-1).t()
        return feat @ self.weight[index].t() + self.bias[index]

    def forward_experts(self, feats: Tuple[Tensor]) -> Tensor:
        """Logits (N, E, C) of every expert."""
        x = self.pre_logits(feats)
        if self.use_norm:
            return self.scale * torch.einsum('ned,ecd->nec', F.normalize(x, dim=-1),
                                             F.normalize(self.weight, dim=-1))
        return torch.einsum('ned,ecd->nec', x, self.weight) + self.bias

    def forward(self, feats: Tuple[Tensor]) -> Tensor:
        """Final score (N, C): the mean of the expert logits."""
        return self.forward_experts(feats).mean(dim=1)

    def loss(self, feats: Tuple[Tensor], data_samples: List[DataSample], **kwargs) -> dict:
        """Loss of the expert logits, see :meth:`_get_loss`."""
        return self._get_loss(self.forward_experts(feats), data_samples, **kwargs)

    def _get_loss(self, cls_score: Tensor, data_samples: List[DataSample], **kwargs) -> dict:
        """Call the loss on the (N, E, C) expert logits and hard labels."""
        target = torch.cat([s.gt_label for s in data_samples])
        losses = dict(loss=self.loss_module(cls_score, target, avg_factor=cls_score.size(0),
                                            **kwargs))
        if self.cal_acc:
            acc = Accuracy.calculate(cls_score.mean(dim=1), target, topk=self.topk)
            losses.update({f'accuracy_top-{k}': a for k, a in zip(self.topk, acc)})
        return losses
