"""iNaturalist 2018 in the list format of the classifier-balancing split files."""
from ..registry import CLS_DATASETS, register
from .base_lt_list_dataset import BaseLTListDataset


@register(CLS_DATASETS)
class INat18(BaseLTListDataset):
    """`iNaturalist 2018 <https://arxiv.org/abs/1707.06642>`_: 8,142 naturally long-tailed
    classes.

    Split lists (``relative/path label`` per line, paths relative to ``data_root``, e.g.
    ``train_val2018/Plantae/7477/3b60c9486db1d2ee875f11a669fbde4a.jpg 7477``):

    - ``'train'``: ``iNaturalist18_train.txt``, 437,513 images, 1000 .. 2 per class.
    - ``'val'``: ``iNaturalist18_val.txt``, 24,426 images (3 per class), used as the test set.

    Class names default to ``'0' .. '8141'`` unless ``metainfo`` gives others. For the json
    annotation files (``iNat18_train.json``) use :class:`LTJsonDataset`.

    Args:
        data_root: dataset root holding the lists and ``train_val2018/``. Defaults to ''.
        split: ``'train'`` or ``'val'``. Defaults to ``'train'``.
        **kwargs: other :class:`BaseLTListDataset` arguments (``ann_file``, ``pipeline``, ...).
    """

    SPLIT_FILES = {
        'train': 'iNaturalist18_train.txt',
        'val': 'iNaturalist18_val.txt',
    }
    NUM_CLASSES = 8142
