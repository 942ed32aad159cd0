"""Class-count / class-stats files that do not fit the data or the model: errors naming the
file, the field and the value."""
import json
from types import SimpleNamespace

import pytest
import torch.nn as nn
from bad_input_data import lvis_dict, write_lvis
from mmpretrain.datasets import CustomDataset
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import SetClassStatsHook
from ltr_mm.evaluation.metrics import ShotAccuracy
from ltr_mm.models.heads import LTLinearClsHead
from ltr_mm.models.losses import BalancedSoftmaxLoss
from ltr_mm.models.losses.bags_loss import BAGSLoss
from ltr_mm.utils.class_stats import ClassStats, write_class_stats

CLASSES = ('cat', 'dog', 'emu')


@pytest.fixture
def runner(tmp_path):
    (tmp_path / 'train.txt').write_text('a.png 0\nb.png 0\nc.png 1\nd.png 2\n')
    dataset = CustomDataset(data_root=str(tmp_path), ann_file='train.txt', pipeline=[],
                            metainfo=dict(classes=CLASSES))
    model = nn.Module()
    model.head = nn.Module()
    model.head.num_classes = 3
    model.head.loss = BalancedSoftmaxLoss()
    return SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=dataset))


def _stats_file(tmp_path, **fields):
    record = dict(num_classes=3, classes=list(CLASSES), counts=[2, 1, 1])
    record.update(fields)
    path = tmp_path / 'class_stats.json'
    path.write_text(json.dumps(record))
    return str(path)


def test_hook_file_with_fewer_classes_than_the_data(tmp_path, runner):
    path = tmp_path / 'class_stats.json'
    write_class_stats(path, ['cat', 'dog'], [2, 1])
    with pytest.raises(ValueError) as info:
        SetClassStatsHook(class_stats=str(path)).before_train(runner)
    assert str(info.value) == (
        f'{path}: field "counts" = [2, 1] has 2 entries but the training data (CustomDataset, '
        f'file {tmp_path / "train.txt"}) has 3 classes')


def test_hook_file_with_other_class_names(tmp_path, runner):
    path = _stats_file(tmp_path, classes=['cat', 'emu', 'dog'])
    with pytest.raises(ValueError) as info:
        SetClassStatsHook(class_stats=path).before_train(runner)
    assert str(info.value) == (
        f'{path}: field "classes[1]" = \'emu\' differs from the training data (CustomDataset, '
        f'file {tmp_path / "train.txt"}), whose class 1 is \'dog\' (2 of 3 names differ)')


def test_hook_file_with_a_negative_count(tmp_path, runner):
    path = _stats_file(tmp_path, counts=[2, -1, 1])
    with pytest.raises(ValueError) as info:
        SetClassStatsHook(class_stats=path).before_train(runner)
    assert str(info.value) == f"{path}: field 'counts[1]' = -1 is not a non-negative integer"


def test_hook_file_with_a_non_integer_count(tmp_path, runner):
    path = _stats_file(tmp_path, counts=[2, 1, 2.5])
    with pytest.raises(ValueError) as info:
        SetClassStatsHook(class_stats=path).before_train(runner)
    assert str(info.value) == f"{path}: field 'counts[2]' = 2.5 is not a non-negative integer"


def test_hook_file_that_fits(tmp_path, runner):
    SetClassStatsHook(class_stats=_stats_file(tmp_path)).before_train(runner)
    assert runner.model.head.loss.class_counts.tolist() == [2, 1, 1]


def test_head_stats_with_wrong_length(tmp_path):
    path = tmp_path / 'class_stats.json'
    write_class_stats(path, list('abcd'), [5, 4, 3, 1])
    head = LTLinearClsHead(num_classes=3, in_channels=4, test_cfg=dict(logit_adjust=1.0))
    with pytest.raises(ValueError) as info:
        head.set_class_stats(ClassStats.from_file(path))
    assert str(info.value) == f'LTLinearClsHead: {path} has 4 class counts for num_classes=3'


def test_shot_accuracy_file_with_other_class_names(tmp_path):
    path = tmp_path / 'class_stats.json'
    write_class_stats(path, ['cat', 'dog', 'fox'], [500, 50, 5])
    metric = ShotAccuracy()
    metric.set_class_stats(ClassStats.from_file(path))
    metric.dataset_meta = dict(classes=CLASSES)
    metric.process(None, [DataSample().set_gt_label(0).set_pred_label(0)])
    with pytest.raises(ValueError) as info:
        metric.evaluate(1)
    assert str(info.value) == (
        f'{path}: field "classes[2]" = \'fox\' differs from the evaluated dataset '
        '(dataset_meta), whose class 2 is \'emu\' (1 of 3 names differ)')


def test_bags_loss_counts_that_do_not_fit():
    with pytest.raises(ValueError) as info:
        BAGSLoss(num_classes=3, class_counts=[4, 2])
    assert str(info.value) == ('BAGSLoss: field "class_counts" = [4, 2] has 2 entries; BAGSLoss '
                               'needs num_classes=3 non-negative integer counts')
    with pytest.raises(ValueError, match=r'= \[4, -2, 1\] holds -2, not a non-negative integer'):
        BAGSLoss(num_classes=3, class_counts=[4, -2, 1])


def test_bags_loss_annotation_file_with_other_class_number(tmp_path):
    data = lvis_dict()
    for cat in data['categories']:
        del cat['instance_count']
    ann = write_lvis(tmp_path, data, images=False)
    loss = BAGSLoss(num_classes=4)
    with pytest.raises(ValueError) as info:
        loss.set_class_stats(ClassStats.from_file(ann))
    assert str(info.value) == (f'{ann}: field "counts" = [2, 1, 1] has 3 entries; BAGSLoss '
                               'needs num_classes=4 non-negative integer counts')
