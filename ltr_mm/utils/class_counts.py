"""Per-class training counts read from a built dataset (mmpretrain or mmdet).

The counting behind :meth:`ltr_mm.utils.class_stats.ClassStats.from_dataset`.

``dataset_class_counts`` reads the already-loaded annotation records once, without the deep
copy that ``get_data_info`` makes for every sample of a non-serialized dataset, so it is fast
on LVIS-sized sets. Dataset wrappers are unwrapped (``.dataset``: ``ClassBalancedDataset``,
``RepeatDataset``; ``.datasets``: ``ConcatDataset``, whose parts are summed), so repeat-factor
sampling never inflates the counts.

Count types:

- ``'label'``: images per class from ``gt_label`` (mmpretrain; multi-label lists count each
  label once).
- ``'instance'``: objects per class from ``instances[*]['bbox_label']`` (mmdet), skipping
  instances with ``ignore_flag == 1``.
- ``'image'``: images containing at least one (non-ignored) object of the class (mmdet).
- ``'auto'``: ``'label'`` when the records carry ``gt_label``, else ``'instance'``.
"""
import itertools
from typing import Any, Iterable, Iterator, List, Optional, Tuple

import numpy as np

COUNT_TYPES = ('auto', 'label', 'instance', 'image')


def _base_datasets(dataset: Any) -> List[Any]:
    """The annotated datasets under any number of wrapper layers."""
    if hasattr(dataset, 'datasets') and not hasattr(dataset, 'data_list'):
        return [base for part in dataset.datasets for base in _base_datasets(part)]
    if hasattr(dataset, 'dataset') and not hasattr(dataset, 'data_list'):
        return _base_datasets(dataset.dataset)
    return [dataset]


def _records(dataset: Any) -> Iterator[dict]:
    """Annotation records: ``data_list`` if it is kept, else one ``get_data_info`` at a time
    (serialized datasets), so at most one decoded record is alive at once."""
    if hasattr(dataset, 'full_init') and not getattr(dataset, '_fully_initialized', True):
        dataset.full_init()
    data_list = getattr(dataset, 'data_list', None)
    if data_list is not None and len(data_list) == len(dataset):
        return iter(data_list)
    return (dataset.get_data_info(i) for i in range(len(dataset)))


def _num_classes(dataset: Any, num_classes: Optional[int]) -> int:
    """``num_classes`` if given, else the length of ``metainfo['classes']``."""
    if num_classes is not None:
        return int(num_classes)
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    if not classes:
        raise ValueError(f'{type(dataset).__name__} has no metainfo["classes"]; pass '
                         'num_classes to count its labels')
    return len(classes)


def _labels(values: Iterable[Any]) -> np.ndarray:
    """Flatten int / sequence labels into one int64 array."""
    flat: List[int] = []
    for value in values:
        if isinstance(value, (int, np.integer)):
            flat.append(int(value))
        else:
            flat.extend(int(v) for v in np.asarray(value).reshape(-1))
    return np.asarray(flat, dtype=np.int64)


def _bincount(labels: np.ndarray, num_classes: int, name: str) -> np.ndarray:
    """Counts per class; ValueError naming the dataset on out-of-range labels."""
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f'{name}: labels span [{labels.min()}, {labels.max()}] but the '
                         f'dataset has {num_classes} classes')
    return np.bincount(labels, minlength=num_classes)


def _count_one(dataset: Any, count_type: str, num_classes: int) -> Tuple[np.ndarray, str]:
    """Counts of one unwrapped dataset and the count type used (``'auto'`` resolved)."""
    name = type(dataset).__name__
    records = _records(dataset)
    first = next(records, None)
    if first is None:
        resolved = 'label' if count_type == 'auto' else count_type
        return np.zeros(num_classes, dtype=np.int64), resolved
    records = itertools.chain([first], records)
    if count_type == 'auto':
        count_type = 'label' if 'gt_label' in first else 'instance'
    if count_type == 'label':
        if 'gt_label' not in first:
            raise ValueError(f'{name} records have no gt_label; use count_type="instance" '
                             'or "image" for detection datasets')
        return _bincount(_labels(r['gt_label'] for r in records), num_classes, name), 'label'
    flat: List[int] = []
    unique = count_type == 'image'
    for record in records:
        labels = [inst['bbox_label'] for inst in record.get('instances', ())
                  if not inst.get('ignore_flag', 0)]
        flat.extend(set(labels) if unique else labels)
    flat = np.asarray(flat, dtype=np.int64)
    return _bincount(flat, num_classes, name), count_type


def count_dataset(dataset: Any, count_type: str = 'auto',
                  num_classes: Optional[int] = None) -> Tuple[List[int], str]:
    """Count the training samples of each class of a (possibly wrapped) dataset.

    Args:
        dataset: an mmengine ``BaseDataset`` (mmpretrain or mmdet), possibly wrapped.
        count_type: ``'auto'``, ``'label'``, ``'instance'`` or ``'image'`` (see the module
            docstring). Defaults to ``'auto'``.
        num_classes: number of classes. Defaults to None (``len(metainfo['classes'])``).

    Returns:
        tuple: one count per class (list of int) and the count type used (``'auto'``
        resolved).

    Raises:
        ValueError: on an unknown ``count_type``, missing class names, labels out of range,
            or parts of a concatenated dataset with different class numbers.
    """
    if count_type not in COUNT_TYPES:
        raise ValueError(f'count_type must be one of {COUNT_TYPES}, got {count_type!r}')
    total: Optional[np.ndarray] = None
    resolved = count_type
    for base in _base_datasets(dataset):
        counts, resolved = _count_one(base, count_type, _num_classes(base, num_classes))
        if total is not None and total.shape != counts.shape:
            raise ValueError(f'{type(dataset).__name__}: parts have {total.size} and '
                             f'{counts.size} classes')
        total = counts if total is None else total + counts
    return [int(n) for n in total], resolved


def dataset_classes(dataset: Any) -> Tuple[str, ...]:
    """Class names of the first annotated dataset under the wrappers, or ``()``."""
    base = _base_datasets(dataset)[0]
    classes = (getattr(base, 'metainfo', None) or {}).get('classes') or ()
    return tuple(str(c) for c in classes)



def dataset_class_counts(dataset: Any, count_type: str = 'auto',
                         num_classes: Optional[int] = None) -> List[int]:
    """The counts of :func:`count_dataset` alone (same arguments and errors)."""
    return count_dataset(dataset, count_type, num_classes)[0]
