"""ImageNet-LT / Places-LT / iNat18 / Fashion-MNIST-LT lists and the json format on tmp files."""
import json
import os.path as osp

import pytest

from ltr_mm.datasets import FashionMNISTLT, ImageNetLT, INat18, LTJsonDataset, PlacesLT
from ltr_mm.registry import CLS_DATASETS
from ltr_mm.utils.class_stats import ClassStats

LINES = ['train/a/1.JPEG 0', 'train/a/2.JPEG 0', 'train/b/3.JPEG 2', 'train/c/4.JPEG 2']


def _counts(dataset):
    """Per-class training counts, as SetClassStatsHook computes them."""
    return list(ClassStats.from_dataset(dataset).counts)


def _write_list(path, lines=LINES):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('\n'.join(lines) + '\n')


@pytest.mark.parametrize('cls,split_file,num', [
    (ImageNetLT, 'ImageNet_LT_val.txt', 1000),
    (PlacesLT, 'Places_LT_test.txt', 365),
    (INat18, 'iNaturalist18_val.txt', 8142),
])
def test_split_lists(tmp_path, cls, split_file, num):
    _write_list(tmp_path / split_file)
    split = split_file.rsplit('_', 1)[1][:-4]
    ds = CLS_DATASETS.build(dict(type=cls.__name__, data_root=str(tmp_path), split=split))
    assert len(ds) == 4 and len(ds.metainfo['classes']) == num
    counts = _counts(ds)
    assert len(counts) == num and counts[:3] == [2, 0, 2] and sum(counts) == 4
    assert ds.get_data_info(2)['img_path'] == osp.join(str(tmp_path), 'train/b/3.JPEG')
    with pytest.raises(ValueError, match='split must be one of'):
        cls(data_root=str(tmp_path), split='nope')


def test_explicit_ann_file_and_classes(tmp_path):
    _write_list(tmp_path / 'my.txt')
    ds = ImageNetLT(data_root=str(tmp_path), ann_file='my.txt', metainfo=dict(
        classes=('x', 'y', 'z')))
    assert ds.metainfo['classes'] == ('x', 'y', 'z') and _counts(ds) == [2, 0, 2]
    imagenet_names = ImageNetLT(data_root=str(tmp_path), ann_file='my.txt').metainfo['classes']
    assert imagenet_names[0].startswith('tench')
    with pytest.raises(ValueError, match=r'labels must lie in \[0, 2\)'):
        PlacesLT(data_root=str(tmp_path), ann_file='my.txt', metainfo=dict(classes=('x', 'y')))


def test_fashion_mnist_lt_layout(tmp_path):
    _write_list(tmp_path / 'meta/train.txt', ['train/bag/3.png 8', 'train/coat/1.png 4'])
    _write_list(tmp_path / 'meta/test.txt', ['test/bag/5.png 8'])
    names = ['c%d' % i for i in range(10)]
    (tmp_path / 'class_stats.json').write_text(json.dumps({'classes': names}))
    (tmp_path / 'picked_indices.json').write_text(json.dumps(
        {'seed': 0, 'indices': {'c4': [1], 'c8': [3]}}))
    train = FashionMNISTLT(data_root=str(tmp_path))
    assert train.metainfo['classes'] == tuple(names) and train.picked_indices == [1, 3]
    assert _counts(train) == [0, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    test = FashionMNISTLT(data_root=str(tmp_path), split='test')
    assert len(test) == 1 and test.picked_indices is None


def _ann(image_id, fpath, label):
    return dict(image_id=image_id, fpath=fpath, im_height=8, im_width=6, category_id=label)


def test_json_dataset_absolute_and_relative_paths(tmp_path):
    anns = [_ann(1, '/abs/img1.jpg', 0), _ann(2, 'rel/img2.jpg', 3), _ann(3, 'rel/img3.jpg', 3)]
    (tmp_path / 'train.json').write_text(json.dumps({'annotations': anns, 'num_classes': 5}))
    ds = CLS_DATASETS.build(dict(type='LTJsonDataset', ann_file='train.json',
                                 data_root=str(tmp_path), data_prefix='images'))
    assert len(ds) == 3 and ds.metainfo['classes'] == ('0', '1', '2', '3', '4')
    assert _counts(ds) == [1, 0, 0, 2, 0]
    first, second = ds.get_data_info(0), ds.get_data_info(1)
    assert first['img_path'] == '/abs/img1.jpg' and first['img_id'] == 1
    assert second['img_path'] == osp.join(str(tmp_path), 'images', 'rel/img2.jpg')
    assert second['gt_label'] == 3 and second['ori_shape'] == (8, 6)


def test_json_dataset_without_num_classes(tmp_path):
    path = tmp_path / 'a.json'
    path.write_text(json.dumps({'annotations': [_ann(1, 'x.png', 2)]}))
    ds = LTJsonDataset(str(path), metainfo=dict(classes=('a', 'b', 'c', 'd')))
    assert _counts(ds) == [0, 0, 1, 0]
    assert _counts(LTJsonDataset(str(path))) == [0, 0, 1]
