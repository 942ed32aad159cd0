"""Tests for ``tools/dataset_converters/make_lt_detection.py`` (LVIS-format LT detection set)."""
import hashlib
import importlib.util
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Sequence

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / 'tools' / 'dataset_converters' / 'make_lt_detection.py'
SRC = Path('/usr/share/datasets/fashion-mnist')
HAVE_SRC = all((SRC / f'{stem}-ubyte.gz').is_file() for stem in (
    'train-images-idx3', 'train-labels-idx1', 't10k-images-idx3', 't10k-labels-idx1'))
needs_src = pytest.mark.skipif(
    not HAVE_SRC, reason=f'Fashion-MNIST idx files not in {SRC} '
    '(apt-get install dataset-fashion-mnist)')

SPLITS = ('train', 'val', 'heldout')
IMAGE_KEYS = {'id', 'width', 'height', 'coco_url', 'flickr_url', 'license', 'date_captured',
              'neg_category_ids', 'not_exhaustive_category_ids'}
ANN_KEYS = {'id', 'image_id', 'category_id', 'bbox', 'area', 'segmentation'}
CAT_KEYS = {'id', 'name', 'synset', 'synonyms', 'def', 'frequency', 'image_count',
            'instance_count'}


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location('make_lt_detection_under_test', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load(TOOL)


def rasterize(polygons: Sequence[Sequence[float]], height: int, width: int) -> np.ndarray:
    """Union of polygons, each filled even-odd at pixel centres (x + 0.5, y + 0.5)."""
    out = np.zeros((height, width), bool)
    yc, xc = np.arange(height) + 0.5, np.arange(width) + 0.5
    for poly in polygons:
        pts = np.asarray(poly, float).reshape(-1, 2)
        inside = np.zeros((height, width), bool)
        for (x0, y0), (x1, y1) in zip(pts, np.roll(pts, -1, axis=0)):
            if y0 == y1:
                continue
            rows = (min(y0, y1) <= yc) & (yc < max(y0, y1))
            x_cross = x0 + (yc[rows] - y0) * (x1 - x0) / (y1 - y0)
            inside[rows] ^= xc[None, :] < x_cross[:, None]
        out |= inside
    return out


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mask_to_polygons_exact_on_random_masks():
    rng = np.random.RandomState(0)
    for _ in range(300):
        h, w = rng.randint(1, 16, 2)
        mask = rng.rand(h, w) < rng.uniform(0.2, 0.9)
        polygons = tool.mask_to_polygons(mask, 3, 5)
        assert all(len(p) >= 8 and len(p) % 2 == 0 for p in polygons)
        assert np.array_equal(rasterize(polygons, h + 5, w + 3)[5:, 3:], mask)


def test_mask_with_hole():
    mask = np.ones((5, 5), bool)
    mask[2, 2] = False
    polygons = tool.mask_to_polygons(mask)
    assert np.array_equal(rasterize(polygons, 5, 5), mask)
    area = sum(0.5 * abs(np.dot(p[0::2], np.roll(p[1::2], -1)) - np.dot(p[1::2], np.roll(
        p[0::2], -1))) for p in np.asarray(polygons, dtype=object))
    assert area == 24


@pytest.mark.parametrize('num_images, groups', [(3000, (2, 3, 5)), (120, (2, 7, 1))])
def test_plan_meets_common_and_rare_targets(num_images, groups):
    targets = tool.train_targets(num_images)
    freq = ['r' if t <= 10 else 'c' if t <= 100 else 'f' for t in targets]
    assert tuple(freq.count(g) for g in 'rcf') == groups
    plan = tool.assign_categories(np.random.RandomState(0), num_images, targets)
    assert all(1 <= len(cats) <= tool.MAX_OBJECTS for cats in plan)
    counts = np.bincount([c for cats in plan for c in cats], minlength=10)
    for c, t in enumerate(targets):
        assert counts[c] == t if t <= 100 else counts[c] >= t


def test_missing_src_errors(tmp_path, capsys):
    missing = tmp_path / 'nowhere'
    assert tool.main(['--src', str(missing), '--out', str(tmp_path / 'o'), '--tiny']) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and 'apt-get install dataset-fashion-mnist' in err
    assert '--src' in err and not (tmp_path / 'o').exists()


@pytest.fixture(scope='module')
def built(tmp_path_factory) -> Dict[str, Any]:
    """One ``--tiny`` build through the command line (seed 0)."""
    out = tmp_path_factory.mktemp('fashion_lvis')
    subprocess.run([sys.executable, str(TOOL), '--src', str(SRC), '--out', str(out), '--tiny',
                    '--overwrite'], check=True, capture_output=True)
    data = {split: json.loads((out / 'annotations' / f'lvis_v1_{split}.json').read_text())
            for split in SPLITS}
    return {'out': out, **data}


def _by_image(anns: List[Dict[str, Any]]) -> Dict[int, List[Dict[str, Any]]]:
    grouped = defaultdict(list)
    for ann in anns:
        grouped[ann['image_id']].append(ann)
    return grouped


@needs_src
def test_lvis_fields_complete(built):
    for split in SPLITS:
        data = built[split]
        assert {'info', 'licenses', 'images', 'annotations', 'categories'} <= set(data)
        assert len(data['images']) == {'train': 120, 'val': 40, 'heldout': 20}[split]
        for image in data['images']:
            assert set(image) == IMAGE_KEYS
            assert image['coco_url'] == f"{split}/{image['id']:012d}.png"
            assert image['license'] in {lic['id'] for lic in data['licenses']}
        for ann in data['annotations']:
            assert set(ann) == ANN_KEYS
        for cat in data['categories']:
            assert set(cat) == CAT_KEYS and isinstance(cat['synonyms'], list)
            assert all(isinstance(cat[k], str) for k in ('name', 'synset', 'def'))
        assert [c['id'] for c in data['categories']] == list(range(1, 11))
        assert [c['name'] for c in data['categories']] == list(tool.NAMES)
    assert built['train']['categories'] == built['val']['categories'] == built['heldout'][
        'categories']


@needs_src
def test_frequencies_match_train_counts(built):
    anns = built['train']['annotations']
    groups = set()
    for cat in built['train']['categories']:
        mine = [a for a in anns if a['category_id'] == cat['id']]
        image_count = len({a['image_id'] for a in mine})
        assert cat['image_count'] == image_count and cat['instance_count'] == len(mine)
        expected = 'r' if image_count <= 10 else 'c' if image_count <= 100 else 'f'
        assert cat['frequency'] == expected
        groups.add(expected)
    assert groups == {'r', 'c', 'f'}
    assert all(c['image_count'] >= 1 for c in built['train']['categories'])


@needs_src
def test_ids_unique_and_from_one(built):
    train = built['train']
    assert [a['id'] for a in train['annotations']] == list(range(1, len(train['annotations']) + 1))
    ann_ids = [a['id'] for split in SPLITS for a in built[split]['annotations']]
    image_ids = [i['id'] for split in SPLITS for i in built[split]['images']]
    assert ann_ids == list(range(1, len(ann_ids) + 1))  # continuing across the splits
    assert image_ids == list(range(1, 181))  # 120 train, 40 val, 20 held-out
    for split in SPLITS:
        ids = {i['id'] for i in built[split]['images']}
        assert all(a['image_id'] in ids for a in built[split]['annotations'])


@needs_src
@pytest.mark.parametrize('split', SPLITS)
def test_images_masks_and_boxes(built, split):
    data, out = built[split], built['out']
    grouped = _by_image(data['annotations'])
    for image in data['images']:
        with Image.open(out / image['coco_url']) as img:
            assert img.mode == 'RGB' and img.size == (image['width'], image['height'])
        assert 160 <= image['width'] <= 256 and 160 <= image['height'] <= 256
        anns = grouped[image['id']]
        assert 1 <= len(anns) <= tool.MAX_OBJECTS
        union = np.zeros((image['height'], image['width']), int)
        for ann in anns:
            mask = rasterize(ann['segmentation'], image['height'], image['width'])
            x, y, w, h = ann['bbox']
            inside = np.zeros_like(mask)
            inside[y:y + h, x:x + w] = True
            assert not (mask & ~inside).any() and ann['area'] == mask.sum() > 0
            crop = mask[y:y + h, x:x + w]
            assert crop[0].any() and crop[-1].any() and crop[:, 0].any() and crop[:, -1].any()
            union += mask
        assert union.max() <= 1, 'masks of one image overlap'
        present = {a['category_id'] for a in anns}
        assert image['neg_category_ids'] and not present & set(image['neg_category_ids'])
        assert set(image['not_exhaustive_category_ids']) <= present


@needs_src
@pytest.mark.filterwarnings('ignore::DeprecationWarning')  # pycocotools on numpy 2
def test_polygons_match_pycocotools(built):
    mask_utils = pytest.importorskip('pycocotools.mask')
    images = {i['id']: i for i in built['train']['images']}
    for ann in built['train']['annotations'][:150]:
        h, w = images[ann['image_id']]['height'], images[ann['image_id']]['width']
        rle = mask_utils.merge(mask_utils.frPyObjects(ann['segmentation'], h, w))
        assert np.array_equal(mask_utils.decode(rle).astype(bool),
                              rasterize(ann['segmentation'], h, w))
        assert mask_utils.area(rle) == ann['area']
        assert mask_utils.toBbox(rle).tolist() == ann['bbox']


@needs_src
def test_same_seed_same_files(built, tmp_path):
    out = tmp_path / 'again'
    assert tool.main(['--src', str(SRC), '--out', str(out), '--tiny']) == 0
    first = {str(p.relative_to(built['out'])): _hash(p)
             for p in sorted(built['out'].rglob('*')) if p.is_file()}
    again = {str(p.relative_to(out)): _hash(p) for p in sorted(out.rglob('*')) if p.is_file()}
    assert first == again
    other = tmp_path / 'seed1'
    assert tool.main(['--src', str(SRC), '--out', str(other), '--tiny', '--seed', '1',
                      '--num-train', '60', '--num-val', '10']) == 0
    assert _hash(other / 'annotations' / 'lvis_v1_train.json') != first[
        'annotations/lvis_v1_train.json']


@needs_src
def test_heldout_split_leaves_train_and_val_unchanged(built, tmp_path):
    out = tmp_path / 'no_heldout'
    assert tool.main(['--src', str(SRC), '--out', str(out), '--tiny', '--num-heldout', '0']) == 0
    without = {str(p.relative_to(out)): _hash(p) for p in sorted(out.rglob('*')) if p.is_file()}
    with_heldout = {str(p.relative_to(built['out'])): _hash(p)
                    for p in sorted(built['out'].rglob('*')) if p.is_file()}
    heldout = {k for k in with_heldout if 'heldout' in k}
    assert len(heldout) == 21  # 20 images and the annotation file
    assert without == {k: v for k, v in with_heldout.items() if k not in heldout}


def test_unused_pool_holds_only_items_never_taken():
    labels = np.repeat(np.arange(len(tool.NAMES)), 3)  # 3 items per category
    images = np.arange(len(labels))[:, None, None] * np.ones((1, 28, 28), np.int64)
    pool = tool.ItemPool(np.random.RandomState(0), images, labels)
    taken = [int(pool.take(0)[0, 0]) for _ in range(2)] + [int(pool.take(9)[0, 0])]
    rest = pool.unused()
    again = [int(rest.take(0)[0, 0]) for _ in range(3)]
    assert again == [again[0]] * 3 and again[0] not in taken  # one left, cycled
    assert again[0] in {0, 1, 2} and set(taken[:2]) | {again[0]} == {0, 1, 2}
    tail = {int(rest.take(9)[0, 0]) for _ in range(2)}
    assert tail == {27, 28, 29} - {taken[2]}
    # the training pool itself is untouched: its next item is the one left, then it cycles
    assert [int(pool.take(0)[0, 0]) for _ in range(2)] == [again[0], taken[0]]
    for _ in range(3):
        pool.take(5)
    with pytest.raises(ValueError, match="sandal"):
        pool.unused()
