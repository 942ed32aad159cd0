"""``CheckedCocoDataset``: mmdet's COCO dataset with bad-input checks."""
from mmdet.datasets import CocoDataset

from ..registry import DET_DATASETS, register
from .checked_det_mixin import CheckedDetMixin


@register(DET_DATASETS)
class CheckedCocoDataset(CheckedDetMixin, CocoDataset):
    """mmdet's ``CocoDataset`` plus the checks of :class:`CheckedDetMixin`.

    The COCO loader picks categories by the names in ``metainfo['classes']``, so every class
    name must be a category name of the file. The file is parsed once for the checks and
    once more by mmdet's loader (COCO-size files parse in seconds; pass
    ``check_annotations=False`` to skip the first parse).
    """

    FILE_FIELD = 'file_name'
    BY_NAME = True
