"""Balanced Softmax (Balanced Meta-Softmax) cross-entropy."""
from typing import Optional, Sequence

from ltr_mm.registry import SHARED_MODELS, register
from .logit_adjust_loss import LogitAdjustLoss


@register(*SHARED_MODELS)
class BalancedSoftmaxLoss(LogitAdjustLoss):
    """`Balanced Meta-Softmax <https://arxiv.org/abs/2007.10740>`_ cross-entropy.

    ``L = CE(z + log n, y)``: the training logits are shifted by the log class counts (equal
    to ``z + log pi`` with ``pi = n / N``, softmax being shift invariant); prediction uses the
    plain logits. Background column (mmdet layout): offset 0, i.e. prior 1, as frequent as
    any class can be. With ``drw_epoch`` set the shift is deferred: plain CE until the 1-based
    epoch exceeds ``drw_epoch`` (``SetEpochHook``). The log prior is a ``persistent=False``
    buffer set by :meth:`set_class_stats` (``SetClassStatsHook``) or ``class_counts``.

    It is :class:`LogitAdjustLoss` with ``tau = 1``.

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
        super().__init__(class_counts, tau=1.0, drw_epoch=drw_epoch, reduction=reduction,
                         loss_weight=loss_weight)
