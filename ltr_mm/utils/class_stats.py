"""Per-class training counts and the many / medium / few split, as plain data.

Pure Python and numpy, no OpenMMLab import, so data tools can use it without the framework.
A class is *many-shot* if it has more than ``many`` training images, *few-shot* if it has
fewer than ``few`` and *medium-shot* otherwise (exactly ``many`` and exactly ``few`` are
medium), the rule of the long-tailed classification literature (thresholds 100 and 20).

A class-stats JSON file holds::

    {"num_classes": 3, "classes": ["a", "b", "c"], "counts": [500, 100, 3], "total": 603,
     "thresholds": {"many": 100, "few": 20},
     "shots": {"many": [0], "medium": [1], "few": [2]}}

:class:`ClassStats` is the one value in which per-class statistics travel through ltr_mm:
``SetClassStatsHook`` builds it (from a file, a long-tail profile or the training dataset) and
hands the same object to every model module and evaluator metric with ``set_class_stats``.

Usage::

    counts = counts_from_labels(labels, num_classes=3)
    write_class_stats('data/x/class_stats.json', classes, counts)
    stats = load_class_stats('data/x/class_stats.json')   # validated, ValueError if bad
    counts = long_tailed_counts(5000, 100, 10)   # the CIFAR-LT profile, [5000, ..., 50]
    stats = ClassStats.from_file('data/x/class_stats.json')
    stats = ClassStats.from_profile(n_max=500, imb_factor=100, num_classes=100)
    stats = ClassStats.from_dataset(runner.train_dataloader.dataset, kind='auto')
"""
import json
import math
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

PathLike = Union[str, Path]

_REPR = reprlib.Repr()
_REPR.maxlist = 8
_REPR.maxstring = 60


