"""Equalization loss v2 for the RoI box classifier: gradient-guided sigmoid re-weighting."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmdet.models.losses.utils import weight_reduce_loss
from mmengine import dist
from torch import Tensor, nn

from ltr_mm.models.functional import eqlv2_class_weights, eqlv2_gradients
from ltr_mm.registry import DET_MODELS, register

from .sigmoid_cls_layouts import ObjectnessClsLayout


@register(DET_MODELS)
class EQLv2ClsLoss(ObjectnessClsLayout, nn.Module):
    """`Equalization Loss v2 <https://arxiv.org/abs/2012.08548>`_ (Tan et al., CVPR 2021) on
    the R-CNN box classifier, as the authors' code defines it.

    ``fc_cls`` has ``C + 1`` outputs (:class:`ObjectnessClsLayout`): one sigmoid logit per class
    and a last objectness (background) logit. Every class ``j`` keeps the accumulated
    magnitudes of the gradients of its logit from positive and from negative RoIs, ``P_j`` and
    ``N_j`` (buffers ``pos_grad`` / ``neg_grad``, saved in checkpoints so a resumed run goes
    on with them). A step weights the binary cross-entropy of column ``j`` by
    ``r_j = 1 + alpha * (1 - q_j)`` where the target is 1 and by
    ``q_j = 1 / (1 + exp(-gamma * (P_j / N_j - mu)))`` where it is 0, from the statistics of
    the steps before (all weights are 1 in the first step, when nothing is collected yet);
    the objectness column always has weight 1. RoI ``r`` (one-hot target ``t`` over the
    ``C + 1`` columns, background RoIs on the objectness column) has the loss
    ``sum_k w_rk * BCE(z_rk, t_rk)``; ``'mean'`` divides the sum over RoIs, weighted by the
    RoI weights, by ``avg_factor`` (the number of RoIs, the authors' normaliser).

    After the loss, in training mode, the step's gradient magnitudes
    ``w_rk * |sigmoid(z_rk) - t_rk|`` (times the RoI weight) of the ``C`` class columns are
    summed over RoIs into positive and negative parts, summed over all processes
    (``mmengine.dist.all_reduce``, a no-op without a process group) and added to ``P`` and
    ``N``, so every rank uses the same weights.

    Scores (:meth:`get_activation`): ``sigmoid(z_c) * (1 - sigmoid(z_bg))`` for the classes,
    then ``sigmoid(z_bg)``.

    Args:
        num_classes (int): number of foreground classes ``C``.
        gamma (float): steepness of the mapping function. Defaults to 12.0.
        mu (float): centre of the mapping function. Defaults to 0.8.
        alpha (float): up-weighting of the positives. Defaults to 4.0.
        reduction (str): ``'none'`` (per RoI), ``'mean'`` or ``'sum'``. Defaults to 'mean'.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, num_classes: int, gamma: float = 12.0, mu: float = 0.8,
                 alpha: float = 4.0, reduction: str = 'mean', loss_weight: float = 1.0) -> None:
        super().__init__()
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or \
                num_classes < 1:
            raise ValueError('EQLv2ClsLoss: num_classes must be a positive integer, got '
                             f'{num_classes!r}')
        if reduction not in ('none', 'mean', 'sum'):
            raise ValueError(f'EQLv2ClsLoss: reduction must be none, mean or sum, got '
                             f'{reduction!r}')
        self.num_classes = num_classes
        self.gamma = float(gamma)
        self.mu = float(mu)
        self.alpha = float(alpha)
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.register_buffer('pos_grad', torch.zeros(num_classes))
        self.register_buffer('neg_grad', torch.zeros(num_classes))

    def column_weights(self) -> Tuple[Tensor, Tensor]:
        """``(r, q)`` of the ``C + 1`` columns from the statistics collected so far (all one
        before the first collection; the objectness column is always one)."""
        pos_w, neg_w = eqlv2_class_weights(self.pos_grad, self.neg_grad, self.gamma, self.mu,
                                           self.alpha)
        started = self.neg_grad.sum() > 0
        one = torch.ones_like(pos_w)
        pos_w = torch.cat([torch.where(started, pos_w, one), one[:1]])
        neg_w = torch.cat([torch.where(started, neg_w, one), one[:1]])
        return pos_w, neg_w

    @torch.no_grad()
    def collect(self, cls_score: Tensor, targets: Tensor, weight: Tensor) -> None:
        """Add the step's gradient magnitudes of the class columns, summed over processes."""
        pos, neg = eqlv2_gradients(cls_score, targets, weight)
        both = torch.stack([pos[:-1], neg[:-1]]).to(self.pos_grad.dtype)
        dist.all_reduce(both, op='sum')
        self.pos_grad += both[0]
        self.neg_grad += both[1]

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Re-weighted sigmoid loss of the RoIs; collects the gradients in training mode.

        Args:
            cls_score: logits ``(R, C + 1)``, objectness last.
            label: mmdet 3.x labels ``(R,)`` in ``0..C``, background ``C``.
            weight: per-RoI weights ``(R,)``. Defaults to None.
            avg_factor: normaliser of ``'mean'``. Defaults to None (the number of RoIs).
            reduction_override: ``'none'``, ``'mean'`` or ``'sum'``.

        Returns:
            Tensor: the loss (``(R,)`` for ``'none'``).
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        if cls_score.size(-1) != self.num_classes + 1:
            raise ValueError(f'EQLv2ClsLoss: cls_score has {cls_score.size(-1)} columns, '
                             f'expected C + 1 = {self.num_classes + 1} (num_classes='
                             f'{self.num_classes})')
        targets = F.one_hot(label.reshape(-1).long(), self.num_classes + 1).to(cls_score.dtype)
        pos_w, neg_w = self.column_weights()
        col_w = (pos_w * targets + neg_w * (1 - targets)).to(cls_score.dtype)
        loss = (F.binary_cross_entropy_with_logits(cls_score, targets, reduction='none') *
                col_w).sum(dim=1)
        if weight is not None:
            weight = weight.reshape(-1).to(loss.dtype)
        if self.training:
            roi_w = col_w if weight is None else col_w * weight[:, None]
            self.collect(cls_score.detach(), targets, roi_w)
        if loss.numel() == 0 and reduction == 'mean' and avg_factor is None:
            return self.loss_weight * (cls_score.sum() * 0.0)
        return self.loss_weight * weight_reduce_loss(loss, weight, reduction, avg_factor)
