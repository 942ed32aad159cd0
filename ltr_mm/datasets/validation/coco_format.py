"""Checks of a COCO / LVIS-format annotation file, done once before a loader indexes it.

Errors (``ValueError``, the message names the file, the field and the value):

- a missing or non-list ``images`` / ``annotations`` / ``categories``;
- a category without an integer ``id``, or two categories with one ``id``;
- an image without an integer ``id``, the file field (``coco_url`` for LVIS v1,
  ``file_name`` otherwise), or a positive ``height`` / ``width``; a duplicated image ``id``;
- an annotation without ``id``, ``image_id``, ``category_id``, ``bbox`` or ``area``, with a
  ``bbox`` that is not 4 finite numbers, with an ``area`` that is not a number, with a
  ``category_id`` / ``image_id`` that no category / image has, or with a duplicated ``id``;
- a file whose categories do not fit the dataset's class names (see :func:`check_classes`).

Boxes that mmdet's ``parse_data_info`` drops are only counted, in one warning
(:func:`~.coco_skipped.warn_skipped`).
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ltr_mm.utils.bad_input import field_error, missing_field_error, short_repr

from .coco_annotations import annotation_table, is_int, is_number
from .coco_classes import check_classes
from .coco_skipped import warn_skipped

SECTIONS = ('images', 'annotations', 'categories')


def check_sections(data: Any, source: str) -> None:
    """Raise unless ``data`` is a dict whose three sections are lists."""
    if not isinstance(data, dict):
        raise field_error(source, '<root>', data, 'is not a JSON object with "images", '
                          '"annotations" and "categories"')
    for key in SECTIONS:
        if key not in data:
            raise missing_field_error(source, key, f'the file has {sorted(data)}')
        if not isinstance(data[key], list):
            raise field_error(source, key, data[key], 'is not a list')


def _first_duplicate(ids: np.ndarray) -> Optional[Tuple[int, int, int]]:
    """``(value, first index, second index)`` of the first repeated id, else None."""
    uniq, first, counts = np.unique(ids, return_index=True, return_counts=True)
    if not (counts > 1).any():
        return None
    later = np.ones(len(ids), dtype=bool)
    later[first] = False
    second = int(np.flatnonzero(later)[0])
    value = ids[second]
    return int(value), int(first[np.searchsorted(uniq, value)]), second


def _check_unique(ids: np.ndarray, source: str, section: str) -> None:
    dup = _first_duplicate(ids)
    if dup is not None:
        value, first, second = dup
        raise field_error(source, f'{section}[{second}].id', value,
                          f'duplicates {section}[{first}].id (ids must be unique)')


def category_ids(categories: List[Any], source: str) -> np.ndarray:
    """Category ids in file order; ValueError on a missing, non-integer or repeated id."""
    for j, cat in enumerate(categories):
        if not isinstance(cat, dict) or 'id' not in cat:
            raise missing_field_error(source, f'categories[{j}].id',
                                      f'category {short_repr(cat)}')
        if not is_int(cat['id']):
            raise field_error(source, f'categories[{j}].id', cat['id'], 'is not an integer')
    ids = np.array([c['id'] for c in categories], dtype=np.int64)
    _check_unique(ids, source, 'categories')
    return ids


def image_table(images: List[Any], source: str,
                file_field: Optional[str]) -> Tuple[np.ndarray, np.ndarray]:
    """Image ids and ``(width, height)`` rows; ValueError naming the first bad image."""
    keys = ('id', 'height', 'width') + ((file_field, ) if file_field else ())
    for i, img in enumerate(images):
        if not isinstance(img, dict):
            raise field_error(source, f'images[{i}]', img, 'is not an object')
        for key in keys:
            if key not in img:
                raise missing_field_error(source, f'images[{i}].{key}',
                                          f'image id {img.get("id")}')
        if not is_int(img['id']):
            raise field_error(source, f'images[{i}].id', img['id'], 'is not an integer')
        if file_field and (not isinstance(img[file_field], str) or not img[file_field]):
            raise field_error(source, f'images[{i}].{file_field}', img[file_field],
                              'is not a file name')
        for key in ('height', 'width'):
            if not is_number(img[key]) or not img[key] > 0:
                raise field_error(source, f'images[{i}].{key}', img[key],
                                  'is not a positive number')
    ids = np.array([img['id'] for img in images], dtype=np.int64)
    _check_unique(ids, source, 'images')
    sizes = np.array([(img['width'], img['height']) for img in images],
                     dtype=np.float64).reshape(-1, 2)
    return ids, sizes


def check_references(cols: Dict[str, np.ndarray], cat_ids: np.ndarray, img_ids: np.ndarray,
                     source: str) -> None:
    """Raise on an annotation whose category / image id is unknown, or a repeated ann id."""
    for key, known, what in (('category_id', cat_ids, 'category'),
                             ('image_id', img_ids, 'image')):
        bad = ~np.isin(cols[key], known)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            values = np.unique(cols[key][bad])
            raise field_error(
                source, f'annotations[{i}].{key}', int(cols[key][i]),
                f'is not the id of any {what} (annotation id {int(cols["id"][i])}; '
                f'{int(bad.sum())} annotation(s) with an unknown {key}, values '
                f'{short_repr(values.tolist())}; the file has {len(known)} {what} ids)')
    _check_unique(cols['id'], source, 'annotations')


def check_coco_format(data: Any, source: str, file_field: Optional[str] = 'file_name',
                      classes: Optional[Sequence[str]] = None, by_name: bool = False) -> int:
    """Check a parsed COCO / LVIS-format annotation file (see the module docstring).

    Args:
        data: the parsed JSON.
        source: the file, named by every message.
        file_field: image field holding the file name (``'coco_url'`` for LVIS v1); None
            for readers that need no image file.
        classes: the dataset's class names; None skips :func:`check_classes`.
        by_name: how the loader maps categories to classes (see :func:`check_classes`).

    Returns:
        int: number of annotations the loader will skip (a warning was given if > 0).

    Raises:
        ValueError: on the errors listed in the module docstring.
    """
    check_sections(data, source)
    cat_ids = category_ids(data['categories'], source)
    img_ids, sizes = image_table(data['images'], source, file_field)
    cols = annotation_table(data['annotations'], source)
    check_references(cols, cat_ids, img_ids, source)
    if classes is not None:
        check_classes(data['categories'], classes, source, by_name)
    return warn_skipped(cols, img_ids, sizes, source)
