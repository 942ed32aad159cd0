"""Build Fashion-MNIST-LT, a long-tailed classification set, from the Fashion-MNIST idx files.

Class ``i`` (0-based, ``C`` = 10 classes) keeps ``n_i = floor(n_max * IF ** (-i / (C - 1)))``
training images: the first ``n_i`` of a random permutation of that class's training indices,
drawn class by class from one ``numpy.random.RandomState(seed)``. The defaults (``n_max`` 5000,
IF 100, seed 0) keep [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50] = 12,406 images. The
balanced 10,000-image test split is copied untouched. ``--val-per-class N`` also writes a
balanced validation split of the last ``N`` training images of each class's permutation (never
among the kept training images; the same ``N`` images whatever ``n_max`` and IF), for choosing
test-time knobs such as the tau of tau-norm without looking at the test split.

Usage::

    python tools/dataset_converters/make_fashion_lt.py                  # IF 100 defaults
    python tools/dataset_converters/make_fashion_lt.py --imb-factor 10 \\
        --out data/fashion_mnist_lt_r10

Output (paths relative to ``--out``)::

    train/<class_dir>/<orig_index:05d>.png    28x28 grey PNG; orig_index = index in the split
    test/<class_dir>/<orig_index:05d>.png
    val/<class_dir>/<orig_index:05d>.png      only with --val-per-class
    meta/train.txt, meta/test.txt             "relative/path label" per line (meta/val.txt)
    annotations/train.json, annotations/test.json  (annotations/val.json)
    class_stats.json                          training counts and many/medium/few split
    picked_indices.json                       {"seed", "imb_factor", "n_max",
                                               "indices": {class: [orig indices]}}

``annotations/*.json`` hold ``{"annotations": [{"image_id", "fpath", "im_height", "im_width",
"category_id"}], "num_classes": 10}``: ``image_id`` is the index of the image in its
Fashion-MNIST split, ``fpath`` is relative to ``--out`` and ``category_id`` is the 0-based
class. In ``picked_indices.json`` each class lists its indices in permutation order (and, with a
validation split, ``val_per_class`` and ``val_indices`` the same way). The same
arguments always give byte-identical files. ``--overwrite`` removes an earlier build (only the
paths listed above) before writing.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image
from tqdm import tqdm

from ltr_mm.datasets.fashion_mnist_idx import load_split, read_idx  # noqa: F401  (read_idx: API)
from ltr_mm.utils import class_stats as cs

DEFAULT_SRC = '/usr/share/datasets/fashion-mnist'
CLASSES = ('t-shirt_top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt',
           'sneaker', 'bag', 'ankle_boot')
OUTPUTS = ('train', 'test', 'val', 'meta', 'annotations', 'class_stats.json', 'picked_indices.json')


def class_permutations(labels: np.ndarray, seed: int) -> List[np.ndarray]:
    """Each class's training indices in the order of one seeded ``RandomState``, class by class."""
    rng = np.random.RandomState(seed)
    perms = []
    for cls in range(len(CLASSES)):
        idx = np.flatnonzero(labels == cls)
        rng.shuffle(idx)
        perms.append(idx)
    return perms


def pick_indices(labels: np.ndarray, counts: Sequence[int], seed: int,
                 val_per_class: int = 0) -> List[np.ndarray]:
    """Keep the first ``counts[c]`` of a seeded permutation of each class's indices.

    Args:
        labels: training labels.
        counts: images to keep per class.
        seed: seed of the single ``RandomState`` used for all classes, in class order.
        val_per_class: images per class held out at the end of each permutation for the
            validation split (see :func:`pick_val_indices`); only checked here, so that the
            training and validation images never overlap. Defaults to 0.

    Returns:
        list[np.ndarray]: kept indices per class, in permutation order.
    """
    picked = []
    for cls, (n, idx) in enumerate(zip(counts, class_permutations(labels, seed))):
        if n + val_per_class > idx.size:
            extra = f' + {val_per_class} validation' if val_per_class else ''
            raise ValueError(f'class {CLASSES[cls]} has {idx.size} images, {n}{extra} '
                             'requested')
        picked.append(idx[:n].copy())
    return picked


def pick_val_indices(labels: np.ndarray, per_class: int, seed: int) -> List[np.ndarray]:
    """The last ``per_class`` indices of each class's permutation (see :func:`pick_indices`)."""
    if per_class < 0:
        raise ValueError(f'--val-per-class must be >= 0, got {per_class}')
    return [idx[idx.size - per_class:].copy() for idx in class_permutations(labels, seed)]


def _write_split(out: Path, split: str, images: np.ndarray, labels: np.ndarray,
                 indices: Sequence[int]) -> List[Tuple[str, int, int]]:
    """Save the images of one split as PNG; return ``(relpath, label, index)`` rows."""
    rows = []
    for cls in CLASSES:
        (out / split / cls).mkdir(parents=True, exist_ok=True)
    for i in tqdm(indices, desc=f'{split} images', unit='img'):
        label = int(labels[i])
        rel = f'{split}/{CLASSES[label]}/{int(i):05d}.png'
        Image.fromarray(images[i], mode='L').save(out / rel)
        rows.append((rel, label, int(i)))
    return rows


