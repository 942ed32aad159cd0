"""The boxes of a COCO / LVIS file that mmdet's loader drops, counted in one warning.

mmdet's ``parse_data_info`` silently drops a box whose width or height is below 1 (zero and
negative included), whose ``area`` is not positive, or that lies outside its image. ltr_mm
keeps that behaviour (one degenerate box among a million should not stop a training run) but
says so: one :class:`SkippedAnnotationsWarning` gives the file, the number of such boxes and
an example of each kind (index, annotation id, ``bbox`` and ``area``).
"""
import warnings
from typing import Dict, List, Tuple

import numpy as np


class SkippedAnnotationsWarning(UserWarning):
    """Annotations of a file that the loader will skip (degenerate boxes)."""


def _skip_reasons(cols: Dict[str, np.ndarray], sizes: np.ndarray,
                  rows: np.ndarray) -> List[Tuple[str, np.ndarray]]:
    """(description, mask) of each reason mmdet's ``parse_data_info`` drops a box; a box
    is counted under the first reason that applies."""
    x, y, w, h = cols['bbox'].T
    img_w, img_h = sizes[rows, 0], sizes[rows, 1]
    inter_w = np.maximum(0, np.minimum(x + w, img_w) - np.maximum(x, 0))
    inter_h = np.maximum(0, np.minimum(y + h, img_h) - np.maximum(y, 0))
    small = (w < 1) | (h < 1)
    no_area = (cols['area'] <= 0) & ~small
    outside = (inter_w * inter_h == 0) & ~small & ~no_area
    return [('a "bbox" width or height < 1 (zero or negative included)', small),
            ('"area" <= 0', no_area), ('the box outside its image', outside)]


def warn_skipped(cols: Dict[str, np.ndarray], img_ids: np.ndarray, sizes: np.ndarray,
                 source: str) -> int:
    """Warn once about the boxes the loader drops; return how many there are."""
    if len(cols['id']) == 0:
        return 0
    order = np.argsort(img_ids, kind='stable')
    rows = order[np.searchsorted(img_ids[order], cols['image_id'])]
    reasons = _skip_reasons(cols, sizes, rows)
    skipped = np.logical_or.reduce([mask for _, mask in reasons])
    total = int(skipped.sum())
    if total:
        parts = []
        for text, mask in reasons:
            if mask.any():
                i = int(np.flatnonzero(mask)[0])
                parts.append(f'{int(mask.sum())} with {text} (e.g. annotations[{i}], id '
                             f'{int(cols["id"][i])}: bbox = {cols["bbox"][i].tolist()}, '
                             f'area = {float(cols["area"][i])})')
        warnings.warn(f'{source}: {total} of {len(skipped)} annotations are skipped by the '
                      f'loader: {"; ".join(parts)}', SkippedAnnotationsWarning, stacklevel=3)
    return total
