"""The annotations of a COCO / LVIS-format file as numpy columns, checked field by field.

Every annotation needs ``id``, ``image_id`` and ``category_id`` (integers), ``bbox`` (4
finite numbers) and ``area`` (a finite number); the first one that does not have them raises
``ValueError`` naming the file, the field (``annotations[i].key``), the value and the
annotation id. The columns are read with one list comprehension per field and checked with
numpy, not annotation by annotation (timings: ``docs/benchmarks.md``, "Scale").
"""
from typing import Any, Dict, List

import numpy as np

from ltr_mm.utils.bad_input import field_error, missing_field_error

ANN_FIELDS = ('id', 'image_id', 'category_id', 'bbox', 'area')


def is_int(value: Any) -> bool:
    """An integer that is not a ``bool``."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """An int or float that is not a ``bool``."""
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _locate(anns: List[Any], source: str) -> None:
    """Raise for the first annotation that is not an object with every required field."""
    for i, ann in enumerate(anns):
        if not isinstance(ann, dict):
            raise field_error(source, f'annotations[{i}]', ann, 'is not an object')
        for key in ANN_FIELDS:
            if key not in ann:
                raise missing_field_error(source, f'annotations[{i}].{key}',
                                          f'annotation id {ann.get("id")}')


def _values(anns: List[Any], key: str, source: str) -> List[Any]:
    """Field ``key`` of every annotation; ValueError at the first record without it."""
    try:
        return [a[key] for a in anns]
    except (KeyError, TypeError):
        _locate(anns, source)
        raise


def _bad_value(anns: List[dict], key: str, values: List[Any], is_ok: Any, why: str,
               source: str) -> ValueError:
    """The error for the first value of ``values`` that ``is_ok`` rejects."""
    i = next((i for i, v in enumerate(values) if not is_ok(v)), 0)
    return field_error(source, f'annotations[{i}].{key}', values[i],
                       f'{why} (annotation id {anns[i].get("id")})')


def _is_finite(value: Any) -> bool:
    """A finite int or float."""
    return is_number(value) and bool(np.isfinite(value))


def _is_box(value: Any) -> bool:
    """``[x, y, w, h]``: a list of 4 finite numbers."""
    return (isinstance(value, (list, tuple)) and len(value) == 4 and
            all(_is_finite(v) for v in value))


def annotation_table(anns: List[Any], source: str) -> Dict[str, np.ndarray]:
    """Columns ``id``, ``image_id``, ``category_id``, ``bbox`` (N, 4) and ``area`` (N,)."""
    cols: Dict[str, np.ndarray] = {}
    for key in ('id', 'image_id', 'category_id'):
        values = _values(anns, key, source)
        arr = np.asarray(values) if values else np.zeros(0, np.int64)
        if arr.ndim != 1 or arr.dtype.kind not in 'iu':
            raise _bad_value(anns, key, values, is_int, 'is not an integer', source)
        cols[key] = arr.astype(np.int64)
    values = _values(anns, 'bbox', source)
    try:
        boxes = np.array(values, dtype=np.float64).reshape(-1, 4)
        good = len(boxes) == len(values) and bool(np.isfinite(boxes).all()) and all(
            type(b) in (list, tuple) for b in values)
    except (TypeError, ValueError):
        good = False
    if not good:
        raise _bad_value(anns, 'bbox', values, _is_box,
                         'is not [x, y, w, h] of 4 finite numbers', source)
    cols['bbox'] = boxes
    values = _values(anns, 'area', source)
    area = np.asarray(values) if values else np.zeros(0)
    if area.ndim != 1 or area.dtype.kind not in 'iuf' or not np.isfinite(area).all():
        raise _bad_value(anns, 'area', values, _is_finite, 'is not a finite number', source)
    cols['area'] = area.astype(np.float64)
    return cols
