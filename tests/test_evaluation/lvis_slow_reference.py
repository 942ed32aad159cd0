"""A slow LVIS evaluator in plain Python loops, written from the protocol's rules.

It shares no code with ltr_mm's evaluator: every (image, category, area range) is matched
by hand, per category the matches are accumulated into precision and recall, and the summary
numbers are means over what can be measured. It covers the standard protocol (300 per
image), Fixed AP (per-category cap), both caps together, and the ``boundary`` iou type with
boundaries made by repeated 3x3 erosions in numpy. IoUs of boxes and RLE masks come from
pycocotools.
"""
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pycocotools.mask as mask_utils

Json = Dict[str, Any]
IOU_THRS = np.linspace(0.5, 0.95, 10)
REC_THRS = np.linspace(0.0, 1.0, 101)
AREAS = {'all': (0, 1e10), 'small': (0, 32 ** 2), 'medium': (32 ** 2, 96 ** 2),
         'large': (96 ** 2, 1e10)}


def erode_3x3(mask: np.ndarray) -> np.ndarray:
    """One erosion by a 3x3 square; pixels outside the array count as 1."""
    h, w = mask.shape
    padded = np.ones((h + 2, w + 2), dtype=np.uint8)
    padded[1:-1, 1:-1] = mask
    out = np.ones((h, w), dtype=np.uint8)
    for dy in range(3):
        for dx in range(3):
            out &= padded[dy:dy + h, dx:dx + w]
    return out


def boundary_by_erosions(mask: np.ndarray, ratio: float = 0.02) -> np.ndarray:
    """The mask minus its erosion, applied ``d`` times to the mask padded with zeros."""
    h, w = mask.shape
    d = max(1, int(round(ratio * np.sqrt(h * h + w * w))))
    work = np.zeros((h + 2, w + 2), dtype=np.uint8)
    work[1:-1, 1:-1] = mask
    for _ in range(d):
        work = erode_3x3(work)
    return mask.astype(np.uint8) - work[1:-1, 1:-1]


def apply_caps(dets: List[Json], max_dets: int, max_dets_per_cat: int) -> List[Json]:
    """Per image first (images in order of first appearance), then per category."""
    if max_dets >= 0:
        by_img: Dict[int, List[Json]] = {}
        for d in dets:
            by_img.setdefault(d['image_id'], []).append(d)
        dets = []
        for items in by_img.values():
            if len(items) > max_dets:
                items = sorted(items, key=lambda d: -d['score'])[:max_dets]
            dets.extend(items)
    if max_dets_per_cat >= 0:
        by_cat: Dict[int, List[Json]] = {}
        for d in dets:
            by_cat.setdefault(d['category_id'], []).append(d)
        dets = [d for items in by_cat.values()
                for d in sorted(items, key=lambda d: -d['score'])[:max_dets_per_cat]]
    return dets


def _gt_rle(ann: Json, img: Json) -> Json:
    return mask_utils.merge(mask_utils.frPyObjects(ann['segmentation'], img['height'],
                                                   img['width']))


def _ious(dts: List[Json], gts: List[Json], iou_type: str, ratio: float) -> np.ndarray:
    if not dts or not gts:
        return np.zeros((len(dts), len(gts)))
    if iou_type == 'bbox':
        return np.asarray(mask_utils.iou([d['bbox'] for d in dts], [g['bbox'] for g in gts],
                                         [0] * len(gts)))
    d_rle, g_rle = [d['rle'] for d in dts], [g['rle'] for g in gts]
    ious = np.asarray(mask_utils.iou(d_rle, g_rle, [0] * len(gts)))
    if iou_type == 'boundary':
        def bnd(rec: Json) -> Json:
            if 'brle' not in rec:
                b = boundary_by_erosions(mask_utils.decode(rec['rle']), ratio)
                rec['brle'] = mask_utils.encode(np.asfortranarray(b))
            return rec['brle']
        b_ious = np.asarray(mask_utils.iou([bnd(d) for d in dts], [bnd(g) for g in gts],
                                           [0] * len(gts)))
        for i in range(len(dts)):
            for j in range(len(gts)):
                ious[i, j] = min(ious[i, j], b_ious[i, j])
    return ious


