"""Class-balanced loss (effective number of samples) in softmax, sigmoid and focal form."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from ltr_mm.models.functional import effective_number_weights, sigmoid_focal_ce, softmax_ce
from ltr_mm.registry import SHARED_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss
from .class_weighted_mean import ClassWeightedMeanMixin


@register(*SHARED_MODELS)
class ClassBalancedLoss(ClassWeightedMeanMixin, BaseClassStatsLoss):
    """`Class-Balanced Loss <https://arxiv.org/abs/1901.05555>`_ (CB-CE, CB-BCE, CB-Focal).

    Each sample is weighted by ``w_y = (1 - beta) / (1 - beta ** n_y)``, the weights being
    normalised so ``sum_c w_c = C``. ``loss_type``:

    - ``'softmax'``: ``w_y * CE(z, y)``.
    - ``'sigmoid'``: ``w_y * sum_c BCE(z_c, onehot(y)_c)``.
    - ``'focal'``: ``w_y * sum_c BCE(z_c, onehot(y)_c) * (1 - p_t,c) ** gamma`` (sigmoid focal,
      as in Bag of Tricks for long-tailed recognition).

    Sums over classes are averaged over samples by the reduction. ``normalize`` chooses the
    divisor of the batch mean:

    - ``'mean'`` (default): ``sum_i w_{y_i} l_i / N``, the plain mean of Cui et al.'s code (all
      three forms) and of Bag of Tricks' CB-Focal.
    - ``'weighted'``: ``sum_i w_{y_i} l_i / sum_i w_{y_i}``, torch's weighted mean
      ``F.cross_entropy(z, y, weight=w)``, which Bag of Tricks' CB-CE uses
      (:class:`ClassWeightedMeanMixin`; per-sample weights ``r`` weight the divisor, rows with
      ``r_i = 0`` drop out).

    Soft targets weight each class term with ``w_c`` (softmax) or use ``sum_c t_c w_c`` per
    sample (sigmoid, focal); that is also their ``w_{y_i}`` in the weighted mean.
    Background (mmdet layout, label ``C``): weight 1; with ``C`` sigmoid columns a background
    sample has all-zero targets. With ``drw_epoch`` set the weights are deferred: ``w = 1``
    until the 1-based epoch exceeds ``drw_epoch`` (``SetEpochHook``).

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None.
        beta (float): effective-number hyper-parameter in ``[0, 1)``. Defaults to 0.9999.
        loss_type (str): ``'softmax'``, ``'sigmoid'`` or ``'focal'``. Defaults to
            ``'softmax'``.
        gamma (float): focusing parameter of ``'focal'``. Defaults to 1.0.
        normalize (str): ``'mean'`` or ``'weighted'`` (see above). Defaults to ``'mean'``.
        drw_epoch (int, optional): weights on when the 1-based epoch is greater than this;
            None keeps them always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    LOSS_TYPES = ('softmax', 'sigmoid', 'focal')
    NORMALIZERS = ('mean', 'weighted')

    def __init__(self, class_counts: Optional[Sequence[int]] = None, beta: float = 0.9999,
                 loss_type: str = 'softmax', gamma: float = 1.0, normalize: str = 'mean',
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, drw_epoch, reduction, loss_weight)
        if loss_type not in self.LOSS_TYPES:
            raise ValueError(f'ClassBalancedLoss: loss_type must be one of {self.LOSS_TYPES}, '
                             f'got {loss_type!r}')
        if normalize not in self.NORMALIZERS:
            raise ValueError(f'ClassBalancedLoss: normalize must be one of {self.NORMALIZERS}, '
                             f'got {normalize!r}')
        self.beta = beta
        self.loss_type = loss_type
        self.gamma = gamma
        self.normalize = normalize
        self.register_buffer('class_weight', torch.zeros(0), persistent=False)
        self.init_class_stats()

    @property
    def uses_softmax(self) -> bool:
        """Only ``loss_type='softmax'`` needs a background column for background labels."""
        return self.loss_type == 'softmax'

    @property
    def weighted_mean_active(self) -> bool:
        """``normalize='weighted'`` while the weights are on."""
        return self.normalize == 'weighted' and self.drw_active

    def update_stats(self, counts: Tensor) -> None:
        """Compute the effective-number weights."""
        self._store('class_weight', effective_number_weights(counts, self.beta))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Weighted softmax CE or weighted sum of per-class (focal) BCE terms."""
        num_columns = cls_score.size(1)
        active = self.drw_active
        if self.loss_type == 'softmax':
            weight = self.column_stat('class_weight', num_columns, 1.0) if active else None
            return softmax_ce(cls_score, targets[:, :num_columns], weight)
        gamma = self.gamma if self.loss_type == 'focal' else 0.0
        loss = sigmoid_focal_ce(cls_score, targets[:, :num_columns], gamma)
        if not active:
            return loss
        full_weight = self.column_stat('class_weight', self.num_classes + 1, 1.0)
        return loss * (targets.to(full_weight.dtype) @ full_weight).to(loss.dtype)
