"""Places-LT (Liu et al., OLTR, CVPR 2019) from its split lists."""
from ..registry import CLS_DATASETS, register
from .base_lt_list_dataset import BaseLTListDataset


@register(CLS_DATASETS)
class PlacesLT(BaseLTListDataset):
    """`Places-LT <https://arxiv.org/abs/1904.05160>`_: 365 classes from Places-365-Standard.

    Split lists (``relative/path label`` per line, paths relative to ``data_root``):

    - ``'train'``: ``Places_LT_train.txt``, 62,500 images, 4980 .. 5 per class.
    - ``'val'``: ``Places_LT_val.txt``, 7,300 images (20 per class).
    - ``'test'``: ``Places_LT_test.txt``, 36,500 images (100 per class).

    Class names default to ``'0' .. '364'`` unless ``metainfo`` gives others.

    Args:
        data_root: dataset root holding the lists and the Places-365 image folders.
            Defaults to ''.
        split: ``'train'``, ``'val'`` or ``'test'``. Defaults to ``'train'``.
        **kwargs: other :class:`BaseLTListDataset` arguments (``ann_file``, ``pipeline``, ...).
    """

    SPLIT_FILES = {
        'train': 'Places_LT_train.txt',
        'val': 'Places_LT_val.txt',
        'test': 'Places_LT_test.txt',
    }
    NUM_CLASSES = 365
