"""LVIS box, mask and boundary evaluation on faster-coco-eval's LVIS mode.

The numbers equal the official LVIS evaluator's (lvis-api 0.5.3 for the standard protocol,
the ``lvis_challenge_2021`` branch of lvis-api for Fixed AP and boundary AP) because the
detections pass the same adapters that evaluator applies before faster-coco-eval sees them:

1. the caps (:mod:`.lvis_caps`): the ``max_dets`` highest-scoring detections per image
   (300; ``-1`` for none), then the ``max_dets_per_cat`` highest-scoring detections per
   category over all images (``-1`` for none; 10,000 for Fixed AP), ties keeping their
   input order;
2. a detection counts only if its category is positive (has ground truth) or listed in
   ``neg_category_ids`` for its image (the federated rule);
3. a detection counts only if ``0 < area < inf`` (the official area filter).

Detection area decides small/medium/large. For ``bbox`` it is ``w * h``. For ``segm`` and
``boundary`` it is the mask area (``segm_area='mask'``, what results holding only RLE masks
give the official evaluator) or the box area (``segm_area='box'``, what results that keep
their ``bbox`` give it, as mmdet's result files do). Ground-truth area is always the
annotation file's ``area`` field.

``boundary`` matches masks by ``min(mask IoU, boundary IoU)`` (:mod:`.lvis_boundary`).
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from .lvis_boundary import DILATION_RATIO
from .lvis_caps import NO_CAP, cap_detections, check_cap, recall_suffix
from .lvis_coco import category_groups, evaluate_groups, summarize
from .lvis_detections import LVISDetections
from .lvis_gt import Json, LVISGroundTruth
from .lvis_records import MASK_IOU_TYPES, dt_records, gt_records

IOU_TYPES = ('bbox', 'segm', 'boundary')
SEGM_AREAS = ('mask', 'box')
#: ltr_mm metric name -> faster-coco-eval ``stats_as_dict`` label
_AP_LABELS = (('AP', 'AP_all'), ('AP50', 'AP_50'), ('AP75', 'AP_75'), ('APs', 'AP_small'),
              ('APm', 'AP_medium'), ('APl', 'AP_large'), ('APr', 'APr'), ('APc', 'APc'),
              ('APf', 'APf'))
_AR_LABELS = (('AR', 'AR_all'), ('ARs', 'AR_small'), ('ARm', 'AR_medium'), ('ARl', 'AR_large'))


@dataclass
class LVISEvalResult:
    """Summary and per-category AP of one LVIS evaluation.

    Attributes:
        iou_type: ``'bbox'``, ``'segm'`` or ``'boundary'``.
        metrics: ``AP, AP50, AP75, APs, APm, APl, APr, APc, APf`` and ``AR@S, ARs@S, ARm@S,
            ARl@S`` with ``S`` the caps as the official code names them
            (:func:`~.lvis_caps.recall_suffix`: ``300``, ``10000/cat``,
            ``300/im,10000/cat``); ``-1`` where nothing can be measured.
        categories: category records in id order.
        per_category_ap: AP of every category (NaN for categories without ground truth).
        segm_area: the detection area of the size split of masks (``None`` for ``bbox``).
        num_detections: detections that reached the evaluator after the adapters.
        max_dets: the per-image cap (``-1``: none).
        max_dets_per_cat: the per-category cap (``-1``: none).
    """

    iou_type: str
    metrics: Dict[str, float]
    categories: List[Json]
    per_category_ap: np.ndarray
    segm_area: Optional[str]
    num_detections: int
    max_dets: int = 300
    max_dets_per_cat: int = NO_CAP


def results_segm_area(dets: LVISDetections) -> str:
    """The size-split area the official code uses for a results file: ``'box'`` when the
    records carry ``bbox`` (as mmdet's result files do), ``'mask'`` when they carry masks
    only (or not every record has a box)."""
    has_boxes = dets.bboxes is not None and len(dets) > 0
    return 'box' if has_boxes and not np.isnan(dets.bboxes).any() else 'mask'


def select_detections(gt: LVISGroundTruth, dets: LVISDetections, iou_type: str,
                      max_dets: int = 300,
                      max_dets_per_cat: int = NO_CAP) -> LVISDetections:
    """Adapters 1 and 2 (the caps, then the federated rule).

    The area filter (adapter 3) runs per category group inside :func:`evaluate_lvis`,
    where the masks are decoded anyway.
    """
    if iou_type not in IOU_TYPES:
        raise ValueError(f'iou_type must be one of {IOU_TYPES}, got {iou_type!r}')
    field = 'masks' if iou_type in MASK_IOU_TYPES else 'bboxes'
    if getattr(dets, field) is None:
        raise ValueError(f'{iou_type} evaluation needs detections with {field}')
    if iou_type == 'bbox' and np.isnan(dets.bboxes).any():
        bad = int(np.flatnonzero(np.isnan(dets.bboxes).any(1))[0])
        raise ValueError(f'results[{bad}] has no "bbox" field; bbox evaluation needs one')
    gt.check_ids(dets.image_ids, dets.category_ids, 'results[].category_id / image_id')
    dets = dets.take(cap_detections(dets.image_ids, dets.category_ids, dets.scores, max_dets,
                                    max_dets_per_cat))
    return dets.take(np.flatnonzero(gt.federated_mask(dets.image_ids, dets.category_ids)))


def _per_category_ap(precision: np.ndarray) -> np.ndarray:
    p = precision[:, :, :, 0]
    valid = p > -1
    counts = valid.sum(axis=(0, 1))
    sums = np.where(valid, p, 0).sum(axis=(0, 1))
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _slices(cat_of: np.ndarray, num_cats: int) -> Tuple[np.ndarray, np.ndarray]:
    """Stable order by category and the bounds of each category's run in it."""
    order = np.argsort(cat_of, kind='stable')
    return order, np.searchsorted(cat_of[order], np.arange(num_cats + 1))


def _matching_depth(image_ids: np.ndarray, max_dets: int) -> int:
    """Detections per image that reach matching: the cap, or the most any image has."""
    if max_dets != NO_CAP:
        return max_dets
    return int(np.unique(image_ids, return_counts=True)[1].max()) if len(image_ids) else 1


def evaluate_lvis(gt: LVISGroundTruth, dets: LVISDetections, iou_type: str = 'bbox',
                  segm_area: str = 'mask', max_dets: int = 300,
                  max_dets_per_cat: int = NO_CAP,
                  dilation_ratio: float = DILATION_RATIO) -> LVISEvalResult:
    """LVIS AP/AR of ``dets`` on the images of ``gt``.

    Args:
        gt: ground truth of the evaluated images.
        dets: detections of (some of) those images.
        iou_type: ``'bbox'``, ``'segm'`` or ``'boundary'``.
        segm_area: ``'mask'`` or ``'box'``: detection area of the size split of masks.
        max_dets: detections per image that count (300 for LVIS; ``-1``: no cap).
        max_dets_per_cat: detections per category over all images that count (``-1``: no
            cap; 10,000 for Fixed AP).
        dilation_ratio: boundary width of ``boundary`` as a fraction of the image diagonal.
    """
    if segm_area not in SEGM_AREAS:
        raise ValueError(f'segm_area must be one of {SEGM_AREAS}, got {segm_area!r}')
    max_dets = check_cap('max_dets', max_dets)
    max_dets_per_cat = check_cap('max_dets_per_cat', max_dets_per_cat)
    dets = select_detections(gt, dets, iou_type, max_dets, max_dets_per_cat)
    if iou_type in MASK_IOU_TYPES:
        gt.check_polygons()
    depth = _matching_depth(dets.image_ids, max_dets)
    num_cats = len(gt.cat_ids)
    cat_of_gt = np.searchsorted(gt.cat_ids, gt.ann_cat_ids)
    cat_of_dt = np.searchsorted(gt.cat_ids, dets.category_ids)
    has_gt = np.zeros(num_cats, dtype=bool)
    has_gt[cat_of_gt] = True
    dt_rel = np.flatnonzero(has_gt[cat_of_dt])  # categories without gt score -1 anyway
    groups = category_groups(
        np.concatenate([cat_of_gt, cat_of_dt[dt_rel]]),
        np.searchsorted(gt.img_ids, np.concatenate([gt.ann_img_ids, dets.image_ids[dt_rel]])),
        num_cats)
    gt_order, gt_bounds = _slices(cat_of_gt, num_cats)
    dt_order, dt_bounds = _slices(cat_of_dt, num_cats)
    counted = [0]  # detections that pass the area filter, summed over the groups

    def group_records(cat_idx: np.ndarray) -> Tuple[List[Json], List[Json]]:
        """Ground-truth and detection records of the categories ``cat_idx``."""
        g_idx = np.concatenate([gt_order[gt_bounds[k]:gt_bounds[k + 1]] for k in cat_idx])
        d_idx = np.concatenate([dt_order[dt_bounds[k]:dt_bounds[k + 1]] for k in cat_idx])
        dts = dt_records(dets, d_idx, iou_type, segm_area)
        counted[0] += len(dts)
        return gt_records(gt.annotations, g_idx, iou_type in MASK_IOU_TYPES), dts

    precision, recall = evaluate_groups(iou_type, gt.images, gt.categories, groups,
                                        group_records, depth, dilation_ratio)
    stats = summarize(iou_type, gt.categories, precision, recall, depth)
    metrics = {name: stats[label] for name, label in _AP_LABELS}
    suffix = recall_suffix(max_dets, max_dets_per_cat)
    metrics.update({f'{name}@{suffix}': stats[label] for name, label in _AR_LABELS})
    return LVISEvalResult(iou_type, metrics, gt.categories, _per_category_ap(precision),
                          segm_area if iou_type in MASK_IOU_TYPES else None, counted[0],
                          max_dets, max_dets_per_cat)