def _match(dts: List[Json], gts: List[Json], ious: np.ndarray, rng: Tuple[float, float],
           not_exhaustive: bool) -> Tuple[List[float], np.ndarray, np.ndarray, int]:
    """Scores, matched flags [T, D], ignored flags [T, D] and the non-ignored gt count."""
    g_ig = [0 if rng[0] <= g['area'] <= rng[1] else 1 for g in gts]
    g_order = sorted(range(len(gts)), key=lambda j: g_ig[j])
    d_order = sorted(range(len(dts)), key=lambda i: -dts[i]['score'])
    matched = np.zeros((len(IOU_THRS), len(dts)), dtype=bool)
    ignored = np.zeros((len(IOU_THRS), len(dts)), dtype=bool)
    for t, thr in enumerate(IOU_THRS):
        taken = set()
        for di, i in enumerate(d_order):
            best, m = min(thr, 1 - 1e-10), -1
            for j in g_order:
                if j in taken:
                    continue
                if m > -1 and g_ig[m] == 0 and g_ig[j] == 1:
                    break
                if ious[i, j] < best:
                    continue
                best, m = ious[i, j], j
            if m > -1:
                taken.add(m)
                matched[t, di] = True
                ignored[t, di] = g_ig[m] == 1
            else:
                area = dts[i]['area']
                ignored[t, di] = area < rng[0] or area > rng[1] or not_exhaustive
    scores = [dts[i]['score'] for i in d_order]
    return scores, matched, ignored, sum(1 for v in g_ig if v == 0)


def _precision_recall(scores: List[float], matched: np.ndarray, ignored: np.ndarray,
                      num_gt: int) -> Tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-np.asarray(scores), kind='mergesort')
    precision = np.zeros((len(IOU_THRS), len(REC_THRS)))
    recall = np.zeros(len(IOU_THRS))
    for t in range(len(IOU_THRS)):
        tp = fp = 0
        rc, pr = [], []
        for i in order:
            if ignored[t, i]:
                tp_i = fp_i = 0
            else:
                tp_i, fp_i = int(matched[t, i]), int(not matched[t, i])
            tp, fp = tp + tp_i, fp + fp_i
            rc.append(tp / num_gt)
            pr.append(tp / (tp + fp + np.spacing(1)))
        recall[t] = rc[-1] if rc else 0
        for k in range(len(pr) - 1, 0, -1):
            pr[k - 1] = max(pr[k - 1], pr[k])
        for r, thr in enumerate(REC_THRS):
            k = next((k for k, v in enumerate(rc) if v >= thr), None)
            precision[t, r] = pr[k] if k is not None else 0.0
    return precision, recall


