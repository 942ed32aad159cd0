"""Shared base of the list-file long-tailed datasets (ImageNet-LT, Places-LT, iNat18, ...)."""
from typing import Any, Dict, List, Optional

from mmpretrain.datasets import CustomDataset

from .long_tail_profile import CheckedLabelsMixin


class BaseLTListDataset(CheckedLabelsMixin, CustomDataset):
    """A ``CustomDataset`` over a ``relative/path label`` list whose name follows the split.

    Subclasses set :attr:`SPLIT_FILES` (split name -> list file relative to ``data_root``) and
    :attr:`NUM_CLASSES`. Without class names in ``metainfo`` the classes are named
    ``'0' .. 'C-1'``. Per-class counts: ``ClassStats.from_dataset(dataset)``.

    Args:
        data_root: dataset root; list files and image paths are relative to it.
        split: key of :attr:`SPLIT_FILES`. Defaults to ``'train'``.
        ann_file: explicit list file; overrides the split's default name. Defaults to ''.
        data_prefix: folder the image paths are relative to, joined to ``data_root``.
            Defaults to ''.
        **kwargs: other ``CustomDataset`` arguments (``pipeline``, ``test_mode``, ...).
    """

    SPLIT_FILES: Dict[str, str] = {}

    def __init__(self, data_root: str = '', split: str = 'train', ann_file: str = '',
                 data_prefix: str = '', metainfo: Optional[dict] = None,
                 **kwargs: Any) -> None:
        if not ann_file:
            if split not in self.SPLIT_FILES:
                raise ValueError(f'{type(self).__name__}: split must be one of '
                                 f'{sorted(self.SPLIT_FILES)}, got {split!r}')
            ann_file = self.SPLIT_FILES[split]
        self.split = split
        metainfo = dict(metainfo or {})
        if not metainfo.get('classes') and self.NUM_CLASSES is not None:
            metainfo['classes'] = self._default_classes()
        super().__init__(data_root=data_root, data_prefix=data_prefix, ann_file=ann_file,
                         metainfo=metainfo, **kwargs)

    def _default_classes(self) -> tuple:
        """Class names used when none are configured: the label as a string."""
        return tuple(str(i) for i in range(self.NUM_CLASSES))

    def load_data_list(self) -> List[dict]:
        """Read the list file and check its labels.

        Returns:
            list[dict]: ``{'img_path', 'gt_label'}`` per line.
        """
        data_list = super().load_data_list()
        self._check_labels(data_list)
        return data_list
