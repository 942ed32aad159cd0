"""faster-coco-eval annotation records made from ground truth and detection arrays.

Records are built per category group, right before evaluation, and dropped afterwards, so
only one group's dicts exist at a time. Detection records share the RLE strings of the
:class:`~.lvis_detections.LVISDetections` they come from. Ground-truth records are fresh
shallow dicts (faster-coco-eval writes ``ignore``/``rle`` into them), numbered ``1..N`` so
that no id is 0, which matching would read as "unmatched".
"""
from typing import Any, Dict, List, Optional

import numpy as np
from faster_coco_eval.core import mask as mask_api

from .lvis_detections import LVISDetections

Json = Dict[str, Any]
#: iou types that match masks (``boundary`` compares masks and their boundaries)
MASK_IOU_TYPES = ('segm', 'boundary')


def detection_areas(dets: LVISDetections, index: np.ndarray, iou_type: str,
                    segm_area: str = 'mask',
                    rles: Optional[List[Json]] = None) -> np.ndarray:
    """Area of ``dets[index]`` as the small/medium/large split sees it.

    Args:
        dets: all detections.
        index: integer indices of the detections to measure.
        iou_type: ``'bbox'`` (box area ``w * h``), ``'segm'`` or ``'boundary'``.
        segm_area: for masks: ``'mask'`` (mask pixel count) or ``'box'`` (``w * h`` of
            the detection's box, or of the mask's bounding box when it has none).
        rles: the RLE dicts of ``dets[index]`` if the caller has built them already.
    """
    masks = iou_type in MASK_IOU_TYPES
    if masks and rles is None:
        rles = [dict(size=s, counts=dets.masks[i])
                for i, s in zip(index.tolist(), dets.mask_sizes[index].tolist())]
    if masks and segm_area == 'mask':
        return np.asarray(mask_api.area(rles), dtype=np.float64).reshape(-1)
    boxes = None if dets.bboxes is None else dets.bboxes[index]
    if masks and (boxes is None or np.isnan(boxes).any()):
        mask_boxes = np.asarray(mask_api.toBbox(rles), np.float64).reshape(-1, 4)
        boxes = mask_boxes if boxes is None else np.where(np.isnan(boxes), mask_boxes, boxes)
    return boxes[:, 2] * boxes[:, 3]


def gt_records(annotations: List[Json], index: np.ndarray, with_mask: bool,
               category_id: Optional[int] = None) -> List[Json]:
    """Records of ``annotations[index]`` with ids ``index + 1``.

    Args:
        annotations: annotation dicts of the annotation file.
        index: integer indices into ``annotations``.
        with_mask: copy ``segmentation`` (polygons or RLE) for mask evaluation.
        category_id: if given, every record gets this category (class-agnostic runs).
    """
    out = []
    for i in index.tolist():
        ann = annotations[i]
        rec = dict(id=i + 1, image_id=ann['image_id'], bbox=ann['bbox'], area=ann['area'],
                   category_id=ann['category_id'] if category_id is None else category_id)
        if with_mask:
            rec['segmentation'] = ann['segmentation']
        out.append(rec)
    return out


def dt_records(dets: LVISDetections, index: np.ndarray, iou_type: str,
               segm_area: str = 'mask', category_id: Optional[int] = None,
               area_filter: bool = True) -> List[Json]:
    """Records of ``dets[index]`` with ids ``index + 1``.

    Args:
        dets: all detections.
        index: integer indices of the detections to turn into records, in input order.
        iou_type: ``'bbox'`` (records carry ``bbox``), ``'segm'`` or ``'boundary'``
            (``segmentation``).
        segm_area: see :func:`detection_areas`.
        category_id: if given, every record gets this category (class-agnostic runs).
        area_filter: keep only detections with ``0 < area < inf``, as the official LVIS
            evaluator does.
    """
    ids = index.tolist()
    masks = iou_type in MASK_IOU_TYPES
    if masks:
        geo = [dict(size=s, counts=dets.masks[i])
               for i, s in zip(ids, dets.mask_sizes[index].tolist())]
        key = 'segmentation'
    else:
        geo, key = dets.bboxes[index].tolist(), 'bbox'
    areas = detection_areas(dets, index, iou_type, segm_area,
                            geo if masks else None)
    cats = (dets.category_ids[index].tolist() if category_id is None
            else [category_id] * len(ids))
    rows = zip(ids, dets.image_ids[index].tolist(), cats, dets.scores[index].tolist(),
               areas.tolist(), geo)
    return [{'id': i + 1, 'image_id': img, 'category_id': cat, 'score': s, 'area': a, key: g}
            for i, img, cat, s, a, g in rows if not area_filter or 0 < a < np.inf]
