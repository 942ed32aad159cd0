"""LDAM loss with deferred class-balanced re-weighting (LDAM-DRW)."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import effective_number_weights, ldam_margins, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss
from .class_weighted_mean import ClassWeightedMeanMixin


@register(*SHARED_MODELS)
class LDAMLoss(ClassWeightedMeanMixin, BaseClassStatsLoss):
    """`LDAM <https://arxiv.org/abs/1906.07413>`_ loss with DRW re-weighting.

    ``L = w_y * CE(s * (z - m_y * onehot(y)), y)`` with margins ``m_c = K / n_c ** (1/4)``
    scaled so that the rarest class gets ``max_m``. ``z`` are cosine logits of a normalised
    classifier (in ``[-1, 1]``, not yet multiplied by ``s``); for a classifier that already
    multiplies by ``s``, use ``scale=1`` and ``max_m=s * 0.5``. Soft targets subtract
    ``sum_c t_c m_c`` in proportion to the target mass.

    Deferred re-weighting: the class-balanced weights ``w_c = (1 - beta) / (1 - beta ** n_c)``
    (normalised to sum ``C``) are on in epoch ``e`` (1-based, from ``SetEpochHook``) when
    ``e > drw_epoch``; before that ``w = 1``. With the weights on, each sample's loss is
    divided by the batch mean of the class weights ``w_{y_i}`` (:class:`ClassWeightedMeanMixin`),
    so the batch mean equals torch's weighted cross-entropy ``sum_i w_i l_i / sum_i w_i`` (the
    LDAM-DRW recipe), not ``sum_i w_i l_i / N``, which would shrink the DRW-phase gradient by
    the mean weight of a head-dominated batch. With per-sample weights ``r`` (mmdet's label
    weights) that batch mean is taken over the weighted rows (weighted by ``r``; rows with
    ``r_i = 0`` drop out). The margins are always on.
    ``beta=0`` gives uniform weights, i.e. LDAM without re-weighting. Background column
    (mmdet layout): margin 0, weight 1. Margins and weights are ``persistent=False`` buffers set by
    :meth:`set_class_stats` (``SetClassStatsHook``) or ``class_counts``.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        max_m (float): largest margin (rarest class). Defaults to 0.5.
        scale (float): logit scale ``s`` applied after the margin. Defaults to 30.0.
        beta (float): effective-number hyper-parameter of the DRW weights.
            Defaults to 0.9999.
        drw_epoch (int, optional): weights on when the 1-based epoch is greater than this;
            None keeps them always on. Defaults to 160.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, max_m: float = 0.5,
                 scale: float = 30.0, beta: float = 0.9999, drw_epoch: Optional[int] = 160,
                 reduction: str = 'mean', loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        self.max_m = max_m
        self.scale = scale
        self.beta = beta
        self.register_buffer('margins', torch.zeros(0), persistent=False)
        self.register_buffer('class_weight', torch.zeros(0), persistent=False)
        self.init_class_stats()

    def update_stats(self, counts: Tensor) -> None:
        """Compute the margins and the class-balanced DRW weights."""
        self._store('margins', ldam_margins(counts, self.max_m))
        self._store('class_weight', effective_number_weights(counts, self.beta))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Margin on the target logit, scale, then (re-weighted) softmax cross-entropy; the
        weighted mean is taken by :meth:`forward`."""
        num_columns = cls_score.size(1)
        targets = targets[:, :num_columns]
        margins = self.column_stat('margins', num_columns, 0.0).to(cls_score.dtype)
        logits = self.scale * (cls_score - targets.to(cls_score.dtype) * margins)
        if not self.drw_active:
            return softmax_ce(logits, targets)
        weight = self.column_stat('class_weight', num_columns, 1.0).to(cls_score.dtype)
        return softmax_ce(logits, targets, weight)
