"""``CheckedLVISV1Dataset``: mmdet's LVIS v1 dataset with bad-input checks, parsed once."""
from typing import List

from mmdet.datasets import LVISV1Dataset

from ..registry import DET_DATASETS, register
from .checked_det_mixin import CheckedDetMixin
from .lvis_data_list import lvis_data_list

COCO_URL_PREFIX = 'http://images.cocodataset.org/'


def lvis_v1_file_name(img: dict) -> str:
    """File name of an LVIS v1 image: ``coco_url`` without the COCO host (mmdet's rule)."""
    return img['coco_url'].replace(COCO_URL_PREFIX, '')


@register(DET_DATASETS)
class CheckedLVISV1Dataset(CheckedDetMixin, LVISV1Dataset):
    """mmdet's ``LVISV1Dataset`` plus the checks of :class:`CheckedDetMixin`.

    The data list is the one mmdet builds (same images, boxes, labels and ``img_path``), but
    the file is parsed once: the checks and the loader share it
    (:func:`~ltr_mm.datasets.lvis_data_list.lvis_data_list`), and the lvis-api package is not
    needed. Use it as ``dict(type='CheckedLVISV1Dataset', ...)`` with the arguments of
    ``LVISV1Dataset`` plus ``check_annotations`` and ``check_images``.
    """

    FILE_FIELD = 'coco_url'

    def load_data_list(self) -> List[dict]:
        """Parse, check and load the annotation file."""
        data = self.read_ann_file()
        self.check_ann_data(data)
        return lvis_data_list(self, data, lvis_v1_file_name)
