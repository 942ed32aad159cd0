"""Build a long-tailed LVIS v1-format detection and instance segmentation set.

Real Fashion-MNIST items (train split for training images, t10k split for validation images,
the train-split items that no training image uses for held-out images) are scaled 0.8x-3x,
tinted and pasted onto plain, noise or texture canvases of random size (160 to
``--max-size`` px a side), 1 to 6 objects per image, without overlaps (rejection sampling
keeps boxes 2 px apart, so no mask is occluded). An object's mask is its scaled pixels
brighter than 30; the pasted alpha is that mask, the box is the tight box of the mask.

Category frequencies in the training images follow a long-tailed plan by class order
(``t-shirt_top`` most frequent, ``ankle_boot`` rarest): with 3000 images 5 categories are
frequent (> 100 training images), 3 common (11-100) and 2 rare (1-10); ``--tiny`` (120 / 40
images) has 1 frequent, 7 common and 2 rare ones. Validation images are class-balanced: every
category is placed in about 30 % of them. The held-out split (``--num-heldout``, default 300;
20 with ``--tiny``) is built like the validation split; it is rendered after the other two, so
adding or removing it leaves the training and validation files unchanged. It is where a
test-time knob such as TDE's ``alpha`` is chosen (``tools/analysis_tools/knob_sweep.py``),
never on the validation split that the benchmarks report. ``frequency``, ``image_count`` and
``instance_count`` are counted from the generated training annotations (0 or 1-10 images: 'r',
11-100: 'c', more: 'f') and written to every annotation file.

Usage::

    python tools/dataset_converters/make_lt_detection.py   # 3000 train / 500 val / 300 held-out
    python tools/dataset_converters/make_lt_detection.py --tiny --out data/fashion_lvis_tiny

Output (paths relative to ``--out``)::

    train/000000000001.png ...   RGB canvases, ids from 1, val ids continue after train
    val/000000003001.png ...
    heldout/000000003501.png ...
    annotations/lvis_v1_train.json, annotations/lvis_v1_val.json, annotations/lvis_v1_heldout.json

Each image has ``id``, ``width``, ``height``, ``coco_url`` (the relative path, from which mmdet
derives ``file_name``), ``flickr_url`` (same path), ``license``, ``date_captured``,
``neg_category_ids`` (1-3 categories absent from the image) and
``not_exhaustive_category_ids`` (one present category in about 5 % of the images). Annotation
ids start at 1. ``bbox`` is ``[x, y, w, h]`` in pixels (a pixel (i, j) lies inside when
``x <= i < x + w`` and ``y <= j < y + h``), ``area`` is the mask pixel count and
``segmentation`` is a list of polygons with integer vertices on pixel corners: the mask is
cut into row-stacked strips without holes and each strip is traced along its pixel edges, so
the union of the polygons is exactly the mask. The same arguments give identical files.
"""
import argparse
import copy
import json
import math
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image
from tqdm import tqdm

from ltr_mm.datasets.fashion_mnist_idx import load_split

DEFAULT_SRC = '/usr/share/datasets/fashion-mnist'
NAMES = ('t-shirt_top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker',
         'bag', 'ankle_boot')
DEFS = ('a T-shirt or top', 'a pair of trousers', 'a pullover', 'a dress', 'a coat',
        'a sandal', 'a shirt', 'a sneaker', 'a bag', 'an ankle boot')
THRESHOLD = 30
MIN_SIDE, MAX_SIDE = round(0.8 * 28), 3 * 28
MAX_OBJECTS = 6
GAP = 2
TINY = {'num_train': 120, 'num_val': 40, 'num_heldout': 20}
FULL = {'num_train': 3000, 'num_val': 500, 'num_heldout': 300}
Box = Tuple[int, int, int, int]


def _geometric(top: float, bottom: float, n: int) -> List[float]:
    """``n`` values falling geometrically from ``top`` to ``bottom``."""
    if n == 1:
        return [top]
    return [top * (bottom / top)**(i / (n - 1)) for i in range(n)]


