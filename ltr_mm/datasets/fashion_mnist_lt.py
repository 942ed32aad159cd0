"""Fashion-MNIST-LT, the long-tailed set built by ``make_fashion_lt.py``."""
import json
import os.path as osp
from typing import Any, List, Optional

from ..registry import CLS_DATASETS, register
from .base_lt_list_dataset import BaseLTListDataset

FASHION_CLASSES = ('t-shirt_top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt',
                   'sneaker', 'bag', 'ankle_boot')


@register(CLS_DATASETS)
class FashionMNISTLT(BaseLTListDataset):
    """Fashion-MNIST-LT: 10 classes, Cao et al. profile (IF 100: 5000 .. 50, 12,406 images).

    Reads the layout written by ``make_fashion_lt.py`` under ``data_root``:
    ``meta/{train,test}.txt`` (``train/bag/00123.png 8`` per line), ``class_stats.json`` (class
    names) and ``picked_indices.json`` (the Fashion-MNIST train indices kept per class).
    :attr:`picked_indices` lists those indices class by class (``None`` for the test split or
    when the file is absent).

    Args:
        data_root: output folder of the builder. Defaults to ``'data/fashion_mnist_lt'``.
        split: ``'train'`` (long-tailed) or ``'test'`` (balanced 10,000). Defaults to 'train'.
        **kwargs: other :class:`BaseLTListDataset` arguments (``pipeline``, ...).
    """

    SPLIT_FILES = {'train': 'meta/train.txt', 'test': 'meta/test.txt'}
    NUM_CLASSES = 10

    def __init__(self, data_root: str = 'data/fashion_mnist_lt', split: str = 'train',
                 metainfo: Optional[dict] = None, **kwargs: Any) -> None:
        self.picked_indices: Optional[List[int]] = None
        metainfo = dict(metainfo or {})
        stats_path = osp.join(data_root, 'class_stats.json')
        if not metainfo.get('classes') and osp.isfile(stats_path):
            with open(stats_path) as f:
                metainfo['classes'] = tuple(json.load(f)['classes'])
        picked_path = osp.join(data_root, 'picked_indices.json')
        if split == 'train' and osp.isfile(picked_path):
            with open(picked_path) as f:
                per_class = json.load(f)['indices']
            self.picked_indices = [int(i) for name in per_class for i in per_class[name]]
        super().__init__(data_root=data_root, split=split, metainfo=metainfo, **kwargs)

    def _default_classes(self) -> tuple:
        """The Fashion-MNIST class names, index = label."""
        return FASHION_CLASSES
