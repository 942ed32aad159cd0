"""Shared helpers of the sigmoid-family LVIS loss tests (build in the mmdet scope, a stock
box head around a loss)."""
import math
from typing import List

import torch
from mmdet.registry import MODELS
from mmengine.registry import DefaultScope

import ltr_mm  # noqa: F401


def build(cfg: dict):
    """Build ``cfg`` from mmdet's model registry."""
    with DefaultScope.overwrite_default_scope('mmdet'):
        return MODELS.build(cfg)


def bce(z: float, t: float) -> float:
    """Binary cross-entropy of one logit, by hand."""
    p = 1 / (1 + math.exp(-z))
    return -(t * math.log(p) + (1 - t) * math.log(1 - p))


def stock_head(loss_cls: dict, num_classes: int = 5, **kwargs):
    """A small Shared2FCBBoxHead around ``loss_cls``."""
    return build(dict(type='Shared2FCBBoxHead', in_channels=8, fc_out_channels=16,
                      roi_feat_size=7, num_classes=num_classes, reg_class_agnostic=True,
                      loss_cls=loss_cls, **kwargs))


def head_losses(head, labels: List[int]):
    """Losses of ``head`` on random RoI features with ``labels``."""
    torch.manual_seed(0)
    n = len(labels)
    cls_score, bbox_pred = head(torch.rand(n, 8, 7, 7))
    losses = head.loss(cls_score, bbox_pred, torch.zeros(n, 5), torch.tensor(labels),
                       torch.ones(n), torch.zeros(n, 4), torch.ones(n, 4))
    return cls_score, losses
