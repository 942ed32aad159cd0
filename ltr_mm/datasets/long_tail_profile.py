"""The long-tailed subsampling profile of Cao et al. (LDAM) and a label-checking mixin.

Class ``i`` (0-based, ``C`` classes) keeps ``n_i = floor(n_max * (1 / IF) ** (i / (C - 1)))``
images: the first ``n_i`` of a random permutation of that class's indices, drawn class by class
(in class order) from one ``numpy.random.RandomState(seed)``, which gives the same stream as the
``np.random.seed(0)`` + ``np.random.shuffle`` of the published CIFAR-LT code. The counts
come from :func:`ltr_mm.utils.class_stats.long_tailed_counts`.
"""
from typing import List, Optional, Sequence

import numpy as np

from .validation.data_list import check_not_empty


def pick_long_tailed(labels: Sequence[int], counts: Sequence[int], seed: int = 0) -> np.ndarray:
    """Indices kept by the profile: per class, the first ``counts[c]`` of a seeded permutation.

    Args:
        labels: label of every image of the balanced split.
        counts: images to keep per class.
        seed: seed of the ``numpy.random.RandomState``. Defaults to 0.

    Returns:
        np.ndarray: kept indices (int64), class 0 first, each class in permutation order.
    """
    labels = np.asarray(labels)
    rng = np.random.RandomState(seed)
    picked = []
    for cls, n in enumerate(counts):
        idx = np.where(labels == cls)[0]
        if n > len(idx):
            raise ValueError(f'class {cls} has {len(idx)} images, the profile asks for {n}')
        rng.shuffle(idx)
        picked.append(idx[:n])
    return np.concatenate(picked).astype(np.int64) if picked else np.zeros(0, np.int64)


class CheckedLabelsMixin:
    """Checks the ``gt_label`` entries of an mmpretrain dataset's data list when it is loaded.

    Per-class counts are not kept on the dataset: they are computed where they are used, by
    ``ltr_mm.utils.class_stats.ClassStats.from_dataset`` (``SetClassStatsHook``).
    """

    #: number of classes when the metainfo carries no class names.
    NUM_CLASSES: Optional[int] = None

    def _check_labels(self, data_list: List[dict]) -> None:
        """Raise ``ValueError`` on an empty list (naming the file) or a label out of range."""
        check_not_empty(data_list, self.ann_file or self.data_root, type(self).__name__,
                        self.test_mode)
        classes = self._metainfo.get('classes')
        num = len(classes) if classes else self.NUM_CLASSES
        labels = np.array([int(info['gt_label']) for info in data_list], dtype=np.int64)
        if num is not None and len(labels) and (labels.min() < 0 or labels.max() >= num):
            raise ValueError(f'{type(self).__name__}: labels must lie in [0, {num}), got '
                             f'{labels.min()}..{labels.max()}')
