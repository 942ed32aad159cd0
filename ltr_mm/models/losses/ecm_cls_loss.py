"""Effective class-margin (ECM) loss for the RoI box classifier."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ltr_mm.models.functional import (
    ecm_class_weights,
    ecm_frequencies,
    ecm_margins,
)
from ltr_mm.registry import DET_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss
from .sigmoid_cls_layouts import ObjectnessClsLayout


@register(DET_MODELS)
class ECMClsLoss(ObjectnessClsLayout, BaseClassStatsLoss):
    """`Effective class-margin loss <https://arxiv.org/abs/2301.09724>`_ (Cho and
    Krähenbühl, ECCV 2022) on the R-CNN box classifier, as the authors' code defines it.

    ``fc_cls`` has ``C + 1`` outputs (:class:`ObjectnessClsLayout`): one sigmoid logit per class
    and a last objectness (background) logit. From the training frequencies ``n_c`` (images
    containing class ``c``, from :meth:`set_class_stats`) and a background frequency
    ``n_bg = fg_bg_ratio * sum_c n_c``, every column ``k`` gets ``n+ = n_k``,
    ``n- = N - n_k`` (``N`` the sum over all ``C + 1`` columns), the margins

        m+_k = log((n+^(1/4) + n-^(1/4)) / n-^(1/4)),
        m-_k = log((n+^(1/4) + n-^(1/4)) / n+^(1/4))

    and the weight ``w_k = a_k * log((1 + a_k) / a_k)``, ``a_k = n- / n+``
    (``ltr_mm.models.functional.ecm_margins``). With the one-hot target ``t`` over the
    ``C + 1`` columns (background RoIs: the objectness column), RoI ``r`` has the loss

        sum_k -w_k * [t_rk * log p+_rk + (1 - t_rk) * log(1 - p+_rk)],
        p+_rk = exp(z_rk + m+_k) / (exp(z_rk + m+_k) + exp(-z_rk + m-_k)),

    computed as ``w_k * BCE(2 z_rk + m+_k - m-_k, t_rk)``; ``'mean'`` divides the weighted sum
    over RoIs by ``avg_factor`` (the number of RoIs, the authors' normaliser).

    Scores (:meth:`get_activation`, no margins at test time, as the authors' code):
    ``sigmoid(z_c) * (1 - sigmoid(z_bg))`` for the classes, then ``sigmoid(z_bg)``.

    Args:
        class_counts (Sequence[int], optional): training images per class. Defaults to None
            (set through :meth:`set_class_stats`, i.e. ``SetClassStatsHook``).
        fg_bg_ratio (float): background frequency over the summed class frequencies; 6.3313
            is the authors' value for Mask R-CNN on LVIS. Defaults to 6.3313.
        reduction (str): ``'none'`` (per RoI), ``'mean'`` or ``'sum'``. Defaults to 'mean'.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None,
                 fg_bg_ratio: float = 6.3313, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, None, reduction, loss_weight)
        if not fg_bg_ratio > 0:
            raise ValueError(f'ECMClsLoss: fg_bg_ratio must be positive, got {fg_bg_ratio!r}')
        self.fg_bg_ratio = float(fg_bg_ratio)
        for name in ('pos_margin', 'neg_margin', 'class_weight'):
            self.register_buffer(name, torch.zeros(0), persistent=False)
        self.init_class_stats()

    @property
    def uses_softmax(self) -> bool:
        """Sigmoid classifier (the background has its own objectness column)."""
        return False

    def update_stats(self, counts: Tensor) -> None:
        """Margins and weights of the ``C + 1`` columns."""
        freq = ecm_frequencies(counts, self.fg_bg_ratio)
        pos, neg = ecm_margins(freq)
        self._store('pos_margin', pos)
        self._store('neg_margin', neg)
        self._store('class_weight', ecm_class_weights(freq))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Weighted margin BCE summed over the ``C + 1`` columns, per RoI."""
        if cls_score.size(1) != self.num_classes + 1:
            raise ValueError(f'ECMClsLoss: cls_score has {cls_score.size(1)} columns, '
                             f'expected C + 1 = {self.num_classes + 1} (get_cls_channels)')
        shift = (self.pos_margin - self.neg_margin).to(cls_score.dtype)
        bce = F.binary_cross_entropy_with_logits(
            2 * cls_score + shift, targets.to(cls_score.dtype), reduction='none')
        return (bce * self.class_weight.to(bce.dtype)).sum(dim=1)
