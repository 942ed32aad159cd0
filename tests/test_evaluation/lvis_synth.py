"""Synthetic LVIS-format ground truth and detections for the evaluation tests and benchmark.

The generator covers the cases a federated evaluator must get right: images without ground
truth and without negatives, categories of every frequency group (some without any val
ground truth), ``not_exhaustive_category_ids``, detections that are noisy copies of the
ground truth, exact duplicates (score ties), false positives on negative and on unrelated
categories, and images with more than 300 detections. Masks are polygons in the ground truth
and compressed RLE in the detections, both made with pycocotools. Deterministic under a seed.
"""
import json
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pycocotools.mask as mask_utils

Json = Dict[str, Any]


def _polygon(rng: np.random.Generator, cx: float, cy: float, rx: float, ry: float,
             w: int, h: int) -> List[float]:
    """A star-shaped polygon around ``(cx, cy)``, clipped to the image."""
    n = int(rng.integers(5, 11))
    ang = np.sort(rng.uniform(0, 2 * np.pi, n))
    rad = rng.uniform(0.6, 1.0, n)
    xs = np.clip(cx + rx * rad * np.cos(ang), 0, w)
    ys = np.clip(cy + ry * rad * np.sin(ang), 0, h)
    return np.round(np.stack([xs, ys], 1).reshape(-1), 2).tolist()


def _rle(poly: List[float], h: int, w: int) -> Dict[str, Any]:
    rle = mask_utils.merge(mask_utils.frPyObjects([poly], h, w))
    return rle


def _categories(rng: np.random.Generator, num_cats: int) -> List[Json]:
    ids = np.sort(rng.choice(np.arange(1, 3 * num_cats + 1), num_cats, replace=False))
    freq = rng.choice(['r', 'c', 'f'], num_cats, p=[0.35, 0.4, 0.25])
    cats = []
    for cid, f in zip(ids.tolist(), freq.tolist()):
        count = {'r': rng.integers(1, 11), 'c': rng.integers(11, 101),
                 'f': rng.integers(101, 1000)}[f]
        cats.append(dict(id=cid, name=f'cat_{cid}', synset=f'cat_{cid}.n.01', frequency=f,
                         image_count=int(count), instance_count=int(count * 2)))
    return cats