def train_targets(num_images: int) -> List[int]:
    """Planned number of training images per category (category order = frequency order).

    Two rare categories (8 and 3 images), up to five frequent ones (> 100 images, one per 500
    training images, at least one when ``num_images > 110``) and common ones (80 down to 15
    images, fewer when the set is small) in between.

    Args:
        num_images: number of training images.

    Returns:
        list[int]: one target per category.
    """
    n_f = min(5, max(1, num_images // 500)) if num_images > 110 else 0
    n_c = len(NAMES) - 2 - n_f
    top_f = max(round(0.5 * num_images), 110)
    frequent = _geometric(top_f, max(120, 0.06 * num_images), n_f)
    common = _geometric(min(80, max(15, round(0.4 * num_images))), 15, n_c)
    targets = [round(t) for t in frequent + common] + [8, 3]
    return [min(t, num_images) for t in targets]


def val_targets(num_images: int) -> List[int]:
    """Balanced plan for validation: each category in about 30 % of the images."""
    return [max(1, round(0.3 * num_images))] * len(NAMES)


def assign_categories(rng: np.random.RandomState, num_images: int,
                      targets: Sequence[int]) -> List[List[int]]:
    """Choose which categories (0-based) each image shows.

    Categories are placed rarest first, each into ``targets[c]`` random images that still show
    fewer than ``MAX_OBJECTS`` categories; images left empty get one category drawn in
    proportion to the targets of the frequent categories (> 100 images; the most frequent
    category when there is none), so common and rare targets are met exactly as long as
    enough images have room.

    Returns:
        list[list[int]]: sorted category indices per image.
    """
    cats: List[List[int]] = [[] for _ in range(num_images)]
    for c in np.argsort(targets, kind='stable'):
        room = [i for i in range(num_images) if len(cats[i]) < MAX_OBJECTS]
        take = min(int(targets[c]), len(room))
        for i in rng.choice(len(room), take, replace=False):
            cats[room[i]].append(int(c))
    weights = np.asarray([t if t > 100 else 0 for t in targets], dtype=np.float64)
    if not weights.any():
        weights[int(np.argmax(targets))] = 1
    weights /= weights.sum()
    for image_cats in cats:
        if not image_cats:
            image_cats.append(int(rng.choice(len(NAMES), p=weights)))
    return [sorted(c) for c in cats]


def make_background(rng: np.random.RandomState, height: int, width: int) -> np.ndarray:
    """A plain, noisy, striped, checkered or gradient RGB background (uint8, H x W x 3)."""
    base = rng.randint(0, 256, 3).astype(np.float32)
    kind = rng.choice(['plain', 'noise', 'stripes', 'checker', 'gradient'])
    img = np.broadcast_to(base, (height, width, 3)).astype(np.float32)
    if kind in ('stripes', 'checker', 'gradient'):
        other = rng.randint(0, 256, 3).astype(np.float32)
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        if kind == 'stripes':
            angle, period = rng.uniform(0, np.pi), rng.uniform(6, 30)
            t = (np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period) > 0)
        elif kind == 'checker':
            cell = rng.randint(6, 33)
            t = ((xx // cell + yy // cell) % 2).astype(bool)
        else:
            t = xx / max(width - 1, 1)
        t = np.asarray(t, dtype=np.float32)[..., None]
        img = img * (1 - t) + other * t
    if kind == 'noise':
        amp = rng.randint(10, 41)
        channels = 3 if rng.randint(2) else 1
        img = img + rng.randint(-amp, amp + 1, (height, width, channels)).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def render_object(item: np.ndarray, side: int,
                  flip: bool) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """Scale a 28x28 grey item to ``side`` px and cut it to the tight box of its mask.

    Returns:
        tuple | None: ``(grey, mask)`` crops, or None if fewer than 16 pixels pass the
        threshold.
    """
    grey = Image.fromarray(item[:, ::-1] if flip else item, mode='L')
    grey = np.asarray(grey.resize((side, side), Image.BILINEAR))
    mask = grey > THRESHOLD
    if mask.sum() < 16:
        return None
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    crop = np.s_[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    return grey[crop], mask[crop]


def _runs_by_row(mask: np.ndarray) -> List[List[Tuple[int, int]]]:
    """``[start, end)`` column runs of True in each row of a bool mask."""
    edges = np.diff(np.pad(mask.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, cols = np.nonzero(edges)  # row-major: a start and an end per run, in column order
    runs: List[List[Tuple[int, int]]] = [[] for _ in range(mask.shape[0])]
    for y, a, b in zip(rows[0::2].tolist(), cols[0::2].tolist(), cols[1::2].tolist()):
        runs[y].append((a, b))
    return runs


def _strips(mask: np.ndarray) -> List[List[Tuple[int, int, int]]]:
    """Cut a mask into strips of ``(row, start, end)`` runs, one run per row.

    A run continues the strip of the run above when each of the two overlaps only the other,
    so consecutive runs of a strip share a column and a strip has no hole.
    """
    strips: List[List[Tuple[int, int, int]]] = []
    prev: List[Tuple[int, int, int]] = []  # (start, end, strip index) of the row above
    for y, runs in enumerate(_runs_by_row(mask)):
        cur = []
        for a, b in runs:
            above = [p for p in prev if p[0] < b and a < p[1]]
            below = [r for r in runs if above and above[0][0] < r[1] and r[0] < above[0][1]]
            if len(above) == 1 and len(below) == 1:
                index = above[0][2]
            else:
                index = len(strips)
                strips.append([])
            strips[index].append((y, a, b))
            cur.append((a, b, index))
        prev = cur
    return strips


def _redundant(p0: Tuple[int, int], p1: Tuple[int, int], p2: Tuple[int, int]) -> bool:
    """Whether ``p1`` repeats ``p0`` or lies on an axis-aligned line through its neighbours."""
    return p1 == p0 or p0[0] == p1[0] == p2[0] or p0[1] == p1[1] == p2[1]


def _simplify(points: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Drop repeated and collinear vertices of a closed axis-aligned polygon."""
    out: List[Tuple[int, int]] = []
    for p in points:
        while len(out) >= 2 and _redundant(out[-2], out[-1], p):
            out.pop()
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 4:  # the seam between the last and the first vertex
        if _redundant(out[-2], out[-1], out[0]):
            out.pop()
        elif _redundant(out[-1], out[0], out[1]):
            out.pop(0)
        else:
            break
    return out


def mask_to_polygons(mask: np.ndarray, x0: int = 0, y0: int = 0) -> List[List[int]]:
    """Polygons whose union is exactly ``mask`` (vertices on pixel corners).

    Args:
        mask: bool mask.
        x0: column offset added to every x.
        y0: row offset added to every y.

    Returns:
        list[list[int]]: ``[x1, y1, x2, y2, ...]`` per strip (see :func:`_strips`).
    """
    polygons = []
    for strip in _strips(mask):
        right = [p for y, _, b in strip for p in ((b, y), (b, y + 1))]
        left = [p for y, a, _ in reversed(strip) for p in ((a, y + 1), (a, y))]
        points = _simplify(right + left)
        polygons.append([v for x, y in points for v in (x + x0, y + y0)])
    return polygons


def _free(box: Box, boxes: Sequence[Box]) -> bool:
    """Whether ``box`` keeps ``GAP`` px away from every box in ``boxes``."""
    x, y, w, h = box
    return all(x >= bx + bw + GAP or bx >= x + w + GAP or y >= by + bh + GAP
               or by >= y + h + GAP for bx, by, bw, bh in boxes)


def _place(rng: np.random.RandomState, shape: Tuple[int, int], size: Tuple[int, int],
           boxes: Sequence[Box], tries: int = 60) -> Optional[Tuple[int, int]]:
    """A random free top-left corner for an ``(h, w)`` object, or None."""
    (height, width), (h, w) = shape, size
    if h > height or w > width:
        return None
    for _ in range(tries):
        x, y = rng.randint(0, width - w + 1), rng.randint(0, height - h + 1)
        if _free((x, y, w, h), boxes):
            return x, y
    return None


class ItemPool:
    """Cycles through a seeded permutation of one split's items of each category.

    Args:
        rng: random state that draws the permutations.
        images: ``(N, 28, 28)`` uint8 items of the split.
        labels: ``(N,)`` labels of the items.
    """

    def __init__(self, rng: np.random.RandomState, images: np.ndarray,
                 labels: np.ndarray) -> None:
        self.images = images
        self.order = [rng.permutation(np.flatnonzero(labels == c)) for c in range(len(NAMES))]
        self.next = [0] * len(NAMES)

    def unused(self) -> 'ItemPool':
        """A pool of the items this one has not handed out yet (same order, from the start)."""
        rest = copy.copy(self)
        rest.order = [order[used:] for order, used in zip(self.order, self.next)]
        empty = [NAMES[c] for c, order in enumerate(rest.order) if not len(order)]
        if empty:
            raise ValueError(f'no unused Fashion-MNIST items of {empty} are left for the '
                             'held-out split; use fewer training images')
        rest.next = [0] * len(NAMES)
        return rest

    def take(self, cat: int) -> np.ndarray:
        """The next 28x28 item of category ``cat``."""
        order = self.order[cat]
        item = self.images[order[self.next[cat] % len(order)]]
        self.next[cat] += 1
        return item


def _paste(rng: np.random.RandomState, canvas: np.ndarray, pool: ItemPool, cat: int,
           max_side: int, boxes: List[Box]) -> Optional[Dict[str, Any]]:
    """Paste one object of ``cat`` at a free spot; shrink on failure. Returns its annotation."""
    side = int(round(28 * rng.uniform(0.8, 3.0)))
    side = max(MIN_SIDE, min(side, max_side))
    for _ in range(4):
        rendered = render_object(pool.take(cat), side, bool(rng.randint(2)))
        if rendered is None:
            continue
        grey, mask = rendered
        spot = _place(rng, canvas.shape[:2], mask.shape, boxes)
        if spot is None:
            side = max(MIN_SIDE, int(side * 0.75))
            continue
        (x, y), (h, w) = spot, mask.shape
        color = rng.randint(40, 256, 3).astype(np.float32)
        tinted = (grey[..., None].astype(np.float32) / 255 * color).astype(np.uint8)
        canvas[y:y + h, x:x + w][mask] = tinted[mask]
        boxes.append((x, y, w, h))
        return dict(category_id=cat + 1, bbox=[x, y, w, h], area=int(mask.sum()),
                    segmentation=mask_to_polygons(mask, x, y))
    return None


def make_image(rng: np.random.RandomState, pool: ItemPool, cats: Sequence[int],
               max_size: int) -> Tuple[np.ndarray, List[Dict[str, Any]]]:
    """Render one canvas showing ``cats`` (each at least once, 1-6 objects in all).

    Required objects are placed first; an object without a free spot after four tries (at
    shrinking sizes) is left out, so annotations, not the plan, define what an image shows.

    Returns:
        tuple: RGB image and annotations without ``id`` / ``image_id``.
    """
    low = min(160, max_size)
    height, width = rng.randint(low, max_size + 1), rng.randint(low, max_size + 1)
    canvas = make_background(rng, height, width)
    num = max(len(cats), rng.randint(1, MAX_OBJECTS + 1))
    extra = [int(c) for c in rng.choice(cats, num - len(cats))]
    max_side = int(math.sqrt(0.4 * height * width / num))
    max_side = max(MIN_SIDE, min(MAX_SIDE, max_side, min(height, width) - 2 * GAP))
    boxes: List[Box] = []
    anns = [_paste(rng, canvas, pool, cat, max_side, boxes) for cat in list(cats) + extra]
    return canvas, [a for a in anns if a is not None]


def _image_record(image_id: int, split: str, shape: Tuple[int, ...]) -> Dict[str, Any]:
    """LVIS image entry (federated fields are filled in by the caller)."""
    path = f'{split}/{image_id:012d}.png'
    return dict(id=image_id, width=int(shape[1]), height=int(shape[0]), coco_url=path,
                flickr_url=path, license=1, date_captured='2017-08-25 00:00:00',
                neg_category_ids=[], not_exhaustive_category_ids=[])


def _federated(rng: np.random.RandomState, image: Dict[str, Any], present: Sequence[int]) -> None:
    """Fill ``neg_category_ids`` (1-3 absent ids) and, rarely, one not-exhaustive id."""
    absent = [c for c in range(1, len(NAMES) + 1) if c not in present]
    take = min(len(absent), rng.randint(1, 4))
    image['neg_category_ids'] = sorted(int(c) for c in rng.choice(absent, take, replace=False))
    if rng.uniform() < 0.05:
        image['not_exhaustive_category_ids'] = [int(rng.choice(sorted(present)))]


def make_split(rng: np.random.RandomState, out: Path, split: str, pool: ItemPool,
               plan: Sequence[Sequence[int]], first_image_id: int, first_ann_id: int,
               max_size: int) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Render and save one split; returns its image and annotation records."""
    (out / split).mkdir(parents=True, exist_ok=True)
    images, anns = [], []
    for offset, cats in enumerate(tqdm(plan, desc=f'{split} images', unit='img')):
        canvas, objects = make_image(rng, pool, cats, max_size)
        image = _image_record(first_image_id + offset, split, canvas.shape)
        Image.fromarray(canvas, mode='RGB').save(out / image['coco_url'])
        for obj in objects:
            anns.append(dict(id=first_ann_id + len(anns), image_id=image['id'], **obj))
        _federated(rng, image, sorted({o['category_id'] for o in objects}))
        images.append(image)
    return images, anns


def category_records(train_anns: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """LVIS categories with ``frequency`` / ``image_count`` / ``instance_count`` from train."""
    records = []
    for i, (name, definition) in enumerate(zip(NAMES, DEFS)):
        anns = [a for a in train_anns if a['category_id'] == i + 1]
        image_count = len({a['image_id'] for a in anns})
        frequency = 'r' if image_count <= 10 else 'c' if image_count <= 100 else 'f'
        records.append({'id': i + 1, 'name': name, 'synset': f'fashion_mnist.{name}.n.01',
                        'synonyms': [name], 'def': f'{definition} (Fashion-MNIST class {i})',
                        'frequency': frequency, 'image_count': image_count,
                        'instance_count': len(anns)})
    return records


def _write_json(path: Path, images: List[Dict[str, Any]], anns: List[Dict[str, Any]],
                categories: List[Dict[str, Any]]) -> None:
    """Write one LVIS v1 annotation file (compact, key order fixed)."""
    data = dict(
        info=dict(description='Fashion-MNIST objects on synthetic canvases (long-tailed)',
                  version='1.0', year=2017, contributor='ltr_mm', date_created='2017-08-25'),
        licenses=[dict(id=1, name='MIT License (Fashion-MNIST, Copyright (c) 2017 Zalando SE)',
                       url='https://opensource.org/licenses/MIT')],
        images=images, annotations=anns, categories=categories)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(',', ':')) + '\n', encoding='utf-8')


def _prepare_out(out: Path, overwrite: bool) -> None:
    """Refuse to mix with an earlier build unless ``overwrite``; then remove its outputs."""
    existing = [out / name for name in ('train', 'val', 'heldout', 'annotations')
                if (out / name).exists()]
    if existing and not overwrite:
        raise FileExistsError(f'{existing[0]} already exists; pass --overwrite to rebuild '
                              f'{out} or choose another --out')
    for path in existing:
        shutil.rmtree(path)
    out.mkdir(parents=True, exist_ok=True)


def build(src: Path, out: Path, seed: int = 0, num_train: int = 3000, num_val: int = 500,
          max_size: int = 256, overwrite: bool = False,
          num_heldout: int = 300) -> List[Dict[str, Any]]:
    """Build the set; see the module docstring for the layout.

    Args:
        src: folder with the Fashion-MNIST idx files.
        out: output folder.
        seed: seed of the one ``RandomState`` that drives everything. Defaults to 0.
        num_train: training images. Defaults to 3000.
        num_val: validation images. Defaults to 500.
        max_size: largest canvas side, 64 to 256. Defaults to 256.
        overwrite: remove an earlier build in ``out`` first. Defaults to False.
        num_heldout: held-out images (0: no held-out split). Defaults to 300.

    Returns:
        list[dict]: the category records (with train-derived counts).
    """
    if not 64 <= max_size <= 256 or num_train < 1 or num_val < 1 or num_heldout < 0:
        raise ValueError(f'need 64 <= max_size <= 256, positive train / val and non-negative '
                         f'held-out image counts; got max_size={max_size}, '
                         f'num_train={num_train}, num_val={num_val}, num_heldout={num_heldout}')
    splits = {'train': load_split(src, 'train'), 'val': load_split(src, 'test')}
    _prepare_out(out, overwrite)
    rng = np.random.RandomState(seed)
    plans = {'train': assign_categories(rng, num_train, train_targets(num_train)),
             'val': assign_categories(rng, num_val, val_targets(num_val))}
    images, anns, pools = {}, {}, {}
    for split, first_id in (('train', 1), ('val', num_train + 1)):
        pools[split] = ItemPool(rng, *splits[split])  # drawn after the previous split
        first_ann = 1 + sum(len(a) for a in anns.values())
        images[split], anns[split] = make_split(rng, out, split, pools[split], plans[split],
                                                first_id, first_ann, max_size)
    if num_heldout:  # drawn after the other two splits, which therefore do not change
        plan = assign_categories(rng, num_heldout, val_targets(num_heldout))
        first_ann = 1 + sum(len(a) for a in anns.values())
        images['heldout'], anns['heldout'] = make_split(
            rng, out, 'heldout', pools['train'].unused(), plan, num_train + num_val + 1,
            first_ann, max_size)
    categories = category_records(anns['train'])
    for split in images:
        _write_json(out / 'annotations' / f'lvis_v1_{split}.json', images[split],
                    anns[split], categories)
    return categories


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line arguments; ``--tiny`` only changes the image counts not given."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--src', default=DEFAULT_SRC, help='folder with the idx files')
    parser.add_argument('--out', default='data/fashion_lvis', help='output folder')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--num-train', type=int, default=None, help='default 3000')
    parser.add_argument('--num-val', type=int, default=None, help='default 500')
    parser.add_argument('--num-heldout', type=int, default=None,
                        help='default 300 (0: no held-out split)')
    parser.add_argument('--tiny', action='store_true',
                        help='120 train / 40 val / 20 held-out images')
    parser.add_argument('--max-size', type=int, default=256, help='largest canvas side')
    parser.add_argument('--overwrite', action='store_true',
                        help='remove an earlier build in --out first')
    args = parser.parse_args(argv)
    preset = TINY if args.tiny else FULL
    for key, value in preset.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    args = parse_args(argv)
    try:
        categories = build(Path(args.src), Path(args.out), args.seed, args.num_train,
                           args.num_val, args.max_size, args.overwrite, args.num_heldout)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    groups = {g: [c['name'] for c in categories if c['frequency'] == g] for g in 'rcf'}
    print(f'{args.out}: {args.num_train} train / {args.num_val} val / {args.num_heldout} '
          f'held-out images; train groups '
          f"r={groups['r']} c={groups['c']} f={groups['f']}")
    if not all(groups.values()):
        print('warning: not every r/c/f group occurs; use more training images', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
