"""Bad-input checks shared by ltr_mm's checked COCO / LVIS datasets (not registered)."""
import json
from typing import Any, List

from mmengine.fileio import get_local_path

from .validation import check_coco_format, check_image_files, check_not_empty


class CheckedDetMixin:
    """Checks an mmdet COCO-style dataset once, when it is built (``full_init``).

    1. ``check_annotations``: the annotation file is parsed and checked by
       :func:`~ltr_mm.datasets.validation.check_coco_format` before it is indexed: missing
       fields, unknown or duplicate ids and categories that do not fit ``metainfo['classes']``
       raise ``ValueError`` naming the file, the field and the value; boxes the loader drops
       (width or height < 1, ``area <= 0``, outside the image) are counted in one warning.
    2. A data list that is empty after filtering raises ``ValueError`` naming the file and
       the filter (mmengine would fail later, serialising it, without naming the file).
    3. ``check_images``: every image of the filtered list must be a file, else
       ``FileNotFoundError`` names the annotation file, the path and the image id (one
       ``stat`` per image: about a second for 100,000 images on a local disk).

    Subclasses put this mixin before the mmdet dataset class and set :attr:`FILE_FIELD` and
    :attr:`BY_NAME`.

    Args:
        check_annotations (bool): run check 1. Defaults to True.
        check_images (bool): run check 3. Defaults to True.
        *args, **kwargs: arguments of the mmdet dataset.
    """

    #: image field holding the file name.
    FILE_FIELD = 'file_name'
    #: whether the loader picks categories by class name (COCO) or by file order (LVIS).
    BY_NAME = False

    def __init__(self, *args: Any, check_annotations: bool = True, check_images: bool = True,
                 **kwargs: Any) -> None:
        self.check_annotations = check_annotations
        self.check_images = check_images
        super().__init__(*args, **kwargs)

    def read_ann_file(self) -> dict:
        """Parse ``ann_file``; ValueError naming it when it is not JSON."""
        with get_local_path(self.ann_file, backend_args=self.backend_args) as path:
            with open(path) as f:
                try:
                    return json.load(f)
                except json.JSONDecodeError as err:
                    raise ValueError(f'{self.ann_file}: not valid JSON ({err})') from None

    def check_ann_data(self, data: Any) -> None:
        """Check 1 on the parsed annotation file (if ``check_annotations``)."""
        if self.check_annotations:
            check_coco_format(data, self.ann_file, self.FILE_FIELD,
                              self.metainfo.get('classes'), self.BY_NAME)

    def load_data_list(self) -> List[dict]:
        """Check the file, then load it with the mmdet loader."""
        if self.check_annotations:
            self.check_ann_data(self.read_ann_file())
        return super().load_data_list()

    def filter_data(self) -> List[dict]:
        """mmdet's filter, then checks 2 and 3 on what is left."""
        loaded = len(self.data_list)
        data_list = super().filter_data()
        check_not_empty(data_list, self.ann_file, type(self).__name__, self.test_mode, loaded,
                        self.filter_cfg)
        if self.check_images:
            check_image_files(data_list, self.ann_file, self.FILE_FIELD, self.backend_args)
        return data_list