def make_lvis_gt(num_images: int = 40, num_cats: int = 30, seed: int = 0,
                 size_range: Tuple[int, int] = (120, 480)) -> Json:
    """LVIS v1-format ground truth with polygons, negatives and not-exhaustive lists.

    About 15% of the images have no ground truth; a third of those also have no negatives.
    The last ``num_cats // 6`` categories never get val ground truth.
    """
    rng = np.random.default_rng(seed)
    cats = _categories(rng, num_cats)
    cat_ids = [c['id'] for c in cats]
    usable = cat_ids[:num_cats - num_cats // 6]
    img_ids = np.sort(rng.choice(np.arange(1, 50 * num_images), num_images, replace=False))
    images, anns = [], []
    for img_id in img_ids.tolist():
        w, h = (int(v) for v in rng.integers(size_range[0], size_range[1] + 1, 2))
        empty = rng.random() < 0.15
        pos = [] if empty else rng.choice(usable, min(int(rng.integers(1, 6)), len(usable)),
                                          replace=False).tolist()
        for cid in pos:
            for _ in range(int(rng.integers(1, 5))):
                scale = float(np.exp(rng.uniform(np.log(3), np.log(min(w, h) / 2))))
                cx, cy = rng.uniform(0, w), rng.uniform(0, h)
                poly = _polygon(rng, cx, cy, scale, scale * rng.uniform(0.5, 1.5), w, h)
                rle = _rle(poly, h, w)
                area = float(mask_utils.area(rle))
                if area < 1:
                    continue
                bbox = [float(v) for v in mask_utils.toBbox(rle)]
                anns.append(dict(id=len(anns) + 1, image_id=img_id, category_id=int(cid),
                                 segmentation=[poly], area=area, bbox=bbox))
        others = [c for c in cat_ids if c not in pos]
        n_neg = 0 if (empty and rng.random() < 0.35) else min(int(rng.integers(0, 6)),
                                                              len(others))
        neg = sorted(rng.choice(others, n_neg, replace=False).tolist()) if n_neg else []
        nel = sorted(c for c in pos if rng.random() < 0.2)
        images.append(dict(id=img_id, width=w, height=h, file_name=f'{img_id:012d}.jpg',
                           neg_category_ids=[int(c) for c in neg],
                           not_exhaustive_category_ids=[int(c) for c in nel]))
    return dict(info=dict(description='ltr_mm synthetic LVIS'), licenses=[], images=images,
                annotations=anns, categories=cats)


def _jitter_poly(rng: np.random.Generator, poly: List[float], w: int, h: int,
                 noise: float) -> List[float]:
    pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
    ctr = pts.mean(0)
    size = max(float(np.ptp(pts[:, 0])), float(np.ptp(pts[:, 1])), 1.0)
    pts = ctr + (pts - ctr) * rng.uniform(1 - noise, 1 + noise) + rng.normal(0, noise * size, 2)
    pts[:, 0] = np.clip(pts[:, 0], 0, w)
    pts[:, 1] = np.clip(pts[:, 1], 0, h)
    return np.round(pts.reshape(-1), 2).tolist()


def _det(rng: np.random.Generator, img: Json, cid: int, poly: List[float], score: float,
         with_masks: bool) -> Json:
    h, w = img['height'], img['width']
    rle = _rle(poly, h, w)
    box = mask_utils.toBbox(rle).tolist()
    if box[2] <= 0 or box[3] <= 0:
        xs, ys = poly[0::2], poly[1::2]
        box = [min(xs), min(ys), max(max(xs) - min(xs), 0.5), max(max(ys) - min(ys), 0.5)]
    det = dict(image_id=img['id'], category_id=int(cid), bbox=[round(v, 2) for v in box],
               score=score)
    if with_masks:
        det['segmentation'] = dict(size=[h, w], counts=rle['counts'].decode('ascii'))
    return det


def make_detections(gt: Json, seed: int = 1, mean_dets: int = 40, crowded_frac: float = 0.1,
                    crowded_dets: int = 420, with_masks: bool = True,
                    max_per_image: Optional[int] = None, hot_cats: int = 0,
                    hot_frac: float = 0.0) -> List[Json]:
    """Noisy detections for ``gt`` in LVIS results format (``bbox`` xywh and RLE masks).

    Per image: jittered copies of the ground truth (mostly right, sometimes wrong class),
    exact duplicates with tied scores, false positives on the image's negative categories
    and on categories that are neither positive nor negative. A ``crowded_frac`` share of
    images gets ``crowded_dets`` detections so the 300-per-image cut matters. With
    ``hot_frac > 0``, that share of the false positives goes to the first ``hot_cats``
    categories, so a per-category cap over the dataset acts on them.
    """
    rng = np.random.default_rng(seed)
    cat_ids = [c['id'] for c in gt['categories']]
    by_img: Dict[int, List[Json]] = {}
    for ann in gt['annotations']:
        by_img.setdefault(ann['image_id'], []).append(ann)
    dets: List[Json] = []
    for img in gt['images']:
        w, h = img['width'], img['height']
        target = crowded_dets if rng.random() < crowded_frac else int(rng.poisson(mean_dets))
        if max_per_image is not None:
            target = min(target, max_per_image)
        out: List[Json] = []
        for ann in by_img.get(img['id'], []):
            for _ in range(int(rng.integers(0, 4))):
                cid = ann['category_id'] if rng.random() < 0.85 else int(rng.choice(cat_ids))
                poly = _jitter_poly(rng, ann['segmentation'][0], w, h, rng.uniform(0.02, 0.3))
                out.append(_det(rng, img, cid, poly, float(rng.uniform(0.05, 1.0)), with_masks))
        if out and rng.random() < 0.5:
            out.append(dict(out[int(rng.integers(len(out)))]))  # exact duplicate: score tie
        neg = img['neg_category_ids']
        while len(out) < target:
            kind = rng.random()
            if hot_frac > 0 and rng.random() < hot_frac:
                cid = int(cat_ids[int(rng.integers(hot_cats))])
            elif neg and kind < 0.3:
                cid = int(rng.choice(neg))
            elif kind < 0.5 and by_img.get(img['id']):
                cid = int(rng.choice([a['category_id'] for a in by_img[img['id']]]))
            else:
                cid = int(rng.choice(cat_ids))
            scale = float(np.exp(rng.uniform(np.log(3), np.log(min(w, h) / 2))))
            poly = _polygon(rng, rng.uniform(0, w), rng.uniform(0, h), scale, scale, w, h)
            score = float(rng.uniform(0.0, 0.6))
            if rng.random() < 0.05:
                score = round(score, 2)  # coarse scores: ties across images
            out.append(_det(rng, img, cid, poly, score, with_masks))
        order = rng.permutation(len(out))
        dets.extend(out[i] for i in order)
    return dets


def restrict_gt(gt: Json, img_ids: List[int]) -> Json:
    """``gt`` with only the images in ``img_ids`` and their annotations (all categories)."""
    keep = set(img_ids)
    return dict(gt, images=[i for i in gt['images'] if i['id'] in keep],
                annotations=[a for a in gt['annotations'] if a['image_id'] in keep])


def write_json(obj: Any, path: str) -> str:
    """Write ``obj`` as json to ``path`` and return the path."""
    with open(path, 'w') as f:
        json.dump(obj, f)
    return path
