"""Sigmoid focal loss for the RoI box classifier, owning the ``fc_cls`` layout and scores."""
from typing import Optional

import torch.nn.functional as F
from mmdet.models.losses.focal_loss import py_sigmoid_focal_loss
from torch import Tensor, nn

from ltr_mm.registry import DET_MODELS, register

from .sigmoid_cls_layouts import SigmoidClsLayout


@register(DET_MODELS)
class SigmoidFocalClsLoss(SigmoidClsLayout, nn.Module):
    """`Focal loss <https://arxiv.org/abs/1708.02002>`_ on the R-CNN box classifier
    ("focal-cls"), with per-class sigmoids and no background logit.

    ``fc_cls`` has ``C`` outputs (:class:`SigmoidClsLayout`). A RoI of class ``y < C`` has the
    one-hot target of ``y``; a background RoI (``y = C``) has the all-zero target. The loss is
    mmdet's sigmoid focal loss (``py_sigmoid_focal_loss``, the maths of mmcv's kernel):
    ``sum_c w_r * alpha_t * (1 - p_t) ** gamma * BCE(z_rc, t_rc)`` summed over RoIs ``r`` and
    classes ``c``, divided by ``avg_factor`` (the box head passes the number of RoIs with a
    positive label weight).

    Its layout sets ``custom_cls_channels`` / ``custom_activation`` / ``custom_accuracy``, so a
    stock ``Shared2FCBBoxHead`` (and every Cascade / HTC stage) scores with
    :meth:`get_activation`: ``C + 1`` columns in mmdet's order, ``sigmoid(z_c)`` for the
    foreground classes ``0..C-1`` and a background column
    ``prod_c (1 - sigmoid(z_c)) = exp(-sum_c softplus(z_c))`` last, the probability that none
    of the ``C`` binary classifiers fires (the all-zero target background RoIs are trained
    towards). mmdet's ``multiclass_nms`` and the cascade refinement drop that column, so it
    never changes the detections. Unlike mmdet's ``FocalCustomLoss``, whose activation returns
    ``C`` columns (``multiclass_nms`` would read the last class as background), this loss needs
    no ``num_classes`` argument: ``C`` is the logit width.

    Args:
        gamma: focusing parameter. Defaults to 2.0.
        alpha: weight of the positive targets (``1 - alpha`` for the negatives).
            Defaults to 0.25.
        reduction: ``'none'`` (per RoI and class), ``'mean'`` or ``'sum'``. Defaults to 'mean'.
        loss_weight: loss weight. Defaults to 1.0.
    """

    def __init__(self, gamma: float = 2.0, alpha: float = 0.25, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        assert reduction in ('none', 'mean', 'sum')
        self.gamma = float(gamma)
        self.alpha = float(alpha)
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Sigmoid focal loss of the RoIs.

        Args:
            cls_score: logits ``(R, C)``.
            label: mmdet 3.x labels ``(R,)`` in ``0..C``, background ``C``.
            weight: per-RoI weights ``(R,)``. Defaults to None.
            avg_factor: normaliser of ``'mean'``. Defaults to None (the mean over elements).
            reduction_override: ``'none'``, ``'mean'`` or ``'sum'``.

        Returns:
            Tensor: the loss (``(R, C)`` for ``'none'``).
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        num_classes = cls_score.size(-1)
        target = F.one_hot(label, num_classes=num_classes + 1)[:, :num_classes]
        return self.loss_weight * py_sigmoid_focal_loss(
            cls_score, target, weight, gamma=self.gamma, alpha=self.alpha,
            reduction=reduction, avg_factor=avg_factor)
