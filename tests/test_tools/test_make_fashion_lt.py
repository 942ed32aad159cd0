"""Tests for ``tools/dataset_converters/make_fashion_lt.py`` (Fashion-MNIST-LT builder)."""
import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Dict

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / 'tools' / 'dataset_converters' / 'make_fashion_lt.py'
SRC = Path('/usr/share/datasets/fashion-mnist')
HAVE_SRC = all((SRC / f'{stem}-ubyte.gz').is_file() for stem in (
    'train-images-idx3', 'train-labels-idx1', 't10k-images-idx3', 't10k-labels-idx1'))
needs_src = pytest.mark.skipif(
    not HAVE_SRC, reason=f'Fashion-MNIST idx files not in {SRC} '
    '(apt-get install dataset-fashion-mnist)')


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location('make_fashion_lt_under_test', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load(TOOL)

EXPECTED = {
    100: [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50],
    50: [5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100],
    10: [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500],
}


def _hashes(root: Path) -> Dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob('*')) if p.is_file()}


def test_read_idx_gzip_and_raw(tmp_path):
    data = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    raw = bytes([0, 0, 8, 3]) + np.array([2, 3, 4], '>u4').tobytes() + data.tobytes()
    (tmp_path / 'a').write_bytes(raw)
    (tmp_path / 'a.gz').write_bytes(gzip.compress(raw))
    for name in ('a', 'a.gz'):
        assert np.array_equal(tool.read_idx(tmp_path / name), data)
    (tmp_path / 'short').write_bytes(raw[:-1])
    with pytest.raises(ValueError, match='payload has 23 bytes'):
        tool.read_idx(tmp_path / 'short')


def _write_fake_src(src: Path, per_class: int) -> None:
    """Un-gzipped idx files with ``per_class`` images of each class (pixel = class * 20)."""
    src.mkdir()
    labels = np.repeat(np.arange(10, dtype=np.uint8), per_class)[::-1].copy()
    images = np.repeat(labels * 20, 28 * 28).astype(np.uint8)
    for split in ('train', 't10k'):
        (src / f'{split}-images-idx3-ubyte').write_bytes(
            bytes([0, 0, 8, 3]) + np.array([labels.size, 28, 28], '>u4').tobytes()
            + images.tobytes())
        (src / f'{split}-labels-idx1-ubyte').write_bytes(
            bytes([0, 0, 8, 1]) + np.array([labels.size], '>u4').tobytes() + labels.tobytes())


def test_uncompressed_src_end_to_end(tmp_path):
    _write_fake_src(tmp_path / 'src', per_class=30)
    out = tmp_path / 'out'
    assert tool.main(['--src', str(tmp_path / 'src'), '--out', str(out), '--n-max', '20',
                      '--imb-factor', '10']) == 0
    lines = (out / 'meta' / 'train.txt').read_text().splitlines()
    assert len(lines) == 78 and len(  # 20 15 11 9 7 5 4 3 2 2
        (out / 'meta' / 'test.txt').read_text().splitlines()) == 300
    rel, label = lines[-1].split()
    assert np.all(np.asarray(Image.open(out / rel)) == int(label) * 20)


