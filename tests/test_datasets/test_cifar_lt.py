"""CIFAR-10/100-LT on fake CIFAR pickles: Cao et al. counts, determinism, no download."""
import os.path as osp
import pickle

import numpy as np
import pytest

from ltr_mm.datasets import CIFAR10LT, CIFAR100LT
from ltr_mm.registry import CLS_DATASETS
from ltr_mm.utils.class_stats import ClassStats, long_tailed_counts


def _counts(dataset):
    """Per-class training counts, as SetClassStatsHook computes them."""
    return list(ClassStats.from_dataset(dataset).counts)


def _write(path, data, labels, key='labels'):
    with open(path, 'wb') as f:
        pickle.dump({'data': data, key: list(map(int, labels))}, f)


@pytest.fixture(scope='module')
def cifar10_root(tmp_path_factory):
    """10 classes x 50 images spread over the five train batches, 20 test images."""
    root = tmp_path_factory.mktemp('c10')
    folder = root / 'cifar-10-batches-py'
    folder.mkdir()
    rng = np.random.RandomState(7)
    labels = np.repeat(np.arange(10), 50)
    rng.shuffle(labels)
    data = rng.randint(0, 256, (500, 3072)).astype(np.uint8)
    for b in range(5):
        _write(folder / f'data_batch_{b + 1}', data[b * 100:(b + 1) * 100],
               labels[b * 100:(b + 1) * 100])
    _write(folder / 'test_batch', data[:20], np.arange(20) % 10)
    return str(root), data, labels


def test_counts_follow_the_formula(cifar10_root):
    root, data, labels = cifar10_root
    ds = CIFAR10LT(root, split='train', imb_factor=100)
    expected = [int(np.floor(50 * 0.01**(i / 9) + 1e-9)) for i in range(10)]
    assert expected == [50, 29, 17, 10, 6, 3, 2, 1, 0, 0]
    assert _counts(ds) == expected
    assert len(ds) == sum(expected) == len(ds.picked_indices)
    # Kept images are the right pixels and labels of the balanced split, class 0 first.
    for k in (0, 60, len(ds) - 1):
        src = ds.picked_indices[k]
        info = ds.get_data_info(k)
        assert info['gt_label'] == labels[src]
        np.testing.assert_array_equal(info['img'], data[src].reshape(3, 32, 32).transpose(1, 2, 0))
    assert [ds.get_data_info(k)['gt_label'] for k in range(len(ds))] == sorted(
        labels[ds.picked_indices].tolist())


def test_seed_zero_matches_global_numpy_recipe(cifar10_root):
    root, _, labels = cifar10_root
    ds = CIFAR10LT(root, imb_factor=10)
    np.random.seed(0)
    ref = []
    for cls, n in enumerate(long_tailed_counts(50, 10, 10)):
        idx = np.where(labels == cls)[0]
        np.random.shuffle(idx)
        ref.extend(idx[:n])
    assert ds.picked_indices.tolist() == ref


def test_deterministic_and_seed_dependent(cifar10_root):
    root = cifar10_root[0]
    a = CIFAR10LT(root, imb_factor=100).picked_indices
    b = CIFAR10LT(root, imb_factor=100).picked_indices
    c = CIFAR10LT(root, imb_factor=100, seed=1).picked_indices
    assert a.tolist() == b.tolist() and a.tolist() != c.tolist()
    assert _counts(CIFAR10LT(root, imb_factor=1)) == [50] * 10
    assert _counts(CIFAR10LT(root, imb_factor=50, n_max=20))[0] == 20


def test_test_split_is_untouched(cifar10_root):
    ds = CIFAR10LT(cifar10_root[0], split='test')
    assert len(ds) == 20 and _counts(ds) == [2] * 10 and ds.picked_indices is None


def test_standard_sizes():
    assert sum(long_tailed_counts(5000, 100, 10)) == 12406
    assert sum(long_tailed_counts(500, 100, 100)) == 10847
    assert sum(long_tailed_counts(500, 50, 100)) == 12608


def test_cifar100_fine_labels(tmp_path):
    folder = tmp_path / 'cifar-100-python'
    folder.mkdir()
    labels = np.repeat(np.arange(100), 5)
    data = np.zeros((500, 3072), np.uint8)
    _write(folder / 'train', data, labels, key='fine_labels')
    _write(folder / 'test', data[:100], labels[:100], key='fine_labels')
    ds = CLS_DATASETS.build(dict(type='CIFAR100LT', data_root=str(tmp_path), imb_factor=5))
    assert isinstance(ds, CIFAR100LT)
    assert _counts(ds) == long_tailed_counts(5, 5, 100)
    assert _counts(ds)[-1] == 1


def test_missing_files_name_folder_and_never_download(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        CIFAR10LT(str(tmp_path))
    msg = str(err.value)
    assert osp.join(str(tmp_path), 'cifar-10-batches-py') in msg and 'data_batch_1' in msg
    with pytest.raises(ValueError, match='never downloads'):
        CIFAR10LT(str(tmp_path), download=True)
