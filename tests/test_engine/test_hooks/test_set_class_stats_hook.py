"""SetClassStatsHook and dataset_class_counts: mmpretrain list, LVIS json, wrappers, file."""
import json
from types import SimpleNamespace

import pytest
import torch.nn as nn
from mmdet.datasets import LVISV1Dataset
from mmdet.registry import HOOKS as DET_HOOKS
from mmengine.dataset import ClassBalancedDataset
from mmpretrain.datasets import CustomDataset
from mmpretrain.registry import HOOKS as CLS_HOOKS

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import SetClassStatsHook
from ltr_mm.models.losses import BalancedSoftmaxLoss
from ltr_mm.utils.class_counts import dataset_class_counts
from ltr_mm.utils.class_stats import write_class_stats

CLASSES = ('cat', 'dog', 'emu')


@pytest.fixture
def cls_dataset(tmp_path):
    labels = [0, 0, 0, 0, 1, 1, 2]
    (tmp_path / 'ann.txt').write_text(''.join(f'{i}.png {y}\n' for i, y in enumerate(labels)))
    return CustomDataset(data_root=str(tmp_path), ann_file='ann.txt',
                         metainfo=dict(classes=CLASSES), pipeline=[])


@pytest.fixture
def lvis_dataset(tmp_path):
    # 3 images; category 1: 3 instances in 2 images, category 2: 1, category 3: 2 in 1 image.
    boxes = [(1, 1), (1, 1), (2, 1), (1, 2), (3, 3), (3, 3)]
    ann = dict(
        images=[dict(id=i, width=64, height=48, neg_category_ids=[],
                     not_exhaustive_category_ids=[],
                     coco_url=f'http://x/train2017/{i:012d}.jpg') for i in (1, 2, 3)],
        categories=[dict(id=c, name=n, frequency='r', image_count=1, instance_count=1)
                    for c, n in zip((1, 2, 3), CLASSES)],
        annotations=[dict(id=k + 1, image_id=img, category_id=cat, bbox=[2, 2, 10, 10],
                          area=100.0, segmentation=[[2, 2, 12, 2, 12, 12]], iscrowd=0)
                     for k, (cat, img) in enumerate(boxes)])
    (tmp_path / 'lvis.json').write_text(json.dumps(ann))
    return LVISV1Dataset(data_root=str(tmp_path), ann_file='lvis.json', pipeline=[],
                         data_prefix=dict(img='train2017/'),
                         metainfo=dict(classes=CLASSES), lazy_init=True)


def _runner(dataset, num_classes=3):
    model = nn.Module()
    model.head = nn.Module()
    model.head.num_classes = num_classes
    model.head.loss = BalancedSoftmaxLoss()
    return SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=dataset))


def test_counts_from_mmpretrain_list(cls_dataset):
    assert dataset_class_counts(cls_dataset) == [4, 2, 1]
    assert dataset_class_counts(cls_dataset, 'label') == [4, 2, 1]
    # not serialized: data_list is read directly instead of get_data_info per sample
    plain = CustomDataset(data_root=cls_dataset.data_root, ann_file='ann.txt',
                          metainfo=dict(classes=CLASSES), pipeline=[], serialize_data=False)
    assert len(plain.data_list) == 7 and dataset_class_counts(plain) == [4, 2, 1]


def test_counts_from_lvis(lvis_dataset):
    assert dataset_class_counts(lvis_dataset, 'instance') == [3, 1, 2]
    assert dataset_class_counts(lvis_dataset, 'image') == [2, 1, 1]
    assert dataset_class_counts(lvis_dataset) == [3, 1, 2]  # auto: instances
    with pytest.raises(ValueError, match='gt_label'):
        dataset_class_counts(lvis_dataset, 'label')


def test_counts_through_class_balanced_wrapper(lvis_dataset, cls_dataset):
    wrapped = ClassBalancedDataset(lvis_dataset, oversample_thr=1.0)
    assert len(wrapped) > len(lvis_dataset)  # images are repeated ...
    assert dataset_class_counts(wrapped, 'instance') == [3, 1, 2]  # ... counts are not
    assert dataset_class_counts(ClassBalancedDataset(cls_dataset, 1.0)) == [4, 2, 1]


def test_hook_pushes_dataset_counts(lvis_dataset):
    runner = _runner(lvis_dataset)
    hook = DET_HOOKS.build(dict(type='SetClassStatsHook', count_type='image'))
    hook.before_train(runner)
    assert runner.model.head.loss.class_counts.tolist() == [2, 1, 1]


def test_hook_reads_class_stats_file(tmp_path, cls_dataset):
    path = tmp_path / 'stats.json'
    write_class_stats(path, CLASSES, [50, 5, 0])
    runner = _runner(cls_dataset)
    CLS_HOOKS.build(dict(type='SetClassStatsHook', class_stats=str(path))).before_train(runner)
    assert runner.model.head.loss.class_counts.tolist() == [50, 5, 1]  # zero raised to one


def test_mismatch_names_dataset_and_lengths(cls_dataset):
    with pytest.raises(ValueError, match=r'dataset CustomDataset gives 3 .*num_classes=4'):
        SetClassStatsHook().before_train(_runner(cls_dataset, num_classes=4))


def test_val_and_test_fill_only_modules_without_stats(cls_dataset):
    runner = _runner(cls_dataset)
    runner.model.head.other = BalancedSoftmaxLoss(class_counts=[9, 9, 9])
    hook = SetClassStatsHook()
    hook.before_val(runner)
    assert runner.model.head.loss.class_counts.tolist() == [4, 2, 1]
    assert runner.model.head.other.class_counts.tolist() == [9, 9, 9]
    hook.before_train(runner)  # training always pushes
    assert runner.model.head.other.class_counts.tolist() == [4, 2, 1]


def test_test_without_train_loader_warns(cls_dataset):
    class NoTrain:
        model = _runner(cls_dataset).model

        @property
        def train_dataloader(self):
            raise RuntimeError('`train_loop` should not be None')

    runner = NoTrain()
    SetClassStatsHook().before_test(runner)
    assert not runner.model.head.loss.has_class_stats


def test_bad_count_type():
    with pytest.raises(ValueError, match='count_type'):
        SetClassStatsHook(count_type='boxes')
