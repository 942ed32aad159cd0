"""ImageNet-LT (Liu et al., OLTR, CVPR 2019) from its split lists."""
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES

from ..registry import CLS_DATASETS, register
from .base_lt_list_dataset import BaseLTListDataset


@register(CLS_DATASETS)
class ImageNetLT(BaseLTListDataset):
    """`ImageNet-LT <https://arxiv.org/abs/1904.05160>`_: 1000 classes, Pareto (alpha 6) subset.

    Split lists (``relative/path label`` per line, paths relative to ``data_root``, e.g.
    ``train/n01440764/n01440764_190.JPEG 0``):

    - ``'train'``: ``ImageNet_LT_train.txt``, 115,846 images, 1280 .. 5 per class.
    - ``'val'``: ``ImageNet_LT_val.txt``, 20,000 images (20 per class) from the ILSVRC train
      folder.
    - ``'test'``: ``ImageNet_LT_test.txt``, 50,000 images = the ILSVRC-2012 val set.

    ``data_root`` must hold the list files and the ILSVRC ``train/`` and ``val/`` folders.
    Class names are mmpretrain's ImageNet names unless ``metainfo`` gives others.

    Args:
        data_root: dataset root. Defaults to ''.
        split: ``'train'``, ``'val'`` or ``'test'``. Defaults to ``'train'``.
        **kwargs: other :class:`BaseLTListDataset` arguments (``ann_file``, ``pipeline``, ...).
    """

    SPLIT_FILES = {
        'train': 'ImageNet_LT_train.txt',
        'val': 'ImageNet_LT_val.txt',
        'test': 'ImageNet_LT_test.txt',
    }
    NUM_CLASSES = 1000

    def _default_classes(self) -> tuple:
        """mmpretrain's ImageNet class names."""
        return tuple(IMAGENET_CATEGORIES)