def test_missing_src_errors(tmp_path, capsys):
    missing = tmp_path / 'nowhere'
    assert tool.main(['--src', str(missing), '--out', str(tmp_path / 'o')]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and 'apt-get install dataset-fashion-mnist' in err
    assert '--src' in err
    partial = tmp_path / 'partial'
    partial.mkdir()
    assert tool.main(['--src', str(partial), '--out', str(tmp_path / 'o')]) == 1
    assert str(partial / 'train-images-idx3-ubyte') in capsys.readouterr().err


@pytest.fixture(scope='module')
def source():
    return {split: tool.load_split(SRC, split) for split in ('train', 'test')}


@needs_src
@pytest.mark.parametrize('imb', [100, 50, 10])
def test_full_profile_files_agree(tmp_path, imb):
    out = tmp_path / f'r{imb}'
    result = tool.build(SRC, out, imb_factor=imb, n_max=5000, seed=0, max_test=20)
    assert result['train_counts'] == EXPECTED[imb]
    lines = [ln.split() for ln in (out / 'meta' / 'train.txt').read_text().splitlines()]
    labels = [int(label) for _, label in lines]
    assert np.bincount(labels, minlength=10).tolist() == EXPECTED[imb]
    stats = json.loads((out / 'class_stats.json').read_text())
    assert stats['counts'] == EXPECTED[imb] and stats['total'] == sum(EXPECTED[imb])
    assert stats['classes'] == list(tool.CLASSES)
    anns = json.loads((out / 'annotations' / 'train.json').read_text())
    assert anns['num_classes'] == 10
    assert [(a['fpath'], a['category_id']) for a in anns['annotations']] == [
        (rel, int(label)) for rel, label in lines]
    on_disk = sorted(str(p.relative_to(out)) for p in (out / 'train').rglob('*.png'))
    assert on_disk == sorted(rel for rel, _ in lines)
    picked = json.loads((out / 'picked_indices.json').read_text())
    assert picked['imb_factor'] == imb and picked['n_max'] == 5000 and picked['seed'] == 0
    assert [len(v) for v in picked['indices'].values()] == EXPECTED[imb]


@needs_src
def test_small_build_content_and_determinism(tmp_path, source):
    args = ['--src', str(SRC), '--n-max', '300', '--max-test', '200', '--seed', '3']
    first, second = tmp_path / 'a', tmp_path / 'b'
    subprocess.run([sys.executable, str(TOOL), '--out', str(first)] + args, check=True,
                   capture_output=True)
    assert tool.main(['--out', str(second)] + args) == 0
    assert _hashes(first) == _hashes(second)
    images, labels = source['train']
    picked = json.loads((first / 'picked_indices.json').read_text())['indices']
    rng = np.random.RandomState(3)
    for cls, (name, indices) in enumerate(picked.items()):
        idx = np.flatnonzero(labels == cls)
        rng.shuffle(idx)
        assert name == tool.CLASSES[cls] and indices == idx[:len(indices)].tolist()
    anns = json.loads((first / 'annotations' / 'train.json').read_text())['annotations']
    for ann in anns:
        pixels = np.asarray(Image.open(first / ann['fpath']))
        assert pixels.shape == (ann['im_height'], ann['im_width']) == (28, 28)
        assert np.array_equal(pixels, images[ann['image_id']])
        assert labels[ann['image_id']] == ann['category_id']
        assert ann['fpath'] == (f"train/{tool.CLASSES[ann['category_id']]}/"
                                f"{ann['image_id']:05d}.png")
    test_lines = (first / 'meta' / 'test.txt').read_text().splitlines()
    test_labels = source['test'][1]
    assert [ln.split()[1] for ln in test_lines] == [str(v) for v in test_labels[:200]]


@needs_src
def test_existing_output_needs_overwrite(tmp_path, capsys):
    out = tmp_path / 'o'
    args = ['--out', str(out), '--n-max', '30', '--max-test', '5']
    assert tool.main(args) == 0
    stale = out / 'train' / 'stale.png'
    stale.write_bytes(b'x')
    assert tool.main(args) == 1
    assert 'already exists; pass --overwrite' in capsys.readouterr().err
    assert tool.main(args + ['--overwrite']) == 0
    assert not stale.exists()


def test_val_split_held_out_from_training(tmp_path, capsys):
    # 30 images per class; class c has label c and pixel value 20 * c. IF 10 from 20 keeps
    # [20, 15, ..., 2]; the validation split is the last 6 of each class's permutation.
    _write_fake_src(tmp_path / 'src', per_class=30)
    out = tmp_path / 'out'
    base = ['--src', str(tmp_path / 'src'), '--n-max', '20', '--imb-factor', '10']
    assert tool.main(base + ['--out', str(out), '--val-per-class', '6']) == 0
    assert '60 val images' in capsys.readouterr().out
    _, labels = tool.load_split(tmp_path / 'src', 'train')
    perms = tool.class_permutations(labels, 0)
    picked = json.loads((out / 'picked_indices.json').read_text())
    assert picked['val_per_class'] == 6
    train_rows = [ln.split() for ln in (out / 'meta' / 'train.txt').read_text().splitlines()]
    val_rows = [ln.split() for ln in (out / 'meta' / 'val.txt').read_text().splitlines()]
    assert np.bincount([int(lb) for _, lb in val_rows], minlength=10).tolist() == [6] * 10
    for cls, name in enumerate(tool.CLASSES):
        assert picked['val_indices'][name] == perms[cls][-6:].tolist()
        assert picked['indices'][name] == perms[cls][:len(picked['indices'][name])].tolist()
    train_files = {rel.split('/', 1)[1] for rel, _ in train_rows}
    val_files = {rel.split('/', 1)[1] for rel, _ in val_rows}
    assert len(val_files) == 60 and not train_files & val_files
    rel, label = val_rows[-1]
    assert rel.startswith('val/') and np.all(np.asarray(Image.open(out / rel)) == int(label) * 20)
    anns = json.loads((out / 'annotations' / 'val.json').read_text())['annotations']
    assert [(a['fpath'], a['category_id']) for a in anns] == [(r, int(lb)) for r, lb in val_rows]
    # the same validation images whatever the long-tail profile
    other = tmp_path / 'other'
    assert tool.main(['--src', str(tmp_path / 'src'), '--n-max', '10', '--imb-factor', '2',
                      '--out', str(other), '--val-per-class', '6']) == 0
    assert (other / 'meta' / 'val.txt').read_text() == (out / 'meta' / 'val.txt').read_text()
    # without --val-per-class nothing of it is written, and --overwrite removes an old one
    assert tool.main(base + ['--out', str(out), '--overwrite']) == 0
    assert not (out / 'val').exists() and not (out / 'meta' / 'val.txt').exists()
    assert 'val_indices' not in json.loads((out / 'picked_indices.json').read_text())


def test_val_split_too_large_is_refused(tmp_path, capsys):
    _write_fake_src(tmp_path / 'src', per_class=30)
    args = ['--src', str(tmp_path / 'src'), '--n-max', '20', '--imb-factor', '10',
            '--out', str(tmp_path / 'out')]
    assert tool.main(args + ['--val-per-class', '11']) == 1
    assert 'class t-shirt_top has 30 images, 20 + 11 validation requested' in \
        capsys.readouterr().err
    assert tool.main(args + ['--val-per-class', '-1']) == 1
    assert '--val-per-class must be >= 0, got -1' in capsys.readouterr().err
    assert not (tmp_path / 'out').exists()
