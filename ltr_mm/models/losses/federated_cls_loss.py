"""Federated loss for the RoI box classifier: sigmoid BCE on a sampled subset of classes."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ltr_mm.models.functional import fed_class_mask, fed_class_weights
from ltr_mm.registry import DET_MODELS, register

from .base_class_stats_loss import BaseClassStatsLoss
from .sigmoid_cls_layouts import SigmoidClsLayout


@register(DET_MODELS)
class FederatedClsLoss(SigmoidClsLayout, BaseClassStatsLoss):
    """Federated loss of `Probabilistic two-stage detection
    <https://arxiv.org/abs/2103.07461>`_ (Zhou et al., 2021), as detectron2's
    ``USE_FED_LOSS``: per-class sigmoid cross-entropy on the R-CNN box classifier, computed
    only on the classes of the batch's ground truth and on sampled negative classes.

    ``fc_cls`` has ``C`` outputs (:class:`SigmoidClsLayout`). A RoI of class ``y < C`` has the
    one-hot target of ``y``, a background RoI (``y = C``) the all-zero target. Each call
    (one batch of RoIs) keeps the set ``S`` of its distinct labels, the background label
    counted when present, and adds foreground classes drawn without replacement with
    probability proportional to ``n_c ** freq_power`` (``n_c``: training images of class
    ``c``, from :meth:`set_class_stats`) until ``|S| = num_fed_classes``. The loss of RoI
    ``r`` is ``sum_{c in S, c < C} BCE(z_rc, t_rc)``; ``'mean'`` divides the weighted sum over
    RoIs by ``avg_factor`` (the box head passes the number of RoIs), which is detectron2's
    ``sum / R``. Classes outside ``S`` get no gradient in that step. With fewer candidate
    classes than needed (small ``C``), every class is drawn.

    Scores (:meth:`get_activation`) are the ``C + 1`` columns of ``SigmoidFocalClsLoss``:
    ``sigmoid(z_c)``, then ``prod_c (1 - sigmoid(z_c))`` as background (dropped by NMS).

    Args:
        class_counts (Sequence[int], optional): training images per class. Defaults to None
            (set through :meth:`set_class_stats`, i.e. ``SetClassStatsHook``).
        num_fed_classes (int): classes kept per batch, background included. Defaults to 50.
        freq_power (float): exponent of the sampling frequency. Defaults to 0.5.
        reduction (str): ``'none'`` (per RoI), ``'mean'`` or ``'sum'``. Defaults to 'mean'.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, num_fed_classes: int = 50,
                 freq_power: float = 0.5, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__(class_counts, None, reduction, loss_weight)
        if isinstance(num_fed_classes, bool) or not isinstance(num_fed_classes, int) or \
                num_fed_classes < 1:
            raise ValueError('FederatedClsLoss: num_fed_classes must be a positive integer, '
                             f'got {num_fed_classes!r}')
        self.num_fed_classes = num_fed_classes
        self.freq_power = float(freq_power)
        self.register_buffer('fed_weight', torch.zeros(0), persistent=False)
        self.init_class_stats()

    @property
    def uses_softmax(self) -> bool:
        """Sigmoid classifier: a background RoI has all-zero targets."""
        return False

    def update_stats(self, counts: Tensor) -> None:
        """Sampling weights ``n_c ** freq_power``."""
        self._store('fed_weight', fed_class_weights(counts, self.freq_power))

    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Sum of the BCE terms of the kept classes, per RoI."""
        num_classes = self.num_classes
        if cls_score.size(1) != num_classes:
            raise ValueError(f'FederatedClsLoss: cls_score has {cls_score.size(1)} columns, '
                             f'expected C = {num_classes} (get_cls_channels)')
        present = targets.gt(0).any(dim=0).nonzero().flatten()
        mask = fed_class_mask(present, self.fed_weight, self.num_fed_classes)
        bce = F.binary_cross_entropy_with_logits(
            cls_score, targets[:, :num_classes].to(cls_score.dtype), reduction='none')
        return (bce * mask.to(bce.dtype)).sum(dim=1)
