"""Many / medium / few-shot top-1 accuracy for long-tailed classification."""
from typing import Any, Dict, List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric
from torch import Tensor

from ltr_mm.registry import CLS_METRICS, register
from ltr_mm.utils.class_stats import ClassStats, as_class_stats, split_shots
from ltr_mm.utils.class_stats_match import check_stats_match

SHOTS = ('many', 'medium', 'few')


@register(CLS_METRICS)
class ShotAccuracy(BaseMetric):
    """Top-1 accuracy overall and per shot group, the protocol of `OLTR
    <https://arxiv.org/abs/1904.05160>`_ used by LDAM, TDE, RIDE and FCC.

    A class with n training images is many-shot if ``n > many_thr``, medium-shot if
    ``few_thr <= n <= many_thr``, few-shot if ``n < few_thr``. A group's accuracy is the mean
    of its classes' top-1 accuracies; ``top1`` is over all test samples, so on an imbalanced
    test set it differs from ``mean_class_acc``. Classes without test samples are left out of
    every mean; a group with no such class reports ``-1`` (keys are always present). Values
    are percent, like mmpretrain's ``Accuracy``; the prediction is the top-1 of ``pred_score``
    (``pred_label`` without a score), so ``shot/top1`` equals ``accuracy/top1``.

    Keys: ``shot/top1``, ``shot/many``, ``shot/medium``, ``shot/few``, ``shot/mean_class_acc``,
    the group sizes ``shot/{many,medium,few}_classes`` and, with ``per_class=True``,
    ``shot/per_class_acc`` (list, ``-1`` for classes without test samples). The training
    counts arrive through :meth:`set_class_stats` (``SetClassStatsHook`` calls it before
    validation and testing) or ``class_counts``; the thresholds are this metric's arguments
    (those of the statistics are unused). Statistics with class names must name the evaluated
    dataset's classes, in its order.

    Args:
        class_counts (Sequence[int], optional): training images per class. Defaults to None
            (set by :meth:`set_class_stats`).
        num_classes (int, optional): the counts must have this length. Defaults to None.
        many_thr (int): many-shot classes have more images than this. Defaults to 100.
        few_thr (int): few-shot classes have fewer images than this. Defaults to 20.
        per_class (bool): also return ``per_class_acc``. Defaults to False.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering results across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): key prefix. Defaults to None, i.e. ``'shot'``.

    Example:
        >>> from mmpretrain.structures import DataSample
        >>> metric = ShotAccuracy(class_counts=[500, 50, 5])
        >>> metric.process(None, [DataSample().set_gt_label(i).set_pred_label(0)
        ...                       for i in (0, 1, 2)])
        >>> metric.evaluate(3)['shot/many']
        100.0
    """

    default_prefix: Optional[str] = 'shot'

    def __init__(self, class_counts: Optional[Sequence[int]] = None,
                 num_classes: Optional[int] = None, many_thr: int = 100, few_thr: int = 20,
                 per_class: bool = False, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        split_shots([], many=many_thr, few=few_thr)  # ValueError on bad thresholds
        self.num_classes = num_classes
        self.many_thr, self.few_thr = many_thr, few_thr
        self.per_class = per_class
        self.class_stats: Optional[ClassStats] = None
        self.counts: List[int] = []
        self.shots: Dict[str, List[int]] = {}
        if class_counts is not None:
            self.set_class_stats(ClassStats.from_counts(list(class_counts)))

    @property
    def has_class_stats(self) -> bool:
        """Whether the training counts are known."""
        return self.class_stats is not None

    @property
    def source(self) -> str:
        """Where the training counts come from, for messages."""
        stats = self.class_stats
        return f'{stats.describe()} ({stats.num_classes} classes)' if stats else 'no counts'

    def set_class_stats(self, stats: ClassStats) -> None:
        """Take the training statistics and split the classes into shot groups.

        Args:
            stats: per-class training statistics.

        Raises:
            ValueError: if ``num_classes`` was given and the counts have another length.
        """
        stats = as_class_stats(stats, type(self).__name__)
        if self.num_classes is not None and stats.num_classes != self.num_classes:
            raise ValueError(f'ShotAccuracy: {stats.describe()} ({stats.num_classes} classes) '
                             f'does not match num_classes={self.num_classes}')
        self.shots = split_shots(stats.counts, many=self.many_thr, few=self.few_thr)
        self.counts = list(stats.counts)
        self.class_stats = stats

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Keep the top-1 prediction, the label and the score width of every sample.

        Args:
            data_batch: the input batch (unused).
            data_samples: ``DataSample`` objects or dicts with ``gt_label`` and
                ``pred_score`` or ``pred_label``.
        """
        for sample in data_samples:
            score = sample.get('pred_score')
            if score is not None:
                width = int(score.shape[-1])
                pred = int(torch.as_tensor(score).reshape(-1).topk(1)[1])
            else:
                width = None
                pred = self._single(sample.get('pred_label'), 'pred_score or pred_label')
            gt = self._single(sample.get('gt_label'), 'gt_label')
            self.results.append(dict(pred=pred, gt=gt, width=width))

    @staticmethod
    def _single(value: Any, field: str) -> int:
        """One integer label from an int or a one-element tensor."""
        if value is None:
            raise ValueError(f'ShotAccuracy: data sample has no {field}')
        flat = torch.as_tensor(value).reshape(-1)
        if flat.numel() != 1:
            raise ValueError(f'ShotAccuracy: {field} must hold one label, got {flat.tolist()}')
        return int(flat[0])

    def compute_metrics(self, results: List[dict]) -> Dict[str, Any]:
        """Check the collected results against the counts and compute the metrics.

        Args:
            results: what :meth:`process` stored, gathered from every rank.

        Returns:
            dict: metric name (without prefix) to value, see the class docstring.
        """
        if self.class_stats is None:
            raise RuntimeError('ShotAccuracy: training counts not set; add SetClassStatsHook to '
                               'custom_hooks or pass class_counts')
        self._check_dataset_classes()
        num_classes = len(self.counts)
        widths = sorted({r['width'] for r in results if r['width'] is not None})
        if any(w != num_classes for w in widths):
            raise ValueError(f'ShotAccuracy: {self.source} does not match the predictions: '
                             f'pred_score has {widths} classes')
        pred = torch.tensor([r['pred'] for r in results], dtype=torch.long)
        gt = torch.tensor([r['gt'] for r in results], dtype=torch.long)
        for field, labels in (('gt_label', gt), ('pred_label', pred)):
            bad = (labels < 0) | (labels >= num_classes)
            if bad.any():
                raise ValueError(f'ShotAccuracy: {field} {int(labels[bad][0])} is out of '
                                 f'range for {self.source}')
        metrics = self.calculate(pred, gt, self.shots, num_classes)
        per_class_acc = metrics.pop('per_class_acc')
        return dict(metrics, per_class_acc=per_class_acc) if self.per_class else metrics

    def _check_dataset_classes(self) -> None:
        """Statistics with names must name the evaluated dataset's classes, in its order."""
        classes = (self.dataset_meta or {}).get('classes')
        if classes:
            check_stats_match(self.class_stats, 'the evaluated dataset (dataset_meta)',
                              classes=classes)

    @staticmethod
    def calculate(pred: Tensor, target: Tensor, shots: Dict[str, List[int]],
                  num_classes: int) -> Dict[str, Any]:
        """Overall, per-group and per-class top-1 accuracy in percent.

        Args:
            pred (Tensor): predicted labels, shape (N,).
            target (Tensor): ground-truth labels in ``[0, num_classes)``, shape (N,).
            shots (dict): ``{'many': [idx], 'medium': [idx], 'few': [idx]}``.
            num_classes (int): number of classes.

        Returns:
            dict: ``top1``, ``many``, ``medium``, ``few``, ``mean_class_acc``,
            ``<group>_classes`` and ``per_class_acc``; -1 where undefined.
        """
        total = torch.bincount(target, minlength=num_classes).double()
        correct = torch.bincount(target[pred == target], minlength=num_classes).double()
        has_test = total > 0
        acc = torch.where(has_test, correct / total.clamp(min=1) * 100,
                          torch.full_like(total, -1.))

        def mean_acc(indices: List[int]) -> float:
            kept = [i for i in indices if has_test[i]]
            return float(acc[kept].mean()) if kept else -1.0

        metrics = {'top1': float(correct.sum() / len(target) * 100) if len(target) else -1.0}
        metrics.update({name: mean_acc(shots[name]) for name in SHOTS})
        metrics['mean_class_acc'] = mean_acc(list(range(num_classes)))
        metrics.update({f'{name}_classes': len(shots[name]) for name in SHOTS})
        metrics['per_class_acc'] = acc.tolist()
        return metrics