def _write_lists(out: Path, split: str, rows: Sequence[Tuple[str, int, int]],
                 size: Tuple[int, int]) -> None:
    """Write ``meta/<split>.txt`` and ``annotations/<split>.json`` for the saved rows."""
    (out / 'meta').mkdir(parents=True, exist_ok=True)
    (out / 'annotations').mkdir(parents=True, exist_ok=True)
    lines = ''.join(f'{rel} {label}\n' for rel, label, _ in rows)
    (out / 'meta' / f'{split}.txt').write_text(lines, encoding='utf-8')
    anns = [dict(image_id=idx, fpath=rel, im_height=size[0], im_width=size[1],
                 category_id=label) for rel, label, idx in rows]
    text = json.dumps({'annotations': anns, 'num_classes': len(CLASSES)})
    (out / 'annotations' / f'{split}.json').write_text(text + '\n', encoding='utf-8')


def _prepare_out(out: Path, overwrite: bool) -> None:
    """Refuse to mix with an earlier build unless ``overwrite``; then remove its outputs."""
    existing = [out / name for name in OUTPUTS if (out / name).exists()]
    if existing and not overwrite:
        raise FileExistsError(f'{existing[0]} already exists; pass --overwrite to rebuild '
                              f'{out} or choose another --out')
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def build(src: Path, out: Path, imb_factor: float = 100, n_max: int = 5000, seed: int = 0,
          max_test: Optional[int] = None, overwrite: bool = False,
          val_per_class: int = 0) -> Dict[str, List[int]]:
    """Build Fashion-MNIST-LT; see the module docstring for the layout.

    Args:
        src: folder with the Fashion-MNIST idx files.
        out: output folder.
        imb_factor: head / tail ratio. Defaults to 100.
        n_max: training images of class 0. Defaults to 5000.
        seed: permutation seed. Defaults to 0.
        max_test: keep only the first ``max_test`` test images. Defaults to all.
        overwrite: remove an earlier build in ``out`` first. Defaults to False.
        val_per_class: images per class of the validation split; 0 writes none. Defaults
            to 0.

    Returns:
        dict: ``{'train_counts': [...], 'test_counts': [...], 'val_counts': [...]}``
        (``val_counts`` all 0 without a validation split).
    """
    if max_test is not None and max_test < 0:
        raise ValueError(f'--max-test must be >= 0, got {max_test}')
    if val_per_class < 0:
        raise ValueError(f'--val-per-class must be >= 0, got {val_per_class}')
    train_images, train_labels = load_split(src, 'train')
    test_images, test_labels = load_split(src, 'test')
    counts = cs.long_tailed_counts(n_max, imb_factor, len(CLASSES))
    picked = pick_indices(train_labels, counts, seed, val_per_class)
    val_picked = pick_val_indices(train_labels, val_per_class, seed)
    _prepare_out(out, overwrite)
    train_order = [int(i) for idx in picked for i in sorted(idx)]
    rows = _write_split(out, 'train', train_images, train_labels, train_order)
    _write_lists(out, 'train', rows, train_images.shape[1:])
    test_order = range(len(test_labels) if max_test is None else min(max_test, len(test_labels)))
    rows = _write_split(out, 'test', test_images, test_labels, test_order)
    _write_lists(out, 'test', rows, test_images.shape[1:])
    if val_per_class:
        val_order = [int(i) for idx in val_picked for i in sorted(idx)]
        rows = _write_split(out, 'val', train_images, train_labels, val_order)
        _write_lists(out, 'val', rows, train_images.shape[1:])
    cs.write_class_stats(out / 'class_stats.json', CLASSES, counts)
    record = dict(seed=seed, imb_factor=imb_factor, n_max=n_max,
                  indices={cls: [int(i) for i in idx] for cls, idx in zip(CLASSES, picked)})
    if val_per_class:
        record.update(val_per_class=val_per_class, val_indices={
            cls: [int(i) for i in idx] for cls, idx in zip(CLASSES, val_picked)})
    (out / 'picked_indices.json').write_text(json.dumps(record) + '\n', encoding='utf-8')
    test_counts = cs.counts_from_labels(test_labels[list(test_order)], len(CLASSES))
    return {'train_counts': counts, 'test_counts': test_counts,
            'val_counts': [val_per_class] * len(CLASSES)}


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--src', default=DEFAULT_SRC, help='folder with the idx files')
    parser.add_argument('--out', default='data/fashion_mnist_lt', help='output folder')
    parser.add_argument('--imb-factor', type=float, default=100, help='head / tail ratio')
    parser.add_argument('--n-max', type=int, default=5000, help='images of the head class')
    parser.add_argument('--seed', type=int, default=0, help='permutation seed')
    parser.add_argument('--max-test', type=int, default=None,
                        help='keep only the first N test images (default: all 10,000)')
    parser.add_argument('--val-per-class', type=int, default=0,
                        help='also write a balanced validation split of N held-out training '
                        'images per class (default: none)')
    parser.add_argument('--overwrite', action='store_true',
                        help='remove an earlier build in --out first')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    args = parse_args(argv)
    imb = int(args.imb_factor) if float(args.imb_factor).is_integer() else args.imb_factor
    try:
        result = build(Path(args.src), Path(args.out), imb, args.n_max, args.seed,
                       args.max_test, args.overwrite, args.val_per_class)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    train = result['train_counts']
    print(f'{args.out}: {sum(train)} train images {train}, '
          f'{sum(result["test_counts"])} test images' +
          (f', {sum(result["val_counts"])} val images' if args.val_per_class else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
