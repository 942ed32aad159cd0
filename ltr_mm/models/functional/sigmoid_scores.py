"""Scores of per-class sigmoid box classifiers in mmdet's ``C + 1`` layout (pure torch).

mmdet's box heads expect ``C + 1`` score columns with the background last; ``multiclass_nms``
and the cascade refinement drop that column.
"""
import torch
import torch.nn.functional as F
from torch import Tensor


def sigmoid_scores_with_bg(cls_score: Tensor) -> Tensor:
    """``(R, C + 1)`` scores of ``C`` sigmoid logits: ``sigmoid(z_c)``, then the background
    column ``prod_c (1 - sigmoid(z_c)) = exp(-sum_c softplus(z_c))``."""
    bg = torch.exp(-F.softplus(cls_score).sum(dim=-1, keepdim=True))
    return torch.cat([cls_score.sigmoid(), bg], dim=-1)


def objectness_scores(cls_score: Tensor) -> Tensor:
    """``(R, C + 1)`` scores of ``C + 1`` sigmoid logits whose last one is an objectness
    (background) logit: ``sigmoid(z_c) * (1 - sigmoid(z_bg))`` for the classes, then
    ``sigmoid(z_bg)``."""
    prob = cls_score.sigmoid()
    bg = prob[..., -1:]
    return torch.cat([prob[..., :-1] * (1 - bg), bg], dim=-1)
