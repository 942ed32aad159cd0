"""``CheckedLVISV05Dataset``: mmdet's LVIS v0.5 dataset with bad-input checks, parsed once."""
from typing import List

from mmdet.datasets import LVISV05Dataset

from ..registry import DET_DATASETS, register
from .checked_det_mixin import CheckedDetMixin
from .lvis_data_list import lvis_data_list


def lvis_v05_file_name(img: dict) -> str:
    """File name of an LVIS v0.5 image: COCO 2014 names become 2017 names (mmdet's rule)."""
    name = img['file_name']
    return name[-16:] if name.startswith('COCO') else name


@register(DET_DATASETS)
class CheckedLVISV05Dataset(CheckedDetMixin, LVISV05Dataset):
    """mmdet's ``LVISV05Dataset`` plus the checks of :class:`CheckedDetMixin`.

    The data list equals mmdet's, but the file is parsed once and shared by the checks and
    the loader (:func:`~ltr_mm.datasets.lvis_data_list.lvis_data_list`). Use it as
    ``dict(type='CheckedLVISV05Dataset', ...)`` with the arguments of ``LVISV05Dataset``
    plus ``check_annotations`` and ``check_images``.
    """

    FILE_FIELD = 'file_name'

    def load_data_list(self) -> List[dict]:
        """Parse, check and load the annotation file."""
        data = self.read_ann_file()
        self.check_ann_data(data)
        return lvis_data_list(self, data, lvis_v05_file_name)
