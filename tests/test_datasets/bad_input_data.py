"""Tiny LVIS-format files and image folders for the bad-input tests."""
import copy
import json
from pathlib import Path
from typing import Any, Dict, Optional

CLASSES = ('cat', 'dog', 'emu')


def lvis_dict() -> Dict[str, Any]:
    """3 images of 40 x 30, 3 categories (ids 1..3), 4 annotations (ids 1..4)."""
    images = [dict(id=i, width=40, height=30, coco_url=f'http://images.cocodataset.org/'
                   f'train2017/{i:012d}.jpg', neg_category_ids=[], not_exhaustive_category_ids=[])
              for i in (1, 2, 3)]
    categories = [dict(id=c, name=n, frequency='r', image_count=1, instance_count=1)
                  for c, n in zip((1, 2, 3), CLASSES)]
    boxes = [(1, 1), (2, 1), (3, 2), (1, 3)]  # (category, image)
    annotations = [dict(id=k + 1, image_id=img, category_id=cat, bbox=[2, 3, 10, 8], area=80.0,
                        segmentation=[[2, 3, 12, 3, 12, 11, 2, 11]], iscrowd=0)
                   for k, (cat, img) in enumerate(boxes)]
    return dict(images=images, annotations=annotations, categories=categories)


def write_lvis(root: Path, data: Optional[Dict[str, Any]] = None, images: bool = True,
               name: str = 'ann.json') -> str:
    """Write ``data`` (default :func:`lvis_dict`) to ``root/name`` and, if ``images``, an
    empty file for every image; return the annotation file path."""
    data = copy.deepcopy(lvis_dict() if data is None else data)
    path = root / name
    path.write_text(json.dumps(data))
    if images:
        (root / 'train2017').mkdir(exist_ok=True)
        for img in data.get('images', []):
            (root / 'train2017' / f'{img["id"]:012d}.jpg').write_bytes(b'')
    return str(path)


def lvis_kwargs(root: Path, ann_file: str, **kwargs: Any) -> Dict[str, Any]:
    """Arguments of a checked LVIS v1 dataset over ``root``."""
    return dict(data_root=str(root), ann_file=ann_file, data_prefix=dict(img=''), pipeline=[],
                metainfo=dict(classes=CLASSES), **kwargs)
