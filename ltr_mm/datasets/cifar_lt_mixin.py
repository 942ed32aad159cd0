"""Shared loading for :class:`CIFAR10LT` and :class:`CIFAR100LT` (Cao et al. protocol)."""
import os.path as osp
import pickle
from typing import Any, List, Optional

import numpy as np

from ltr_mm.utils.class_stats import long_tailed_counts

from .long_tail_profile import CheckedLabelsMixin, pick_long_tailed


class CifarLTMixin(CheckedLabelsMixin):
    """Reads the CIFAR python pickles from disk, never downloads, subsamples the train split.

    Mixed in before mmpretrain's ``CIFAR10`` / ``CIFAR100`` (which provide ``base_folder``,
    ``train_list``, ``test_list`` and the class names). The test split stays balanced.

    Args:
        data_root: folder that holds ``cifar-10-batches-py/`` or ``cifar-100-python/``.
        split: ``'train'`` (long-tailed) or ``'test'`` (balanced). Defaults to ``'train'``.
        imb_factor: imbalance factor IF = n_max / n_min (>= 1; 1 keeps the balanced split).
            Defaults to 100.
        seed: seed of the per-class permutations. Defaults to 0.
        n_max: images kept for the head class 0; ``None`` takes the size of the largest class
            of the balanced split (5000 / 500). Defaults to None.
        **kwargs: other arguments of mmpretrain's ``BaseDataset`` (``pipeline``, ...).
    """

    def __init__(self, data_root: str = '', split: str = 'train', imb_factor: float = 100,
                 seed: int = 0, n_max: Optional[int] = None, **kwargs: Any) -> None:
        if kwargs.pop('download', False):
            raise ValueError(f'{type(self).__name__} never downloads; put the CIFAR python '
                             f'pickles under data_root')
        self.imb_factor = imb_factor
        self.lt_seed = seed
        self.n_max = n_max
        self.picked_indices: Optional[np.ndarray] = None
        super().__init__(data_root=data_root, split=split, download=False, **kwargs)

    def _read_pickles(self, names: List[str]) -> tuple:
        """Read images (N, 32, 32, 3) and labels from the pickles ``names``."""
        folder = osp.join(self.data_prefix['root'], self.base_folder)
        missing = [n for n in names if not osp.isfile(osp.join(folder, n))]
        if missing:
            raise FileNotFoundError(
                f'{type(self).__name__}: missing {", ".join(missing)} in {folder}; put the '
                f'CIFAR python version ({self.filename}, extracted) there; nothing is '
                f'downloaded')
        imgs, labels = [], []
        for name in names:
            with open(osp.join(folder, name), 'rb') as f:
                entry = pickle.load(f, encoding='latin1')
            imgs.append(np.asarray(entry['data'], dtype=np.uint8))
            labels.extend(entry['labels'] if 'labels' in entry else entry['fine_labels'])
        imgs = np.vstack(imgs).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return imgs, np.asarray(labels, dtype=np.int64)

    def _load_classes(self) -> None:
        """Take class names from ``batches.meta`` / ``meta`` if none are configured."""
        if self._metainfo.get('classes'):
            return
        path = osp.join(self.data_prefix['root'], self.base_folder, self.meta['filename'])
        if not osp.isfile(path):
            raise FileNotFoundError(f'{type(self).__name__}: no class names given and no '
                                    f'{path}')
        with open(path, 'rb') as f:
            self._metainfo['classes'] = tuple(pickle.load(f, encoding='latin1')[
                self.meta['key']])

    def load_data_list(self) -> List[dict]:
        """Load the split; for ``'train'`` keep the long-tailed subset.

        Returns:
            list[dict]: ``{'img', 'gt_label'}`` per image, class 0 first for the train split.
        """
        names = [n for n, _ in (self.train_list if self.split == 'train' else self.test_list)]
        imgs, labels = self._read_pickles(names)
        self._load_classes()
        if self.split == 'train':
            num_classes = len(self._metainfo['classes'])
            n_max = self.n_max or int(np.bincount(labels, minlength=num_classes).max())
            counts = long_tailed_counts(n_max, self.imb_factor, num_classes)
            self.picked_indices = pick_long_tailed(labels, counts, self.lt_seed)
            imgs, labels = imgs[self.picked_indices], labels[self.picked_indices]
            self._metainfo['picked_indices'] = self.picked_indices.tolist()
        data_list = [{'img': img, 'gt_label': int(label)} for img, label in zip(imgs, labels)]
        self._check_labels(data_list)
        return data_list
