"""BAGS: Balanced Group Softmax as an mmdet classification loss that owns the logit layout."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmdet.models.losses import accuracy
from torch import Tensor, nn

from ltr_mm.models.functional.group_softmax import (
    DEFAULT_BINS,
    GroupTables,
    bags_loss,
    build_group_tables,
    check_bins,
    merge_group_scores,
    num_group_channels,
)
from ltr_mm.registry import DET_MODELS, register
from ltr_mm.utils.bad_input import field_error
from ltr_mm.utils.class_stats import ClassStats, as_class_stats


@register(DET_MODELS)
class BAGSLoss(nn.Module):
    """`Balanced Group Softmax <https://arxiv.org/abs/2006.10408>`_ loss for RoI box heads.

    ``L = sum_g sum_r w_gr CE(softmax(z_g,r), y_g,r) / max(sum_r w_gr, 1)`` over the
    background group and one group per instance-count bin; ``w`` keeps a group's positives and
    ``floor(beta * #pos)`` random "others" (no positive: the group adds zero). The loss sets
    ``custom_cls_channels`` / ``custom_activation`` / ``custom_accuracy`` so a stock
    ``Shared2FCBBoxHead`` sizes ``fc_cls`` with :meth:`get_cls_channels` (``C + K + 2``) and
    scores with :meth:`get_activation` (``C + 1`` merged scores, background last); see
    :mod:`ltr_mm.models.functional.group_softmax` for the layout.

    The per-class instance counts come from :meth:`set_class_stats` (``SetClassStatsHook``,
    e.g. ``class_stats=<LVIS training file>`` for the file's ``instance_count``) or
    ``class_counts``, like every count-based loss; the groups are built from them on first
    use. The counts are kept in the checkpointed buffer ``class_counts``, so a loaded BAGS
    checkpoint brings its groups along (``has_class_stats`` is then true and the hook leaves
    the loss alone at test time).

    Args:
        num_classes: number of foreground classes ``C``.
        class_counts: per-class training instance counts. Defaults to None.
        bins: instance-count group edges. Defaults to ``(10, 100, 1000)``.
        others_ratio: "others" sampled per positive of a group (beta). Defaults to 8.0.
        seed: seed of a private torch generator for the others draw; None uses torch's global
            generator (seeded by the runner). Defaults to None.
        reduction: ``'mean'`` (per-group mean, summed: the paper), ``'sum'`` or ``'none'``.
            ``avg_factor`` is not used: each group has its own normaliser. Defaults to 'mean'.
        loss_weight: loss weight. Defaults to 1.0.
    """

    def __init__(self, num_classes: int, class_counts: Optional[Sequence[int]] = None,
                 bins: Sequence[float] = DEFAULT_BINS, others_ratio: float = 8.0,
                 seed: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        assert reduction in ('none', 'mean', 'sum')
        self.num_classes = num_classes
        self.bins = check_bins(bins)
        self.others_ratio = float(others_ratio)
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.generator = None if seed is None else torch.Generator().manual_seed(seed)
        self.custom_cls_channels = True
        self.custom_activation = True
        self.custom_accuracy = True
        self.register_buffer('class_counts', torch.full((num_classes, ), -1, dtype=torch.long))
        self._tables: Optional[GroupTables] = None
        self.class_stats: Optional[ClassStats] = None
        if class_counts is not None:
            self._store(class_counts)

    def _store(self, counts: Sequence[int], source: str = 'BAGSLoss',
               field: str = 'class_counts') -> None:
        """Keep ``counts`` in the buffer; ``source`` / ``field`` name them in errors."""
        values = counts.tolist() if hasattr(counts, 'tolist') else list(counts)
        bad = [v for v in values if not isinstance(v, (int, np.integer)) or isinstance(v, bool)
               or v < 0]
        if len(values) != self.num_classes or bad:
            why = (f'holds {bad[0]!r}, not a non-negative integer' if bad else
                   f'has {len(values)} entries')
            raise field_error(source, field, values, f'{why}; BAGSLoss needs num_classes='
                              f'{self.num_classes} non-negative integer counts')
        counts = torch.as_tensor([int(n) for n in values], dtype=torch.long)
        self.class_counts.copy_(counts)
        self._tables = None

    def _counts_set(self) -> bool:
        return bool((self.class_counts >= 0).all())

    @property
    def has_class_stats(self) -> bool:
        """Whether counts are held (given, pushed or loaded from a checkpoint)."""
        return self._counts_set()

    def set_class_stats(self, stats: ClassStats) -> None:
        """Keep the per-class training instance counts (``SetClassStatsHook``).

        Args:
            stats: per-class training statistics; their counts fill the buffer.
        """
        stats = as_class_stats(stats, type(self).__name__)
        self._store(stats.counts, stats.describe(), 'counts')
        self.class_stats = stats

    @property
    def tables(self) -> GroupTables:
        """Group tables, built from the counts on first use."""
        if self._tables is None:
            if not self._counts_set():
                raise RuntimeError('BAGSLoss: class counts not set; add SetClassStatsHook '
                                   '(class_stats=<LVIS training file>), pass class_counts= or '
                                   'load a BAGS checkpoint')
            self._tables = build_group_tables(self.class_counts.tolist(), self.bins)
        return self._tables

    def _load_from_state_dict(self, *args, **kwargs) -> None:
        super()._load_from_state_dict(*args, **kwargs)
        self._tables = None

    def get_cls_channels(self, num_classes: int) -> int:
        """Width of ``fc_cls``: ``C + K + 2`` (K fg groups, each with an others slot, and
        the 2-way background group)."""
        assert num_classes == self.num_classes, (num_classes, self.num_classes)
        return num_group_channels(num_classes, self.bins)

    def get_activation(self, cls_score: Tensor) -> Tensor:
        """Merged ``(R, C + 1)`` scores, background last: ``p(fg) * p_g(c)``, ``p(bg)``."""
        return merge_group_scores(cls_score, self.tables)

    def get_accuracy(self, cls_score: Tensor, labels: Tensor) -> Dict[str, Tensor]:
        """``acc``: top-1 of the merged scores over ``C + 1`` columns; ``acc_classes``: top-1
        over the foreground columns on foreground RoIs."""
        with torch.no_grad():
            scores = self.get_activation(cls_score)
            pos = labels < self.num_classes
            return dict(acc=accuracy(scores, labels),
                        acc_classes=accuracy(scores[pos, :-1], labels[pos]))

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Group-softmax loss.

        Args:
            cls_score: logits ``(R, C + K + 2)``.
            label: mmdet 3.x labels ``(R,)``, background ``C``.
            weight: per-RoI weights ``(R,)``; zero-weight RoIs are never sampled.
            avg_factor: unused (groups are normalised by their own sampled RoIs).
            reduction_override: ``'none'``, ``'mean'`` or ``'sum'``.

        Returns:
            Tensor: the loss (``(R,)`` for ``'none'``).
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        return self.loss_weight * bags_loss(cls_score, label, self.tables, self.others_ratio,
                                            weight, reduction, self.generator)
