"""Balanced Softmax (Balanced Meta-Softmax) cross-entropy."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import adjust_logits, log_prior, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register
from .base_class_stats_loss import BaseClassStatsLoss


@register(*SHARED_MODELS)
class BalancedSoftmaxLoss(BaseClassStatsLoss):
    """`Balanced Meta-Softmax <https://arxiv.org/abs/2007.10740>`_ cross-entropy.

    ``L = CE(z + log n, y)``: the training logits are shifted by the log class counts (equal
    to ``z + log pi`` with ``pi = n / N``, softmax being shift invariant); prediction uses the
    plain logits. Background column (mmdet layout): offset 0, i.e. prior 1, as frequent as
    any class can be. With ``drw_epoch`` set the shift is deferred: plain CE until the 1-based
    epoch exceeds ``drw_epoch`` (``SetEpochHook``). The log prior is a ``persistent=False``
    buffer set by :meth:`set_class_stats` (``SetClassStatsHook``) or ``class_counts``.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        drw_epoch (int, optional): shift on when the 1-based epoch is greater than this;
            None keeps it always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None,
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        self.register_buffer('log_prior', torch.zeros(0), persistent=False)
        self.init_class_stats()

    def update_stats(self, counts: Tensor) -> None:
        """Compute the log prior."""
        self._store('log_prior', log_prior(counts))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Softmax cross-entropy on the prior-shifted logits."""
        num_columns = cls_score.size(1)
        if self.drw_active:
            cls_score = adjust_logits(cls_score,
                                      self.column_stat('log_prior', num_columns, 0.0))
        return softmax_ce(cls_score, targets[:, :num_columns])
