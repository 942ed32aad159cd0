"""Expert-assignment routers of RIDE (stage 2)."""
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ltr_mm.models.functional.ride_routing import cumulative_mean_logits, router_targets
from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class RIDERouter(nn.Module):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ expert-assignment module: E - 1 routers.

    Router i decides whether a sample that used experts 0..i also runs expert i+1. Inputs:
    expert i's pooled feature, L2-normalised, through its own ``Linear(D, hidden)`` + ReLU,
    concatenated with the top-k values (sorted, descending) of the mean logits of experts
    0..i; then one ``Linear(hidden + k, 1)`` shared by all routers (or one per router).
    Training: BCE-with-logits against :func:`router_targets`, ``pos_weight`` on positives,
    mean over routers; the stage-1 model is frozen by :class:`RIDEClassifier`.

    Args:
        in_channels (int): Expert feature width D.
        num_classes (int): Number of classes C (k is clipped to C).
        num_experts (int): Number of experts E (>= 2). Defaults to 3.
        top_k (int): Number of top logits fed to the router. Defaults to 30.
        hidden_channels (int): Width of the per-router feature FC. Defaults to 16.
        share_fc (bool): One final FC for all routers. Defaults to True.
        pos_weight (float): BCE weight of positive targets. Defaults to 100.0.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, in_channels: int, num_classes: int, num_experts: int = 3,
                 top_k: int = 30, hidden_channels: int = 16, share_fc: bool = True,
                 pos_weight: float = 100.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        if num_experts < 2:
            raise ValueError('RIDERouter: routing needs num_experts >= 2')
        self.num_experts = num_experts
        self.top_k = min(top_k, num_classes)
        self.pos_weight = pos_weight
        self.loss_weight = loss_weight
        self.share_fc = share_fc
        self.feat_fcs = nn.ModuleList(
            nn.Linear(in_channels, hidden_channels) for _ in range(num_experts - 1))
        num_fc = 1 if share_fc else num_experts - 1
        self.pred_fcs = nn.ModuleList(
            nn.Linear(hidden_channels + self.top_k, 1) for _ in range(num_fc))

    def forward(self, index: int, feat: Tensor, mean_logits: Tensor) -> Tensor:
        """Raw score (M,) of router ``index``; sigmoid > 0.5 means "use one more expert".

        Args:
            index (int): Router index i in ``[0, E - 2]``.
            feat (Tensor): (M, D) pooled feature of expert i.
            mean_logits (Tensor): (M, C) mean logits of experts 0..i.
        """
        hidden = F.relu(self.feat_fcs[index](F.normalize(feat, dim=-1)))
        top = mean_logits.topk(self.top_k, dim=-1, sorted=True).values
        fc = self.pred_fcs[0 if self.share_fc else index]
        return fc(torch.cat([hidden, top], dim=-1)).squeeze(-1)

    def loss(self, expert_feats: Tensor, expert_logits: Tensor,
             label: Tensor) -> Dict[str, Tensor]:
        """Router loss and the share of positive targets.

        Args:
            expert_feats (Tensor): (N, E, D) pooled expert features.
            expert_logits (Tensor): (N, E, C) expert logits.
            label (Tensor): (N,) labels.

        Returns:
            dict[str, Tensor]: ``loss_router`` and ``router_pos_rate`` (no gradient).
        """
        targets = router_targets(expert_logits, label)
        cumulative = cumulative_mean_logits(expert_logits)
        pos_weight = expert_logits.new_tensor(self.pos_weight)
        losses = []
        for i in range(self.num_experts - 1):
            score = self(i, expert_feats[:, i], cumulative[:, i])
            losses.append(F.binary_cross_entropy_with_logits(
                score, targets[:, i], pos_weight=pos_weight))
        return dict(loss_router=self.loss_weight * torch.stack(losses).mean(),
                    router_pos_rate=targets.mean().detach())
