"""The two sigmoid box-classifier layouts of mmdet's custom-activation protocol.

A loss that sets ``custom_cls_channels`` / ``custom_activation`` / ``custom_accuracy`` decides
the width of ``fc_cls``, turns its logits into the ``C + 1`` score columns (background last)
that mmdet's box heads expect, and reports its own accuracies. ltr_mm's sigmoid losses use one
of two layouts:

- :class:`SigmoidClsLayout`: ``C`` logits, one per class; a background RoI has all-zero
  targets (sigmoid focal, federated).
- :class:`ObjectnessClsLayout`: ``C + 1`` logits whose last one is an objectness
  (background) logit (EQLv2, ECM).
"""
from typing import Dict

import torch
from mmdet.models.losses import accuracy
from torch import Tensor

from ltr_mm.models.functional import objectness_scores, sigmoid_scores_with_bg


class SigmoidClsLayout:
    """``C`` sigmoid logits; background score ``prod_c (1 - sigmoid(z_c))``."""

    custom_cls_channels = True
    custom_activation = True
    custom_accuracy = True

    def get_cls_channels(self, num_classes: int) -> int:
        """Width of ``fc_cls``: ``C`` (no background logit)."""
        return num_classes

    def get_activation(self, cls_score: Tensor) -> Tensor:
        """``(R, C + 1)`` scores: ``sigmoid`` of the logits, then the background column."""
        return sigmoid_scores_with_bg(cls_score)

    def get_accuracy(self, cls_score: Tensor, labels: Tensor) -> Dict[str, Tensor]:
        """``acc_classes``: top-1 over the ``C`` logits on the foreground RoIs."""
        with torch.no_grad():
            pos = labels < cls_score.size(-1)
            return dict(acc_classes=accuracy(cls_score[pos], labels[pos]))


class ObjectnessClsLayout:
    """``C + 1`` sigmoid logits, the last one an objectness logit; class scores
    ``sigmoid(z_c) * (1 - sigmoid(z_bg))``, background score ``sigmoid(z_bg)``."""

    custom_cls_channels = True
    custom_activation = True
    custom_accuracy = True

    def get_cls_channels(self, num_classes: int) -> int:
        """Width of ``fc_cls``: ``C + 1`` (the last logit is the objectness)."""
        return num_classes + 1

    def get_activation(self, cls_score: Tensor) -> Tensor:
        """``(R, C + 1)`` scores, background last."""
        return objectness_scores(cls_score)

    def get_accuracy(self, cls_score: Tensor, labels: Tensor) -> Dict[str, Tensor]:
        """``acc_objectness`` (objectness logit > 0 on background RoIs, < 0 elsewhere) and
        ``acc_classes`` (top-1 over the ``C`` class logits on the foreground RoIs)."""
        with torch.no_grad():
            pos = labels < cls_score.size(-1) - 1
            bg_logit = cls_score[:, -1:]
            obj = accuracy(torch.cat([-bg_logit, bg_logit], dim=1), (~pos).long())
            return dict(acc_objectness=obj,
                        acc_classes=accuracy(cls_score[pos, :-1], labels[pos]))
