"""A seeded LVIS-v1-sized annotation file with a long-tailed category distribution.

Categories follow LVIS v1 train's split: 337 rare (1-10 training images each), 461 common
(11-100) and 405 frequent classes (scaled to another category count). Rare image counts are
uniform on 1..10, common ones log-uniform on 11..100, frequent ones a power law
``n_k ~ k^-0.8`` scaled so that the frequent classes cover 3.3 image-category pairs per
image (LVIS v1 train: about 3.5 categories per image). Every (image, category) pair holds a
geometric number of instances whose mean gives ``--anns`` annotations in total (LVIS v1 train:
1.27M). Images are 640 x 480 (or 480 x 640, 640 x 427), boxes lie inside them, and every
annotation has ``area = w * h`` and one 4-point polygon (8 coordinates; real LVIS polygons are
longer). Categories carry ``frequency``, ``image_count`` and ``instance_count`` and, for 1,203
categories, mmdet's LVIS v1 class names. An empty file per image is written under
``train2017/`` so the dataset's missing-image check runs for real.
"""
import json
import os
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

SPLIT_1203 = (337, 461, 405)  # rare, common, frequent categories of LVIS v1 train
SIZES = ((640, 480), (480, 640), (640, 427))


def image_counts(rng: np.random.Generator, num_cats: int, num_images: int) -> np.ndarray:
    """Training images per category, shuffled over the category ids."""
    n_r = round(SPLIT_1203[0] * num_cats / sum(SPLIT_1203))
    n_c = round(SPLIT_1203[1] * num_cats / sum(SPLIT_1203))
    n_f = num_cats - n_r - n_c
    rare = rng.integers(1, 11, n_r)
    common = np.round(np.exp(rng.uniform(np.log(11), np.log(100.99), n_c))).astype(np.int64)
    raw = np.arange(1, n_f + 1, dtype=np.float64) ** -0.8
    frequent = np.maximum(101, np.round(raw * 3.3 * num_images / raw.sum())).astype(np.int64)
    counts = np.minimum(np.concatenate([frequent, common, rare]), num_images)
    rng.shuffle(counts)
    return counts


def class_names(num_cats: int) -> List[str]:
    """mmdet's LVIS v1 class names for 1,203 categories, else ``cat_0001``..."""
    if num_cats == 1203:
        from mmdet.datasets import LVISV1Dataset
        return list(LVISV1Dataset.METAINFO['classes'])
    return [f'cat_{i:04d}' for i in range(1, num_cats + 1)]


def _annotations(rng: np.random.Generator, counts: np.ndarray, num_images: int,
                 num_anns: int, sizes: np.ndarray) -> Dict[str, np.ndarray]:
    """Columns of every annotation, ordered by image."""
    mean = max(1.0, num_anns / counts.sum())
    img, cat = [], []
    for c, n in enumerate(counts):
        chosen = rng.choice(num_images, size=int(n), replace=False)
        reps = rng.geometric(1 / mean, size=int(n))
        img.append(np.repeat(chosen, reps))
        cat.append(np.full(int(reps.sum()), c, dtype=np.int64))
    img, cat = np.concatenate(img), np.concatenate(cat)
    order = np.argsort(img, kind='stable')
    img, cat = img[order], cat[order]
    wh = sizes[img].astype(np.float64)
    box_wh = np.round(rng.uniform(0.02, 0.6, (len(img), 2)) * wh, 2)
    xy = np.round(rng.uniform(0, 1, (len(img), 2)) * (wh - box_wh), 2)
    return dict(img=img, cat=cat, xy=xy, wh=box_wh)


def generate(folder: str, num_images: int, num_cats: int, num_anns: int, seed: int) -> Dict:
    """Write ``folder/lvis_v1_train.json`` and the empty image files; return statistics."""
    rng = np.random.default_rng(seed)
    counts = image_counts(rng, num_cats, num_images)
    sizes = np.array(SIZES)[rng.integers(0, len(SIZES), num_images)]
    cols = _annotations(rng, counts, num_images, num_anns, sizes)
    names = class_names(num_cats)
    instances = np.bincount(cols['cat'], minlength=num_cats)
    categories = [dict(id=c + 1, name=names[c], synset=f'{names[c]}.n.01', image_count=int(n),
                       instance_count=int(instances[c]),
                       frequency='r' if n <= 10 else 'c' if n <= 100 else 'f')
                  for c, n in enumerate(counts)]
    negs = rng.integers(1, num_cats + 1, (num_images, 5)).tolist()
    images = [dict(id=i + 1, width=int(w), height=int(h), neg_category_ids=negs[i],
                   not_exhaustive_category_ids=[],
                   coco_url=f'http://images.cocodataset.org/train2017/{i + 1:012d}.jpg')
              for i, (w, h) in enumerate(sizes.tolist())]
    annotations: List[Dict[str, Any]] = []
    for k, (i, c, (x, y), (w, h)) in enumerate(zip(cols['img'].tolist(), cols['cat'].tolist(),
                                                   cols['xy'].tolist(), cols['wh'].tolist())):
        annotations.append(dict(id=k + 1, image_id=i + 1, category_id=c + 1, bbox=[x, y, w, h],
                                area=round(w * h, 2),
                                segmentation=[[x, y, x + w, y, x + w, y + h, x, y + h]]))
    out = Path(folder)
    (out / 'train2017').mkdir(parents=True, exist_ok=True)
    with open(out / 'lvis_v1_train.json', 'w') as f:
        json.dump(dict(images=images, annotations=annotations, categories=categories), f,
                  separators=(',', ':'))
    for i in range(1, num_images + 1):
        os.close(os.open(out / 'train2017' / f'{i:012d}.jpg', os.O_CREAT | os.O_WRONLY))
    freq = [c['frequency'] for c in categories]
    return dict(images=num_images, categories=num_cats, annotations=len(annotations),
                pairs=int(counts.sum()), rare=freq.count('r'), common=freq.count('c'),
                frequent=freq.count('f'), max_image_count=int(counts.max()),
                file_mb=round((out / 'lvis_v1_train.json').stat().st_size / 2**20, 1))
