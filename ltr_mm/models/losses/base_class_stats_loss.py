"""Shared machinery of the ltr_mm losses that depend on class counts (not registered)."""
from abc import ABCMeta, abstractmethod
from typing import Optional, Sequence

import torch
import torch.nn as nn
from torch import Tensor

from ltr_mm.models.functional import as_counts, dense_targets, pad_classes, weight_reduce_loss
from ltr_mm.utils.class_stats import ClassStats, as_class_stats


class BaseClassStatsLoss(nn.Module, metaclass=ABCMeta):
    """Base of the classification losses built from per-class training counts.

    It keeps the statistics it was given (:attr:`class_stats`, a
    :class:`~ltr_mm.utils.class_stats.ClassStats` handed over by :meth:`set_class_stats`, which
    ``SetClassStatsHook`` calls, or built from ``class_counts``) and their counts in a
    ``persistent=False`` buffer, tracks the training epoch given
    by :meth:`set_epoch` (``SetEpochHook``, 1-based) for deferred re-weighting (DRW), and
    implements the loss contract ``forward(cls_score, label, weight, avg_factor,
    reduction_override)`` with ``weight_reduce_loss``.

    Inputs may have ``C`` columns (classification) or ``C + 1`` columns with the background
    last (mmdet ``BBoxHead``; label ``C`` is background). The background column gets the
    neutral statistic of each loss. Labels are hard ``(N,)`` or soft ``(N, C)`` targets.

    Subclasses register their buffers, call :meth:`init_class_stats` at the end of
    ``__init__``, and implement :meth:`update_stats` (derive their buffers from the counts)
    and :meth:`per_sample_loss`.

    Args:
        class_counts (Sequence[int], optional): training samples per class. Defaults to None
            (set later through :meth:`set_class_stats`).
        drw_epoch (int, optional): the class-aware part of the loss is on in epoch ``e``
            (1-based) when ``e > drw_epoch``; before that the loss is plain cross-entropy.
            None keeps it always on. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None,
                 drw_epoch: Optional[int] = None, reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if reduction not in ('none', 'mean', 'sum'):
            raise ValueError(f'{type(self).__name__}: reduction must be none, mean or sum, '
                             f'got {reduction!r}')
        self.drw_epoch = drw_epoch
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.epoch: Optional[int] = None
        self.register_buffer('class_counts', torch.zeros(0), persistent=False)
        self.class_stats: Optional[ClassStats] = None
        self._initial_counts = class_counts

    def init_class_stats(self) -> None:
        """Apply ``class_counts`` given at construction; subclasses call it last in
        ``__init__``, after registering their own buffers."""
        if self._initial_counts is not None:
            self.set_class_stats(ClassStats.from_counts(self._initial_counts))

    @property
    def uses_softmax(self) -> bool:
        """Whether the loss is a softmax over the columns (background label needs a
        column)."""
        return True

    @property
    def num_classes(self) -> int:
        """Number of classes of the current statistics (0 before they are set)."""
        return self.class_counts.numel()

    @property
    def has_class_stats(self) -> bool:
        """Whether :meth:`set_class_stats` has been called."""
        return self.num_classes > 0

    def set_class_stats(self, stats: ClassStats) -> None:
        """Keep the statistics and recompute the derived buffers from their counts.

        Args:
            stats: per-class training statistics (samples or instances per class).
        """
        self.class_stats = as_class_stats(stats, type(self).__name__)
        values = as_counts(self.class_stats.counts)
        self._store('class_counts', values)
        self.update_stats(values)

    def column_stat(self, name: str, num_columns: int, fill: float) -> Tensor:
        """Buffer ``name`` extended with ``fill`` for a background column if needed."""
        return pad_classes(getattr(self, name), num_columns, fill)

    def _store(self, name: str, value: Tensor) -> None:
        """Replace buffer ``name`` by ``value`` on the device of the current buffer."""
        setattr(self, name, value.to(device=self.class_counts.device, dtype=torch.float32))

    @abstractmethod
    def update_stats(self, counts: Tensor) -> None:
        """Derive the loss-specific buffers from ``counts`` (float64, zeros raised to 1)."""

    def set_epoch(self, epoch: int) -> None:
        """Record the 1-based number of the training epoch about to run."""
        self.epoch = int(epoch)

    @property
    def drw_active(self) -> bool:
        """Whether the deferred class-aware part is on (``epoch > drw_epoch``)."""
        if self.drw_epoch is None:
            return True
        if self.epoch is None:
            raise RuntimeError(f'{type(self).__name__}: drw_epoch={self.drw_epoch} needs the '
                               'epoch; add SetEpochHook to custom_hooks or call set_epoch()')
        return self.epoch > self.drw_epoch

    @abstractmethod
    def per_sample_loss(self, cls_score: Tensor, targets: Tensor) -> Tensor:
        """Loss of each sample, shape ``(N,)``.

        Args:
            cls_score (Tensor): logits ``(N, K)``, ``K`` = C or C + 1.
            targets (Tensor): dense targets ``(N, C + 1)``, background last (for ``K = C``
                a background row has zero foreground targets).
        """

    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Compute the loss.

        Args:
            cls_score (Tensor): logits ``(N, C)`` or ``(N, C + 1)`` (background last).
            label (Tensor): hard labels ``(N,)`` or soft targets ``(N, C)``.
            weight (Tensor, optional): per-sample weights ``(N,)``. Defaults to None.
            avg_factor (float, optional): divisor of the summed loss for ``'mean'``.
                Defaults to None.
            reduction_override (str, optional): overrides ``self.reduction``.
                Defaults to None.

        Returns:
            Tensor: the reduced loss (shape ``(N,)`` for ``'none'``).
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override or self.reduction
        if not self.has_class_stats:
            raise RuntimeError(f'{type(self).__name__}: class stats not set; add '
                               'SetClassStatsHook or pass class_counts')
        num_columns = cls_score.size(-1)
        if num_columns not in (self.num_classes, self.num_classes + 1):
            raise ValueError(f'{type(self).__name__}: cls_score has {num_columns} columns but '
                             f'the class stats have {self.num_classes} classes (expected C '
                             'or C + 1 with background last)')
        targets = dense_targets(label, self.num_classes, num_columns, self.uses_softmax)
        loss = self.per_sample_loss(cls_score, targets)
        if weight is not None:
            weight = weight.reshape(-1).to(loss.dtype)
        if loss.numel() == 0 and reduction == 'mean' and avg_factor is None:
            return self.loss_weight * (cls_score.sum() * 0.0)
        return self.loss_weight * weight_reduce_loss(loss, weight, reduction, avg_factor)
