"""Class-dependent temperatures (CDT) cross-entropy."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import cdt_scales, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss


@register(*SHARED_MODELS)
class CDTLoss(BaseClassStatsLoss):
    """`Class-Dependent Temperatures <https://arxiv.org/abs/2001.01385>`_ cross-entropy.

    ``L = CE(z / a, y)`` with ``a_c = (n_max / n_c) ** gamma`` during training (the most
    frequent class has ``a = 1``); prediction uses the plain logits. Background column (mmdet
    layout): ``a = 1``. With ``drw_epoch`` set the temperatures are deferred (plain CE until
    the 1-based epoch exceeds ``drw_epoch``, ``SetEpochHook``). Temperatures are a
    ``persistent=False`` buffer set by :meth:`set_class_stats` (``SetClassStatsHook``) or
    ``class_counts``.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        gamma (float): exponent of the temperatures. Defaults to 0.2.
        drw_epoch (int, optional): temperatures on when the 1-based epoch is greater than
            this; None keeps them always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, gamma: float = 0.2,
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        self.gamma = gamma
        self.register_buffer('temperatures', torch.zeros(0), persistent=False)
        self.init_class_stats()

    def update_stats(self, counts: Tensor) -> None:
        """Compute the class temperatures."""
        self._store('temperatures', cdt_scales(counts, self.gamma))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Softmax cross-entropy on ``z / a``."""
        num_columns = cls_score.size(1)
        if self.drw_active:
            temperatures = self.column_stat('temperatures', num_columns, 1.0)
            cls_score = cls_score / temperatures.to(cls_score.dtype)
        return softmax_ce(cls_score, targets[:, :num_columns])
