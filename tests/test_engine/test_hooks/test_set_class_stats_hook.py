"""SetClassStatsHook, the one provider of class statistics, and ClassStats.from_dataset /
from_file: mmpretrain list, LVIS json, wrappers, files, profiles, model modules and metrics."""
import json
import math
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmdet.datasets import LVISV1Dataset
from mmdet.registry import HOOKS as DET_HOOKS
from mmengine.dataset import ClassBalancedDataset
from mmpretrain.datasets import CustomDataset
from mmpretrain.evaluation import Accuracy
from mmpretrain.registry import HOOKS as CLS_HOOKS

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import SetClassStatsHook
from ltr_mm.evaluation.metrics import ShotAccuracy
from ltr_mm.models.heads import LTLinearClsHead
from ltr_mm.models.layers import FeatureClusterCompression
from ltr_mm.models.losses import BalancedSoftmaxLoss, RIDELoss
from ltr_mm.models.losses.bags_loss import BAGSLoss
from ltr_mm.utils.class_counts import dataset_class_counts
from ltr_mm.utils.class_stats import ClassStats, write_class_stats

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


def test_class_stats_from_dataset(cls_dataset, lvis_dataset):
    stats = ClassStats.from_dataset(cls_dataset)
    assert stats == ClassStats((4, 2, 1), CLASSES, 'label')
    assert stats.source == 'dataset CustomDataset'
    assert ClassStats.from_dataset(lvis_dataset) == ClassStats((3, 1, 2), CLASSES, 'instance')
    assert ClassStats.from_dataset(lvis_dataset, 'image', many=1, few=1) == ClassStats(
        (2, 1, 1), CLASSES, 'image', many=1, few=1)
    wrapped = ClassStats.from_dataset(ClassBalancedDataset(lvis_dataset, 1.0), 'instance')
    assert wrapped.counts == (3, 1, 2) and wrapped.classes == CLASSES


def test_class_stats_from_lvis_file(tmp_path, lvis_dataset):
    path = tmp_path / 'lvis.json'
    stats = ClassStats.from_file(path)  # instance_count of every category: 1
    assert stats == ClassStats((1, 1, 1), CLASSES, 'instance') and stats.source == str(path)
    data = json.loads(path.read_text())
    for cat in data['categories']:
        del cat['instance_count']
    path.write_text(json.dumps(data))
    assert ClassStats.from_file(path).counts == (3, 1, 2)  # annotations counted


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
    assert runner.model.head.loss.class_stats.kind == 'image'


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


def test_hook_takes_a_profile(cls_dataset):
    runner = _runner(cls_dataset)
    hook = SetClassStatsHook(profile=dict(n_max=40, imb_factor=10, num_classes=3))
    hook.before_train(runner)
    assert hook.stats.counts == (40, 12, 4)
    assert runner.model.head.loss.class_stats is hook.stats
    with pytest.raises(ValueError, match='not both'):
        SetClassStatsHook(class_stats='x.json', profile=dict(n_max=4))


def _evaluator(*metrics):
    return SimpleNamespace(evaluator=SimpleNamespace(metrics=list(metrics)))


def test_one_provider_for_every_consumer(cls_dataset):
    """Model modules of several kinds and the metrics of both evaluators get one object."""
    model = nn.Module()
    model.feat_transform = FeatureClusterCompression(num_classes=3, start_epoch=0)
    model.head = LTLinearClsHead(num_classes=3, in_channels=4,
                                 loss=dict(type='mmpretrain.CrossEntropyLoss'))
    model.head.balanced = BalancedSoftmaxLoss()
    model.head.ride = RIDELoss()
    model.det_loss = BAGSLoss(num_classes=3)
    val_metric, test_metric = ShotAccuracy(many_thr=3, few_thr=2), ShotAccuracy()
    runner = SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=cls_dataset),
                             val_loop=_evaluator(val_metric, Accuracy()),
                             test_loop=_evaluator(test_metric))
    hook = SetClassStatsHook()
    hook.before_train(runner)
    hook.before_val(runner)
    hook.before_test(runner)
    stats = hook.stats
    assert stats == ClassStats((4, 2, 1), CLASSES, 'label')
    consumers = [model.feat_transform, model.head, model.head.balanced, model.head.ride,
                 model.det_loss, val_metric, test_metric]
    assert all(c.class_stats is stats for c in consumers)
    # each consumer derived its own state from the same counts
    assert torch.allclose(model.head.log_prior, torch.log(torch.tensor([4., 2., 1.]) / 7))
    assert model.head.balanced.class_counts.tolist() == [4, 2, 1]
    assert model.det_loss.class_counts.tolist() == [4, 2, 1]
    assert model.feat_transform.factors.tolist() == pytest.approx([1.5, 1.33, 1.17])
    assert torch.allclose(model.head.ride.margins[0] / model.head.ride.margins[2],
                          torch.tensor(math.pow(1 / 4, 0.25), dtype=torch.float32))
    assert val_metric.shots == {'many': [0], 'medium': [1], 'few': [2]}
    assert test_metric.shots == {'many': [], 'medium': [], 'few': [0, 1, 2]}


def test_metrics_get_stats_in_a_test_only_run(cls_dataset):
    metric = ShotAccuracy()
    model = nn.Module()
    runner = SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=cls_dataset),
                             test_loop=_evaluator(metric))
    SetClassStatsHook().before_test(runner)
    assert metric.class_stats.counts == (4, 2, 1)