def _is_count(value: Any) -> bool:
    """Whether ``value`` is a non-negative integer (``bool`` excluded)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 0


def _check_thresholds(many: Any, few: Any) -> None:
    """Raise ValueError unless ``0 <= few <= many`` are integers."""
    if not (_is_count(many) and _is_count(few)) or few > many:
        raise ValueError(f'thresholds need integers 0 <= few <= many, got many={many!r}, '
                         f'few={few!r}')


def _check_counts(counts: Sequence[Any]) -> List[int]:
    """Return ``counts`` as a list of int; ValueError naming the first bad entry."""
    for i, n in enumerate(counts):
        if not _is_count(n):
            raise ValueError(f'counts[{i}] = {n!r} is not a non-negative integer')
    return [int(n) for n in counts]


def split_shots(counts: Sequence[int], many: int = 100, few: int = 20) -> Dict[str, List[int]]:
    """Split class indices into many / medium / few-shot groups.

    Args:
        counts: number of training images of each class.
        many: a class with more than ``many`` images is many-shot. Defaults to 100.
        few: a class with fewer than ``few`` images is few-shot. Defaults to 20.

    Returns:
        dict: ``{'many': [...], 'medium': [...], 'few': [...]}`` with ascending class indices;
        ``few <= n <= many`` is medium.

    Raises:
        ValueError: if a count is negative or not an integer, or ``few > many``.
    """
    _check_thresholds(many, few)
    counts = _check_counts(counts)
    return {
        'many': [i for i, n in enumerate(counts) if n > many],
        'medium': [i for i, n in enumerate(counts) if few <= n <= many],
        'few': [i for i, n in enumerate(counts) if n < few],
    }


def class_stats_dict(classes: Sequence[str], counts: Sequence[int], many: int = 100,
                     few: int = 20) -> Dict[str, Any]:
    """Build the class-stats record written by :func:`write_class_stats`.

    Args:
        classes: class names, index-aligned with ``counts``.
        counts: number of training images of each class.
        many: many-shot threshold (``n > many``). Defaults to 100.
        few: few-shot threshold (``n < few``). Defaults to 20.

    Returns:
        dict: keys ``num_classes``, ``classes``, ``counts``, ``total``, ``thresholds`` and
        ``shots`` (see :func:`split_shots`).

    Raises:
        ValueError: if the lengths differ, a name is not a string or a count is invalid.
    """
    if len(classes) != len(counts):
        raise ValueError(f'{len(classes)} classes but {len(counts)} counts')
    for i, name in enumerate(classes):
        if not isinstance(name, str):
            raise ValueError(f'classes[{i}] = {name!r} is not a string')
    counts = _check_counts(counts)
    return {
        'num_classes': len(counts),
        'classes': list(classes),
        'counts': counts,
        'total': sum(counts),
        'thresholds': {'many': int(many), 'few': int(few)},
        'shots': split_shots(counts, many, few),
    }


def write_class_stats(path: PathLike, classes: Sequence[str], counts: Sequence[int],
                      many: int = 100, few: int = 20) -> Dict[str, Any]:
    """Write a class-stats JSON file (parent folders are created).

    Args:
        path: output file.
        classes: class names.
        counts: number of training images of each class.
        many: many-shot threshold. Defaults to 100.
        few: few-shot threshold. Defaults to 20.

    Returns:
        dict: the record that was written.
    """
    stats = class_stats_dict(classes, counts, many, few)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stats, indent=2) + '\n', encoding='utf-8')
    return stats


def _bad(path: PathLike, field: str, value: Any, why: str) -> ValueError:
    """Error naming the file, the field and the offending value."""
    return ValueError(f'{path}: field {field!r} = {_REPR.repr(value)} {why}')


def _validate(path: PathLike, raw: Any) -> Dict[str, Any]:
    """Check a decoded class-stats record; return it rebuilt by :func:`class_stats_dict`."""
    if not isinstance(raw, dict):
        raise _bad(path, '<root>', raw, 'is not a JSON object')
    for name in ('num_classes', 'classes', 'counts'):
        if name not in raw:
            raise _bad(path, name, None, 'is missing')
    num, classes, counts = raw['num_classes'], raw['classes'], raw['counts']
    if not _is_count(num):
        raise _bad(path, 'num_classes', num, 'is not a non-negative integer')
    for key, seq in (('classes', classes), ('counts', counts)):
        if not isinstance(seq, list) or len(seq) != num:
            raise _bad(path, key, seq, f'is not a list of num_classes={num} entries')
    for i, name in enumerate(classes):
        if not isinstance(name, str):
            raise _bad(path, f'classes[{i}]', name, 'is not a string')
    for i, n in enumerate(counts):
        if not _is_count(n):
            raise _bad(path, f'counts[{i}]', n, 'is not a non-negative integer')
    thr = raw.get('thresholds', {'many': 100, 'few': 20})
    if not isinstance(thr, dict) or set(thr) != {'many', 'few'}:
        raise _bad(path, 'thresholds', thr, 'is not {"many": int, "few": int}')
    try:
        _check_thresholds(thr['many'], thr['few'])
    except ValueError as err:
        raise _bad(path, 'thresholds', thr, f'is invalid ({err})') from None
    stats = class_stats_dict(classes, counts, thr['many'], thr['few'])
    for key in ('total', 'shots'):
        if key in raw and raw[key] != stats[key]:
            raise _bad(path, key, raw[key], f'disagrees with counts ({stats[key]!r})')
    return stats


def load_class_stats(path: PathLike) -> Dict[str, Any]:
    """Read and validate a class-stats JSON file.

    ``thresholds`` may be absent (100 / 20 are used); ``total`` and ``shots`` are optional
    but must agree with ``counts`` when present.

    Args:
        path: file written by :func:`write_class_stats` (or by hand).

    Returns:
        dict: the record as :func:`class_stats_dict` builds it.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if the file is not valid JSON or a field is missing or invalid; the
            message names the file, the field and the value.
    """
    text = Path(path).read_text(encoding='utf-8')
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f'{path}: not valid JSON ({err})') from None
    return _validate(path, raw)


def counts_from_labels(labels: Sequence[int], num_classes: int) -> List[int]:
    """Count how many samples carry each label.

    Args:
        labels: integer labels in ``[0, num_classes)``.
        num_classes: number of classes.

    Returns:
        list[int]: ``num_classes`` counts.

    Raises:
        ValueError: if a label is not an integer in ``[0, num_classes)``.
    """
    arr = np.asarray(labels)
    if arr.size == 0:
        return [0] * int(num_classes)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f'labels must be a 1-D sequence of integers, got {_REPR.repr(labels)}')
    bad = (arr < 0) | (arr >= num_classes)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f'labels[{i}] = {int(arr[i])} is outside [0, {num_classes})')
    return [int(n) for n in np.bincount(arr, minlength=num_classes)]


def long_tailed_counts(n_max: int, imb_factor: float, num_classes: int) -> List[int]:
    """Per-class counts ``floor(n_max * (1 / imb_factor) ** (i / (num_classes - 1)))``.

    Values within 1e-9 of an integer are rounded to it, so floating-point error never drops an
    exact count by one.

    Args:
        n_max: images of the head class 0 (>= 1).
        imb_factor: ratio between the head and the tail count (>= 1).
        num_classes: number of classes (>= 2).

    Returns:
        list[int]: non-increasing per-class counts.
    """
    if imb_factor < 1 or num_classes < 2 or n_max < 1:
        raise ValueError(f'need imb_factor >= 1, num_classes >= 2, n_max >= 1; got '
                         f'{imb_factor}, {num_classes}, {n_max}')
    counts = []
    for i in range(num_classes):
        value = n_max * (1.0 / imb_factor)**(i / (num_classes - 1))
        nearest = round(value)
        counts.append(int(nearest if abs(value - nearest) < 1e-9 else math.floor(value)))
    return counts


#: What a count counts: images per label (classification), objects per class, or images that
#: contain the class (detection).
KINDS = ('label', 'instance', 'image')


@dataclass(frozen=True)
class ClassStats:
    """Per-class training statistics: counts, class names, what is counted and the shot split.

    A frozen value: consumers keep the object they are given (``set_class_stats(stats)``)
    and never change it, so one object can serve every consumer of a run.

    Args:
        counts: training count of each class (lists, numpy arrays and tensors are turned
            into a tuple of int).
        classes: class names, index-aligned with ``counts``, or ``()`` when unknown.
            Defaults to ``()``.
        kind: ``'label'`` (images per label), ``'instance'`` (objects per class) or
            ``'image'`` (images containing the class). Defaults to ``'label'``.
        many: many-shot threshold, ``n > many``. Defaults to 100.
        few: few-shot threshold, ``n < few``. Defaults to 20.
        source: where the statistics come from (a file's path, ``'dataset <type>'``, ...),
            named in error messages; not compared. Defaults to ``''``.

    Raises:
        ValueError: on a negative or non-integer count, names of another length, an unknown
            ``kind`` or thresholds that are not ``0 <= few <= many``.
    """

    counts: Tuple[int, ...]
    classes: Tuple[str, ...] = ()
    kind: str = 'label'
    many: int = 100
    few: int = 20
    source: str = field(default='', compare=False)

    def __post_init__(self) -> None:
        raw = self.counts.tolist() if hasattr(self.counts, 'tolist') else self.counts
        try:
            counts = tuple(_check_counts([int(n) if isinstance(n, float) and n.is_integer()
                                          else n for n in raw]))
        except ValueError as err:
            raise ValueError(f'ClassStats{self._where()}: {err}') from None
        classes = tuple(self.classes)
        if classes and len(classes) != len(counts):
            raise ValueError(f'ClassStats{self._where()}: {len(classes)} class names for '
                             f'{len(counts)} counts')
        for i, name in enumerate(classes):
            if not isinstance(name, str):
                raise ValueError(f'ClassStats{self._where()}: classes[{i}] = {name!r} is not '
                                 'a string')
        if self.kind not in KINDS:
            raise ValueError(f'ClassStats{self._where()}: kind must be one of {KINDS}, got '
                             f'{self.kind!r}')
        _check_thresholds(self.many, self.few)
        object.__setattr__(self, 'counts', counts)
        object.__setattr__(self, 'classes', classes)
        object.__setattr__(self, 'many', int(self.many))
        object.__setattr__(self, 'few', int(self.few))

    def _where(self) -> str:
        return f' ({self.source})' if self.source else ''

    @property
    def num_classes(self) -> int:
        """Number of classes."""
        return len(self.counts)

    def shots(self) -> Dict[str, List[int]]:
        """Class indices of the many / medium / few-shot groups (see :func:`split_shots`)."""
        return split_shots(self.counts, self.many, self.few)

    def describe(self) -> str:
        """``source`` if known, else a short description, for messages."""
        return self.source or f'ClassStats({self.num_classes} {self.kind} counts)'

    @classmethod
    def from_counts(cls, counts: Sequence[int], source: str = 'class_counts',
                    **kwargs: Any) -> 'ClassStats':
        """Statistics from plain counts (the ``class_counts=`` argument of consumers).

        Args:
            counts: training count of each class.
            source: named in messages. Defaults to ``'class_counts'``.
            **kwargs: ``classes``, ``kind``, ``many``, ``few``.
        """
        return cls(counts=counts, source=source, **kwargs)

    @classmethod
    def from_file(cls, path: PathLike) -> 'ClassStats':
        """Read a class-stats JSON file, or an LVIS / COCO-format annotation file.

        A class-stats file (see the module docstring) is validated by
        :func:`load_class_stats`, with errors naming the file, the field and the value; its
        ``thresholds`` become ``many`` / ``few``. A file whose top-level object has a
        ``categories`` list is an annotation file: its per-category instance counts
        (``instance_count`` when every category has it, else counted annotations) in
        category-id order, ``kind='instance'``, with the category names as ``classes``.

        Args:
            path: the file.

        Returns:
            ClassStats: with ``source`` the path.
        """
        from ltr_mm.utils.json_section import read_json_section
        if isinstance(read_json_section(str(path), 'categories'), list):
            from ltr_mm.datasets.lvis_counts import instance_counts_from_lvis
            counts, names = instance_counts_from_lvis(str(path), with_names=True)
            return cls(counts=counts, classes=names, kind='instance', source=str(path))
        record = load_class_stats(path)
        return cls(counts=record['counts'], classes=record['classes'], kind='label',
                   many=record['thresholds']['many'], few=record['thresholds']['few'],
                   source=str(path))

    @classmethod
    def from_profile(cls, n_max: int, imb_factor: float, num_classes: int,
                     classes: Optional[Sequence[str]] = None, kind: str = 'label',
                     many: int = 100, few: int = 20) -> 'ClassStats':
        """The long-tail profile of Cao et al. (:func:`long_tailed_counts`).

        Args:
            n_max: count of the head class 0.
            imb_factor: head count / tail count.
            num_classes: number of classes.
            classes: class names. Defaults to None (unknown).
            kind: what is counted. Defaults to ``'label'``.
            many: many-shot threshold. Defaults to 100.
            few: few-shot threshold. Defaults to 20.
        """
        counts = long_tailed_counts(n_max, imb_factor, num_classes)
        return cls(counts=counts, classes=tuple(classes or ()), kind=kind, many=many, few=few,
                   source=f'profile n_max={n_max}, imb_factor={imb_factor}, '
                   f'num_classes={num_classes}')

    @classmethod
    def from_dataset(cls, dataset: Any, kind: str = 'auto', many: int = 100,
                     few: int = 20) -> 'ClassStats':
        """Count the training samples of a built (possibly wrapped) dataset.

        Wrappers (``ClassBalancedDataset``, ``RepeatDataset``, ``ConcatDataset``) are
        unwrapped, so repeat-factor sampling never inflates the counts; see
        :mod:`ltr_mm.utils.class_counts` for what each ``kind`` counts.

        Args:
            dataset: an mmengine ``BaseDataset`` (mmpretrain or mmdet), possibly wrapped.
            kind: ``'auto'`` (``'label'`` when the records carry ``gt_label``, else
                ``'instance'``), ``'label'``, ``'instance'`` or ``'image'``.
                Defaults to ``'auto'``.
            many: many-shot threshold. Defaults to 100.
            few: few-shot threshold. Defaults to 20.
        """
        from ltr_mm.utils.class_counts import count_dataset, dataset_classes
        counts, kind = count_dataset(dataset, kind)
        classes = dataset_classes(dataset)
        if len(classes) != len(counts):
            classes = ()
        return cls(counts=counts, classes=classes, kind=kind, many=many, few=few,
                   source=f'dataset {type(dataset).__name__}')

    @classmethod
    def from_label_list(cls, path: PathLike, num_classes: Optional[int] = None) -> 'ClassStats':
        """Count the labels of a ``<path> <label>`` list (ImageNet-LT style).

        Blank lines are skipped.

        Args:
            path: the list file.
            num_classes: number of classes; labels must lie below it. Defaults to None
                (largest label + 1).

        Raises:
            ValueError: naming the file and the line, on a line without an integer label in
                range, or when the list has no labelled line.
        """
        labels = []
        text = Path(path).read_text(encoding='utf-8')
        for lineno, line in enumerate(text.splitlines(), 1):
            parts = line.rsplit(maxsplit=1)
            label = int(parts[1]) if len(parts) == 2 and parts[1].isdecimal() else -1
            if parts and not 0 <= label < (num_classes or label + 1):
                raise ValueError(f"{path}: line {lineno}: expected '<path> <label>', label in "
                                 f"[0, {num_classes or 'inf'}), got {line!r}")
            labels += [label] if parts else []
        if not labels:
            raise ValueError(f'{path}: no labelled lines')
        counts = counts_from_labels(labels, num_classes or max(labels) + 1)
        return cls(counts=counts, kind='label', source=f'label list {path}')


def as_class_stats(stats: Any, consumer: str) -> ClassStats:
    """``stats`` if it is a :class:`ClassStats`, else a ``TypeError`` naming ``consumer``.

    Every ``set_class_stats`` takes a :class:`ClassStats`; plain counts go to a consumer's
    ``class_counts=`` argument.
    """
    if not isinstance(stats, ClassStats):
        raise TypeError(f'{consumer}.set_class_stats takes a ClassStats '
                        f'(ltr_mm.utils.class_stats), got {type(stats).__name__}; pass plain '
                        'counts as class_counts= or wrap them with ClassStats.from_counts')
    return stats