def reference_eval(gt: Json, results: List[Json], iou_type: str, max_dets: int = 300,
                   max_dets_per_cat: int = -1, segm_area: str = 'mask',
                   ratio: float = 0.02) -> Tuple[Dict[str, float], np.ndarray]:
    """Summary metrics (keys as the official code names them) and per-category AP."""
    imgs = {img['id']: img for img in gt['images']}
    dets = [dict(d) for d in apply_caps(results, max_dets, max_dets_per_cat)]
    for d in dets:
        if iou_type != 'bbox':
            d['rle'] = d['segmentation']
        if iou_type == 'bbox' or segm_area == 'box':
            d['area'] = d['bbox'][2] * d['bbox'][3]
        else:
            d['area'] = float(mask_utils.area(d['rle']))
    gts = [dict(a) for a in gt['annotations'] if 0 < a['area'] < np.inf]
    if iou_type != 'bbox':
        for g in gts:
            g['rle'] = _gt_rle(g, imgs[g['image_id']])
    positive = defaultdict(set)
    gt_of: Dict[Tuple[int, int], List[Json]] = defaultdict(list)
    for g in gts:
        positive[g['image_id']].add(g['category_id'])
        gt_of[g['image_id'], g['category_id']].append(g)
    dt_of: Dict[Tuple[int, int], List[Json]] = defaultdict(list)
    for d in dets:
        img = imgs[d['image_id']]
        if not 0 < d['area'] < np.inf:
            continue
        if d['category_id'] in positive[img['id']] or d['category_id'] in img['neg_category_ids']:
            dt_of[d['image_id'], d['category_id']].append(d)
    cats = sorted(gt['categories'], key=lambda c: c['id'])
    img_ids = sorted(imgs)
    precision = -np.ones((len(IOU_THRS), len(REC_THRS), len(cats), len(AREAS)))
    recall = -np.ones((len(IOU_THRS), len(cats), len(AREAS)))
    for k, cat in enumerate(cats):
        ious = {i: _ious(dt_of[i, cat['id']], gt_of[i, cat['id']], iou_type, ratio)
                for i in img_ids}
        for a, rng in enumerate(AREAS.values()):
            scores: List[float] = []
            matched, ignored, num_gt = [], [], 0
            for i in img_ids:
                dts, gs = dt_of[i, cat['id']], gt_of[i, cat['id']]
                if not dts and not gs:
                    continue
                nel = cat['id'] in imgs[i]['not_exhaustive_category_ids']
                s, m, ig, n = _match(dts, gs, ious[i], rng, nel)
                scores += s
                matched.append(m)
                ignored.append(ig)
                num_gt += n
            if num_gt == 0:
                continue
            p, r = _precision_recall(scores, np.concatenate(matched, 1),
                                     np.concatenate(ignored, 1), num_gt)
            precision[:, :, k, a], recall[:, k, a] = p, r
    return summarize(cats, precision, recall, max_dets, max_dets_per_cat)


def _mean(values: np.ndarray) -> float:
    valid = values[values > -1]
    return float(np.mean(valid)) if len(valid) else -1.0


def summarize(cats: List[Json], precision: np.ndarray, recall: np.ndarray, max_dets: int,
              max_dets_per_cat: int) -> Tuple[Dict[str, float], np.ndarray]:
    """The 13 summary numbers and the per-category AP (NaN without ground truth)."""
    if max_dets_per_cat < 0:
        suffix = f'{max_dets}'
    elif max_dets < 0:
        suffix = f'{max_dets_per_cat}/cat'
    else:
        suffix = f'{max_dets}/im,{max_dets_per_cat}/cat'
    out = dict(AP=_mean(precision[..., 0]), AP50=_mean(precision[0, ..., 0]),
               AP75=_mean(precision[5, ..., 0]), APs=_mean(precision[..., 1]),
               APm=_mean(precision[..., 2]), APl=_mean(precision[..., 3]))
    for f in 'rcf':
        idx = [k for k, c in enumerate(cats) if c['frequency'] == f]
        out[f'AP{f}'] = _mean(precision[:, :, idx, 0])
    for name, a in (('AR', 0), ('ARs', 1), ('ARm', 2), ('ARl', 3)):
        out[f'{name}@{suffix}'] = _mean(recall[:, :, a])
    per_cat = np.array([_mean(precision[:, :, k, 0]) for k in range(len(cats))])
    return out, np.where(per_cat == -1, np.nan, per_cat)


def results_of(dets: List[Json], iou_type: str, segm_area: str = 'mask',
               keep: Optional[str] = None) -> List[Json]:
    """Result records as a file for ``iou_type`` holds them (box only, masks only, both)."""
    out = []
    for d in dets:
        rec = dict(d)
        if iou_type == 'bbox':
            rec.pop('segmentation', None)
        elif segm_area == 'mask' and keep != 'both':
            rec.pop('bbox', None)
        out.append(rec)
    return out
