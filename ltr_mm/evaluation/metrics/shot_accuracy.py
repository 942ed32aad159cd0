"""Many / medium / few-shot top-1 accuracy for long-tailed classification."""
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.evaluator import BaseMetric
from mmengine.fileio import get_text
from torch import Tensor

from ltr_mm.registry import CLS_METRICS, register
from ltr_mm.utils.class_stats import counts_from_labels, load_class_stats, split_shots
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
    ``shot/per_class_acc`` (list, ``-1`` for classes without test samples). Training counts
    come from exactly one of ``class_stats``, ``train_ann_file``, ``class_counts``; the
    thresholds are this metric's arguments (a class-stats file's ``thresholds`` are unused).

    Args:
        class_stats (str, optional): class-stats JSON file (``ltr_mm.utils.class_stats``).
            Defaults to None.
        train_ann_file (str, optional): training list, one ``<path> <label>`` per line
            (ImageNet-LT style); blank lines are skipped. Defaults to None.
        class_counts (Sequence[int], optional): training images per class. Defaults to None.
        num_classes (int, optional): the counts must have this length; sizes the counts of
            ``train_ann_file`` (else largest label + 1). Defaults to None.
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

    def __init__(self, class_stats: Optional[str] = None, train_ann_file: Optional[str] = None,
                 class_counts: Optional[Sequence[int]] = None,
                 num_classes: Optional[int] = None, many_thr: int = 100, few_thr: int = 20,
                 per_class: bool = False, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.counts, self.source = self._load_counts(class_stats, train_ann_file,
                                                     class_counts, num_classes)
        self.class_stats = class_stats
        try:
            self.shots = split_shots(self.counts, many=many_thr, few=few_thr)
        except ValueError as err:
            raise ValueError(f'ShotAccuracy: {self.source}: {err}') from None
        self.counts = [int(n) for n in self.counts]
        self.per_class = per_class

    @staticmethod
    def _load_counts(class_stats: Optional[str], train_ann_file: Optional[str],
                     class_counts: Optional[Sequence[int]],
                     num_classes: Optional[int]) -> Tuple[List[int], str]:
        """Read the training counts; return them and a description of their source."""
        sources = (('class_stats', class_stats), ('train_ann_file', train_ann_file),
                   ('class_counts', class_counts))
        given = [name for name, value in sources if value is not None]
        if len(given) != 1:
            raise ValueError('ShotAccuracy needs exactly one of class_stats, train_ann_file '
                             f'or class_counts; got {given or "none"}')
        if class_stats is not None:
            counts = load_class_stats(class_stats)['counts']
            source = f"class_stats file '{class_stats}' (num_classes={len(counts)})"
        elif train_ann_file is not None:
            counts = ShotAccuracy._counts_from_list(train_ann_file, num_classes)
            source = f"train_ann_file '{train_ann_file}' ({len(counts)} classes)"
        else:
            counts = list(class_counts)
            source = f'class_counts ({len(counts)} classes)'
        if num_classes is not None and len(counts) != num_classes:
            raise ValueError(f'ShotAccuracy: {source} does not match num_classes={num_classes}')
        return counts, source

    @staticmethod
    def _counts_from_list(path: str, num_classes: Optional[int]) -> List[int]:
        """Count labels of a ``<path> <label>`` list; ValueError naming file and line."""
        labels = []
        for lineno, line in enumerate(get_text(path).splitlines(), 1):
            parts = line.rsplit(maxsplit=1)
            label = int(parts[1]) if len(parts) == 2 and parts[1].isdecimal() else -1
            if parts and not 0 <= label < (num_classes or label + 1):
                raise ValueError(f"ShotAccuracy: train_ann_file '{path}' line {lineno}: expected "
                                 f"'<path> <label>', label in [0, {num_classes or 'inf'}), "
                                 f'got {line!r}')
            labels += [label] if parts else []
        if not labels:
            raise ValueError(f"ShotAccuracy: train_ann_file '{path}' has no labelled lines")
        return counts_from_labels(labels, num_classes or max(labels) + 1)

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
        """A class-stats file must name the evaluated dataset's classes, in its order."""
        classes = (self.dataset_meta or {}).get('classes')
        if self.class_stats is not None and classes:
            check_stats_match(load_class_stats(self.class_stats), self.class_stats,
                              'the evaluated dataset (dataset_meta)', classes=classes)

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
