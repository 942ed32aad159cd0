"""RIDE loss: LDAM-DRW per expert plus a diversity term."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmpretrain.models.losses.utils import weight_reduce_loss
from torch import Tensor

from ltr_mm.models.functional import as_counts, effective_number_weights, ldam_margins
from ltr_mm.models.functional.ride_terms import (
    diversity_kl,
    diversity_temperatures,
    ldam_cross_entropy,
)
from ltr_mm.registry import CLS_MODELS, register
from ltr_mm.utils.class_stats import ClassStats, as_class_stats


@register(CLS_MODELS)
class RIDELoss(nn.Module):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ distribution-aware diversity loss.

    ``L = sum_i [ a * CE_w(LDAM(z_i), y) + b * T_bar^2 * KL(softmax(z_mean/T) || softmax(z_i/T))]``
    over experts i, with ``z_mean`` the detached mean of all expert logits. LDAM subtracts
    ``scale * m_y`` from the target logit (``m_c ~ n_c^(-1/4)``, largest ``max_m``). After the
    re-weight epoch (``reweight`` on, ``epoch > reweight_epoch``, epochs 1-based from
    ``set_epoch``) CE uses class-balanced weights (beta, normalised to sum C; batch mean as
    weighted mean, like torch's weighted CE) and T is the per-class vector
    ``T_base * v_c`` (see ``diversity_temperatures``); before it, or with ``reweight=False``,
    CE is unweighted and T is the scalar ``T_base``. ``b < 0`` maximises diversity.

    ``cls_score`` is (N, E, C) expert logits (already times s) or (N, C) for one expert.
    Class counts come from ``class_counts`` or ``set_class_stats`` (``SetClassStatsHook``).

    Args:
        class_counts (Sequence[int], optional): Training images per class. Defaults to None.
        max_m (float): Largest LDAM margin; 0 disables margins. Defaults to 0.5.
        scale (float): Cosine scale s of the head. Defaults to 30.0.
        reweight (bool): Enable DRW weights and per-class temperatures. Defaults to True.
        reweight_epoch (int): Re-weighting is on when epoch > this. Defaults to 160.
        beta (float): Class-balanced beta. Defaults to 0.9999.
        base_loss_factor (float): ``a``. Defaults to 1.0.
        diversity_factor (float): ``b`` (``additional_diversity_factor``). Defaults to -0.2.
        base_temperature (float): ``T_base``. Defaults to 1.0.
        reweight_factor (float): ``gamma_r`` of the temperatures. Defaults to 0.05.
        reduction (str): 'none', 'mean' or 'sum'. Defaults to 'mean'.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None, max_m: float = 0.5,
                 scale: float = 30.0, reweight: bool = True, reweight_epoch: int = 160,
                 beta: float = 0.9999, base_loss_factor: float = 1.0,
                 diversity_factor: float = -0.2, base_temperature: float = 1.0,
                 reweight_factor: float = 0.05, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.max_m, self.scale, self.beta = max_m, scale, beta
        self.reweight, self.reweight_epoch = reweight, reweight_epoch
        self.base_loss_factor, self.diversity_factor = base_loss_factor, diversity_factor
        self.base_temperature, self.reweight_factor = base_temperature, reweight_factor
        self.reduction, self.loss_weight = reduction, loss_weight
        self.epoch = 0
        for name in ('margins', 'drw_weights', 'temperatures'):
            self.register_buffer(name, torch.zeros(0), persistent=False)
        self.class_stats: Optional[ClassStats] = None
        if class_counts is not None:
            self.set_class_stats(ClassStats.from_counts(class_counts))

    def set_class_stats(self, stats: ClassStats) -> None:
        """Keep the statistics; compute margins, class-balanced weights and temperatures."""
        stats = as_class_stats(stats, type(self).__name__)
        counts = as_counts(stats.counts)
        device = self.margins.device
        self.margins = ldam_margins(counts, self.max_m).to(device)
        self.drw_weights = effective_number_weights(counts, self.beta).to(device)
        self.temperatures = diversity_temperatures(counts, self.base_temperature,
                                                   self.reweight_factor).to(device)
        self.class_stats = stats

    @property
    def has_class_stats(self) -> bool:
        """Whether class statistics have been set."""
        return self.margins.numel() > 0

    def set_epoch(self, epoch: int) -> None:
        """Record the 1-based epoch about to run."""
        self.epoch = epoch

    @property
    def reweight_active(self) -> bool:
        """Whether DRW weights and per-class temperatures are used now."""
        return self.reweight and self.epoch > self.reweight_epoch

    def _check_stats(self, num_classes: int) -> None:
        """Raise unless class stats of the right length exist when they are needed."""
        if self.max_m <= 0 and not self.reweight_active:
            return
        if self.margins.numel() == 0:
            raise RuntimeError('RIDELoss: class stats not set; add SetClassStatsHook or '
                               'pass class_counts')
        if self.margins.numel() != num_classes:
            raise ValueError(f'RIDELoss: {self.margins.numel()} class counts for '
                             f'{num_classes} logit columns')

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Loss of (N, E, C) or (N, C) logits for (N,) labels; per-sample if 'none'."""
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        z = cls_score if cls_score.dim() == 3 else cls_score.unsqueeze(1)
        self._check_stats(z.size(-1))
        if z.size(0) == 0:
            return cls_score.sum() * 0.0
        margins = self.margins if self.max_m > 0 else None
        base = torch.stack([ldam_cross_entropy(z[:, i], label, margins, self.scale)
                            for i in range(z.size(1))], dim=1).sum(dim=1)
        if self.reweight_active:
            w = self.drw_weights[label]
            base = base * w / w.mean()
        loss = self.base_loss_factor * base
        if self.diversity_factor != 0:
            t = self.temperatures if self.reweight_active else self.base_temperature
            loss = loss + self.diversity_factor * diversity_kl(z, t).sum(dim=1)
        if weight is not None:
            weight = weight.float()
        loss = weight_reduce_loss(loss, weight, reduction, avg_factor)
        return self.loss_weight * loss
