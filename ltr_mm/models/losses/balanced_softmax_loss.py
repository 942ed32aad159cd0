"""Balanced Softmax (Balanced Meta-Softmax) cross-entropy."""
from typing import Optional, Sequence

from ltr_mm.registry import SHARED_MODELS, register

from .logit_adjust_loss import LogitAdjustLoss


@register(*SHARED_MODELS)
class BalancedSoftmaxLoss(LogitAdjustLoss):
    """`Balanced Meta-Softmax <https://arxiv.org/abs/2007.10740>`_ cross-entropy.

    ``L = CE(z + log pi, y)`` with the training prior ``pi_c = n_c / N`` (``N = sum_c n_c``);
    prediction uses the plain logits. With ``C`` columns this equals the paper's
    ``CE(z + log n, y)``, softmax being shift invariant. With ``C + 1`` columns (mmdet layout,
    background last) the foreground columns get ``log pi_c`` and the background column
    ``0`` (prior 1, as frequent as any class can be), which is ``z + log n`` with
    ``log N`` for the background, not ``z + log n`` with background 0. With ``drw_epoch`` set
    the shift is deferred: plain CE until the 1-based epoch exceeds ``drw_epoch``
    (``SetEpochHook``). The log prior is a ``persistent=False`` buffer set by
    :meth:`set_class_stats` (``SetClassStatsHook``) or ``class_counts``.

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
