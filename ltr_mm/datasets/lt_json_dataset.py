"""Long-tailed classification set in the ``{"annotations", "num_classes"}`` json format."""
import json
import os.path as osp
from typing import Any, List, Optional

from mmpretrain.datasets import BaseDataset

from ..registry import CLS_DATASETS, register
from .long_tail_profile import CheckedLabelsMixin


@register(CLS_DATASETS)
class LTJsonDataset(CheckedLabelsMixin, BaseDataset):
    """Reads the json annotation format of the BagofTricks-LT / FCC data tools.

    The file holds ``{"annotations": [{"image_id", "fpath", "im_height", "im_width",
    "category_id"}, ...], "num_classes": C}``; ``category_id`` is the 0-based label and
    ``fpath`` is absolute or relative to ``data_root`` / ``data_prefix``. Class names default
    to ``'0' .. 'C-1'``. Counts: ``ClassStats.from_dataset(dataset)``;
    ``tools/dataset_converters/replace_path.py`` rewrites the
    path prefixes of such files.

    Args:
        ann_file: the json file (relative to ``data_root`` unless absolute).
        data_root: dataset root. Defaults to ''.
        data_prefix: folder relative ``fpath`` values are joined to (itself relative to
            ``data_root``). Defaults to ''.
        metainfo: extra meta information, e.g. ``classes``. Defaults to None.
        **kwargs: other mmpretrain ``BaseDataset`` arguments (``pipeline``, ...).
    """

    def __init__(self, ann_file: str, data_root: str = '', data_prefix: str = '',
                 metainfo: Optional[dict] = None, **kwargs: Any) -> None:
        metainfo = dict(metainfo or {})
        self._raw: Optional[dict] = None
        if not metainfo.get('classes'):
            path = ann_file if osp.isabs(ann_file) else osp.join(data_root, ann_file)
            with open(path) as f:
                self._raw = json.load(f)
            metainfo['classes'] = tuple(str(i) for i in range(self._num_from(self._raw)))
        super().__init__(ann_file=ann_file, data_root=data_root,
                         data_prefix=dict(img_path=data_prefix), metainfo=metainfo, **kwargs)

    @staticmethod
    def _num_from(raw: dict) -> int:
        """``num_classes`` of a loaded file, or 1 + the largest ``category_id``."""
        if 'num_classes' in raw:
            return int(raw['num_classes'])
        return 1 + max((int(a['category_id']) for a in raw['annotations']), default=-1)

    def load_data_list(self) -> List[dict]:
        """Read the annotations.

        Returns:
            list[dict]: ``{'img_path', 'gt_label', 'img_id', 'ori_shape'}`` per annotation.
        """
        raw = self._raw
        if raw is None:
            with open(self.ann_file) as f:
                raw = json.load(f)
        self._raw = None
        prefix = self.data_prefix['img_path']
        data_list = []
        for ann in raw['annotations']:
            fpath = ann['fpath']
            info = {'img_path': fpath if osp.isabs(fpath) else osp.join(prefix, fpath),
                    'gt_label': int(ann['category_id'])}
            if 'image_id' in ann:
                info['img_id'] = ann['image_id']
            if 'im_height' in ann and 'im_width' in ann:
                info['ori_shape'] = (int(ann['im_height']), int(ann['im_width']))
            data_list.append(info)
        self._check_labels(data_list)
        return data_list
