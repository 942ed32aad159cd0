"""Logit-adjusted softmax cross-entropy."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import adjust_logits, log_prior, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss


@register(*SHARED_MODELS)
class LogitAdjustLoss(BaseClassStatsLoss):
    """`Logit adjustment <https://arxiv.org/abs/2007.07314>`_ loss.

    ``L = CE(z + tau * log pi, y)`` with the training prior ``pi_c = n_c / N``; ``tau = 1``
    equals :class:`BalancedSoftmaxLoss` and ``tau = 0`` plain cross-entropy. Prediction uses
    the plain logits. The paper's other form, post-hoc adjustment ``z - tau * log pi`` of a
    model trained with plain CE, changes test-time scores and therefore belongs to the
    classification head's prediction step (``ltr_mm.models.functional.adjust_logits`` with
    ``-tau``), not to a loss. With ``C + 1`` columns (mmdet layout, background last) the
    foreground columns get ``tau * log pi_c`` and the background column ``0`` (prior 1), so
    the offsets are those of ``tau * log n_c`` with ``tau * log N`` for the background. With
    ``drw_epoch`` set the adjustment is deferred until the 1-based epoch exceeds
    ``drw_epoch``.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        tau (float): scale of the adjustment. Defaults to 1.0.
        drw_epoch (int, optional): adjustment on when the 1-based epoch is greater than this;
            None keeps it always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, tau: float = 1.0,
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        self.tau = tau
        self.register_buffer('log_prior', torch.zeros(0), persistent=False)
        self.init_class_stats()

    def update_stats(self, counts: Tensor) -> None:
        """Compute the log prior."""
        self._store('log_prior', log_prior(counts))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Softmax cross-entropy on ``z + tau * log pi``."""
        num_columns = cls_score.size(1)
        if self.drw_active:
            cls_score = adjust_logits(cls_score,
                                      self.column_stat('log_prior', num_columns, 0.0), self.tau)
        return softmax_ce(cls_score, targets[:, :num_columns])
