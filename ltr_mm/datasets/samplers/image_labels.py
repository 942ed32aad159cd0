"""Per-image class labels of a classification or detection dataset, read cheaply."""
from typing import Any, List, Optional, Sequence

import numpy as np


def _labels_of_info(info: dict) -> Optional[List[int]]:
    """Labels of one data-info dict: ``gt_label`` (mmpretrain) or instance ``bbox_label``."""
    if 'gt_label' in info:
        return sorted({int(x) for x in np.atleast_1d(info['gt_label'])})
    if 'instances' in info:
        return sorted({int(inst['bbox_label']) for inst in info['instances']})
    return None


def image_labels(dataset: Any) -> List[List[int]]:
    """Sorted distinct labels of every image of ``dataset``.

    Reads, in order of preference: mmpretrain's ``get_gt_labels()``; the ``gt_label`` /
    ``instances[*]['bbox_label']`` entries of ``dataset.data_list`` (no deep copy, unlike
    mmdet's ``get_cat_ids``); ``get_data_info(i)`` when the data list is serialised; and
    ``get_cat_ids(i)`` for dataset wrappers. Lazily initialised datasets are initialised.

    Args:
        dataset: an mmengine ``BaseDataset`` (mmpretrain or mmdet) or a dataset wrapper.

    Returns:
        list[list[int]]: one (possibly empty) list of labels per image.
    """
    if hasattr(dataset, 'full_init'):
        dataset.full_init()
    if hasattr(dataset, 'get_gt_labels'):
        try:
            return [sorted({int(x) for x in np.atleast_1d(lab)})
                    for lab in dataset.get_gt_labels()]
        except (KeyError, TypeError):
            pass
    data_list = getattr(dataset, 'data_list', None)
    if data_list and len(data_list) == len(dataset):
        labels = [_labels_of_info(info) for info in data_list]
        if all(lab is not None for lab in labels):
            return labels
    if hasattr(dataset, 'get_data_info') and not hasattr(dataset, 'datasets') \
            and not hasattr(dataset, 'dataset'):
        labels = [_labels_of_info(dataset.get_data_info(i)) for i in range(len(dataset))]
        if all(lab is not None for lab in labels):
            return labels
    return [sorted({int(c) for c in dataset.get_cat_ids(i)}) for i in range(len(dataset))]


def num_classes_of(dataset: Any, labels: Sequence[Sequence[int]]) -> int:
    """Number of classes: ``len(metainfo['classes'])`` if present, else the largest label + 1.

    Args:
        dataset: the dataset (its ``metainfo`` is read if it has one).
        labels: per-image labels from :func:`image_labels`.

    Returns:
        int: number of classes.
    """
    classes = getattr(dataset, 'metainfo', {}).get('classes')
    largest = max((max(lab) for lab in labels if lab), default=-1)
    if classes:
        if largest >= len(classes):
            raise ValueError(f'label {largest} out of range for {len(classes)} classes')
        return len(classes)
    return largest + 1
