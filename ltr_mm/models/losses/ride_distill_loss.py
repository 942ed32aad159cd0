"""Knowledge distillation term of RIDE."""
from typing import Optional

import torch.nn as nn
from mmpretrain.models.losses.utils import weight_reduce_loss
from torch import Tensor

from ltr_mm.models.functional.ride_terms import distill_kl
from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class RIDEDistillLoss(nn.Module):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ distillation from a frozen teacher.

    ``L = T^2 * KL(softmax(teacher / T) || softmax(student / T))`` on the aggregated (mean)
    student logits, counted once per batch (the original code adds it once per expert).
    :class:`RIDEClassifier` computes the teacher logits and calls this loss.

    Args:
        temperature (float): Distillation temperature T. Defaults to 1.5.
        reduction (str): 'none', 'mean' or 'sum'. Defaults to 'mean'.
        loss_weight (float): Multiplier (``distill_loss_factor``). Defaults to 1.0.
    """

    def __init__(self, temperature: float = 1.5, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.temperature = temperature
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self, cls_score: Tensor, teacher_score: Tensor,
                weight: Optional[Tensor] = None, avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Distillation loss of (N, C) student logits towards (N, C) teacher logits.

        Args:
            cls_score (Tensor): Student logits (N, C).
            teacher_score (Tensor): Teacher logits (N, C); no gradient reaches them.
            weight (Tensor, optional): Per-sample weights (N,). Defaults to None.
            avg_factor (float, optional): Denominator of the mean. Defaults to None.
            reduction_override (str, optional): Overrides ``reduction``. Defaults to None.

        Returns:
            Tensor: the weighted loss (per sample for 'none').
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        loss = distill_kl(cls_score, teacher_score, self.temperature)
        if weight is not None:
            weight = weight.float()
        return self.loss_weight * weight_reduce_loss(loss, weight, reduction, avg_factor)
