"""Per-sample loss weighting and reduction with the OpenMMLab loss contract (pure torch)."""
from typing import Optional

import torch
from torch import Tensor

#: added to ``avg_factor`` so that an average over zero samples is 0, not NaN.
AVG_FACTOR_EPS = torch.finfo(torch.float32).eps


def weight_reduce_loss(loss: Tensor, weight: Optional[Tensor] = None, reduction: str = 'mean',
                       avg_factor: Optional[float] = None) -> Tensor:
    """Multiply an element-wise loss by ``weight`` and reduce it.

    The contract of mmdet's and mmpretrain's loss utilities: without ``avg_factor``,
    ``reduction`` is ``'none'``, ``'mean'`` (over all elements) or ``'sum'``; with it, only
    ``'mean'`` (the sum divided by ``avg_factor + eps``, as mmdet's) or ``'none'``.

    Args:
        loss: element-wise loss.
        weight: element-wise weight, broadcastable to ``loss``. Defaults to None.
        reduction: ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        avg_factor: the divisor of the mean instead of the number of elements.
            Defaults to None.
    """
    if reduction not in ('none', 'mean', 'sum'):
        raise ValueError(f'reduction must be none, mean or sum, got {reduction!r}')
    if weight is not None:
        loss = loss * weight
    if avg_factor is None:
        if reduction == 'mean':
            return loss.mean()
        return loss.sum() if reduction == 'sum' else loss
    if reduction == 'mean':
        return loss.sum() / (avg_factor + AVG_FACTOR_EPS)
    if reduction == 'sum':
        raise ValueError('avg_factor can not be used with reduction="sum"')
    return loss
