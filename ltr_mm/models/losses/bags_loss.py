"""BAGS: Balanced Group Softmax as an mmdet classification loss that owns the logit layout."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmdet.models.losses import accuracy
from mmengine.logging import print_log
from torch import Tensor, nn

from ltr_mm.models.functional.group_softmax import (DEFAULT_BINS, GroupTables, bags_loss,
                                                    build_group_tables, check_bins,
                                                    merge_group_scores, num_group_channels)
from ltr_mm.datasets.lvis_counts import instance_counts_from_lvis
from ltr_mm.registry import DET_MODELS, register
from ltr_mm.utils.bad_input import field_error

__all__ = ['BAGSLoss', 'instance_counts_from_lvis']


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

    Class counts, in this order of priority: ``class_counts``; ``ann_file``
    (read on first use); a loaded BAGS checkpoint (buffer ``class_counts``);
    :meth:`set_class_stats` (``SetClassStatsHook``), used only when none of the others is set.

    Args:
        num_classes: number of foreground classes ``C``.
        ann_file: LVIS-format training annotation file giving the per-class instance counts
            (``instance_count`` or counted annotations, category-id order). Defaults to None.
        class_counts: per-class training instance counts. Defaults to None.
        bins: instance-count group edges. Defaults to ``(10, 100, 1000)``.
        others_ratio: "others" sampled per positive of a group (beta). Defaults to 8.0.
        seed: seed of a private torch generator for the others draw; None uses torch's global
            generator (seeded by the runner). Defaults to None.
        reduction: ``'mean'`` (per-group mean, summed: the paper), ``'sum'`` or ``'none'``.
            ``avg_factor`` is not used: each group has its own normaliser. Defaults to 'mean'.
        loss_weight: loss weight. Defaults to 1.0.
    """

    class_stats_type = 'instance'

    def __init__(self, num_classes: int, ann_file: Optional[str] = None,
                 class_counts: Optional[Sequence[int]] = None,
                 bins: Sequence[float] = DEFAULT_BINS, others_ratio: float = 8.0,
                 seed: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        assert reduction in ('none', 'mean', 'sum')
        self.num_classes = num_classes
        self.ann_file = ann_file
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
        self._configured = class_counts is not None or ann_file is not None
        if class_counts is not None:
            self._store(class_counts)

    def _store(self, counts: Sequence[int], source: str = 'BAGSLoss',
               field: str = 'class_counts') -> None:
        """Keep ``counts``; ``source`` / ``field`` say where they come from in errors."""
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
        """Whether counts are held (configured, loaded from a checkpoint or pushed)."""
        return self._counts_set()

    def set_class_stats(self, counts: Sequence[int]) -> None:
        """Take per-class training instance counts from the dataset (``SetClassStatsHook``).

        Ignored, with a warning if they differ, when ``class_counts`` or ``ann_file`` is
        configured: the config is the explicit source.
        """
        if self._configured:
            own = self.tables.group_labels
            if build_group_tables(counts, self.bins).group_labels != own:
                print_log('BAGSLoss: counts from set_class_stats give other groups than '
                          'the configured ones; keeping the configured groups',
                          logger='current', level=30)
            return
        self._store(counts, field='set_class_stats(counts)')

    @property
    def tables(self) -> GroupTables:
        """Group tables, built from the counts on first use."""
        if self._tables is None:
            if not self._counts_set():
                if self.ann_file is None:
                    raise RuntimeError('BAGSLoss: class counts not set; pass ann_file= or '
                                       'class_counts=, add SetClassStatsHook or load a BAGS '
                                       'checkpoint')
                self._store(instance_counts_from_lvis(self.ann_file), self.ann_file,
                            'categories')
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
