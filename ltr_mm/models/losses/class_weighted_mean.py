"""Weighted-mean normalisation of the class-weighted ltr_mm losses (not registered)."""
from typing import Optional

from torch import Tensor

from ltr_mm.models.functional import dense_targets, mean_sample_weight


class ClassWeightedMeanMixin:
    """Divide a class-weighted loss by the batch mean of its class weights.

    Mixed in before :class:`BaseClassStatsLoss` by the losses that keep per-class weights in a
    ``class_weight`` buffer. While :attr:`weighted_mean_active` is true, the loss that the base
    class reduces is divided by :func:`mean_sample_weight`, the batch mean of the class weight
    ``w_{y_i}`` of each sample, taken over the rows whose per-sample weight is non-zero (and
    weighted by it). The batch mean of the loss is then torch's weighted mean
    ``sum_i w_{y_i} l_i / sum_i w_{y_i}``, i.e. ``F.cross_entropy(z, y, weight=w)``, instead of
    ``sum_i w_{y_i} l_i / N``; with per-sample weights ``r`` and ``avg_factor = sum_i r_i`` it is
    ``sum_i r_i w_{y_i} l_i / sum_i r_i w_{y_i}``. The ``'none'`` and ``'sum'`` reductions are
    divided by the same batch mean.
    """

    @property
    def weighted_mean_active(self) -> bool:
        """Whether the loss is normalised by the batch's class weights (with the weights)."""
        return self.drw_active

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """The base loss divided by the batch mean class weight; arguments as the base."""
        loss = super().forward(cls_score, label, weight, avg_factor, reduction_override)
        if not self.weighted_mean_active:
            return loss
        targets = dense_targets(label, self.num_classes, cls_score.size(-1), self.uses_softmax)
        class_weight = self.column_stat('class_weight', self.num_classes + 1, 1.0)
        return loss / mean_sample_weight(targets, class_weight, weight).to(loss)
