"""The long-tailed subsampling profile of Cao et al. (LDAM) and a counts mixin.

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


class ClassCountsMixin:
    """Adds :meth:`get_class_counts` to an mmpretrain dataset with ``gt_label`` entries.

    The counts are also written to ``metainfo['class_counts']`` when the data list is loaded
    (see :meth:`_store_class_counts`), so tools can read them without the dataset class.
    """

    #: number of classes when the metainfo carries no class names.
    NUM_CLASSES: Optional[int] = None

    def _num_classes(self) -> int:
        """Number of classes: the class names if known, else :attr:`NUM_CLASSES`, else max+1."""
        classes = self.metainfo.get('classes')
        if classes:
            return len(classes)
        if self.NUM_CLASSES is not None:
            return self.NUM_CLASSES
        labels = [int(info['gt_label']) for info in self.data_list]
        return max(labels) + 1 if labels else 0

    def _store_class_counts(self, data_list: List[dict]) -> None:
        """Count ``gt_label`` over ``data_list`` into ``metainfo['class_counts']``.

        An empty list raises ``ValueError`` naming the file.
        """
        check_not_empty(data_list, self.ann_file or self.data_root, type(self).__name__,
                        self.test_mode)
        classes = self._metainfo.get('classes')
        num = len(classes) if classes else self.NUM_CLASSES
        labels = np.array([int(info['gt_label']) for info in data_list], dtype=np.int64)
        if num is None:
            num = int(labels.max()) + 1 if len(labels) else 0
        if len(labels) and (labels.min() < 0 or labels.max() >= num):
            raise ValueError(f'{type(self).__name__}: labels must lie in [0, {num}), got '
                             f'{labels.min()}..{labels.max()}')
        self._metainfo['class_counts'] = np.bincount(labels, minlength=num).tolist()

    def get_class_counts(self) -> List[int]:
        """Number of images of each class in this split.

        Returns:
            list[int]: one count per class (index = label).
        """
        if not self._fully_initialized:
            self.full_init()
        return list(self._metainfo['class_counts'])
