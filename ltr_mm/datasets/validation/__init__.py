"""Bad-input checks of annotation files and data lists (numpy and mmengine only)."""
from .coco_classes import check_classes
from .coco_format import check_coco_format
from .coco_skipped import SkippedAnnotationsWarning, warn_skipped
from .data_list import check_image_files, check_not_empty, missing_files

__all__ = ['SkippedAnnotationsWarning', 'check_classes', 'check_coco_format', 'warn_skipped',
           'check_image_files', 'check_not_empty', 'missing_files']
