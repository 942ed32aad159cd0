"""Cost-sensitive cross-entropy (CS_CE)."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import cost_sensitive_weights, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss
from .class_weighted_mean import ClassWeightedMeanMixin


@register(*SHARED_MODELS)
class CostSensitiveCELoss(ClassWeightedMeanMixin, BaseClassStatsLoss):
    """Cost-sensitive cross-entropy of `Bag of Tricks for Long-Tailed Visual Recognition
    <https://cs.nju.edu.cn/wujx/paper/AAAI2021_Tricks.pdf>`_.

    ``L = sum_i w_{y_i} CE(z_i, y_i) / sum_i w_{y_i}`` with ``w_c = (n_min / n_c) ** gamma``:
    ``gamma = 1`` is inverse frequency, ``gamma = 0.5`` the square-root variant. The batch mean
    is the weighted mean of ``F.cross_entropy(z, y, weight=w)``, as in Bag of Tricks' code
    (each sample's ``w_y * CE`` is divided by the batch mean of ``w_{y_i}``, see
    :class:`ClassWeightedMeanMixin`; per-sample weights ``r`` weight that mean, rows with
    ``r_i = 0`` drop out). Background column (mmdet layout): weight 1. With ``drw_epoch`` set
    this is the DRW form (plain CE until the 1-based epoch exceeds ``drw_epoch``,
    ``SetEpochHook``). Weights are a ``persistent=False`` buffer set by
    :meth:`set_class_stats` (``SetClassStatsHook``) or ``class_counts``.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        gamma (float): exponent of the weights. Defaults to 1.0.
        drw_epoch (int, optional): weights on when the 1-based epoch is greater than this;
            None keeps them always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, gamma: float = 1.0,
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        self.gamma = gamma
        self.register_buffer('class_weight', torch.zeros(0), persistent=False)
        self.init_class_stats()

    def update_stats(self, counts: Tensor) -> None:
        """Compute the cost-sensitive weights."""
        self._store('class_weight', cost_sensitive_weights(counts, self.gamma))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Class-weighted softmax cross-entropy ``w_{y_i} CE(z_i, y_i)`` (normalised by
        :meth:`forward`)."""
        num_columns = cls_score.size(1)
        weight = self.column_stat('class_weight', num_columns, 1.0) if self.drw_active else None
        return softmax_ce(cls_score, targets[:, :num_columns], weight)
