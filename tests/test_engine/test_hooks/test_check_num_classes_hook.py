"""CheckNumClassesHook: a config num_classes that differs from the data stops the run at once."""
import os.path as osp
import sys
from types import SimpleNamespace

import pytest
from mmengine.config import Config
from mmengine.dataset import ClassBalancedDataset
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmpretrain.datasets import CustomDataset

import ltr_mm  # noqa: F401
from ltr_mm.datasets import CheckedLVISV1Dataset
from ltr_mm.engine.hooks import CheckNumClassesHook, NonFiniteLossHook
from ltr_mm.engine.hooks.check_num_classes_hook import config_field

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'test_datasets'))
from bad_input_data import lvis_kwargs, write_lvis  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BAGS = osp.join(REPO, 'configs/bags/bags_faster-rcnn_r18-w32_fpn_1xb4-4e_fashion-lvis.py')
CE = osp.join(REPO, 'configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py')


def _list_dataset(tmp_path):
    (tmp_path / 'train.txt').write_text('a.png 0\nb.png 1\nc.png 2\n')
    return CustomDataset(data_root=str(tmp_path), ann_file='train.txt', pipeline=[],
                         metainfo=dict(classes=('cat', 'dog', 'emu')))


def test_config_field_paths():
    assert config_field('roi_head.bbox_head') == 'model.roi_head.bbox_head.num_classes'
    assert config_field('roi_head.bbox_head.0.loss_cls') == \
        'model.roi_head.bbox_head[0].loss_cls.num_classes'
    assert config_field('') == 'model.num_classes'
    assert config_field('data_preprocessor') == 'data_preprocessor.num_classes'


def test_detector_with_bags_loss_against_wrapped_lvis(tmp_path):
    from mmdet.registry import MODELS
    init_default_scope('mmdet')
    model = MODELS.build(Config.fromfile(BAGS).model)  # 10 classes
    ann = write_lvis(tmp_path)  # 3 categories
    dataset = ClassBalancedDataset(CheckedLVISV1Dataset(**lvis_kwargs(tmp_path, ann)),
                                   oversample_thr=0.5)
    runner = SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=dataset))
    with pytest.raises(ValueError) as info:
        CheckNumClassesHook().before_train(runner)
    assert str(info.value) == (
        'config field "model.roi_head.bbox_head.num_classes" = 10 (Shared2FCBBoxHead) does not '
        f'match the data: train_dataloader.dataset (CheckedLVISV1Dataset, file {ann}) has 3 '
        'classes in metainfo["classes"]; also model.roi_head.bbox_head.loss_cls.num_classes = '
        '10')


def test_classifier_head_against_list_file(tmp_path):
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    model = MODELS.build(dict(type='ImageClassifier', backbone=dict(type='LeNet5'),
                              head=dict(type='LinearClsHead', num_classes=5, in_channels=84)))
    dataset = _list_dataset(tmp_path)
    runner = SimpleNamespace(model=model, val_dataloader=SimpleNamespace(dataset=dataset))
    with pytest.raises(ValueError) as info:
        CheckNumClassesHook().before_val(runner)
    assert str(info.value) == (
        'config field "model.head.num_classes" = 5 (LinearClsHead) does not match the data: '
        f'val_dataloader.dataset (CustomDataset, file {tmp_path / "train.txt"}) has 3 classes '
        'in metainfo["classes"]')
    model.head.num_classes = 3
    CheckNumClassesHook().before_val(runner)  # matching: no error


def test_real_config_stops_before_the_first_iteration(tmp_path):
    cfg = Config.fromfile(CE)  # ResNet-32, head num_classes=10
    assert cfg.default_hooks.check_num_classes.type == 'CheckNumClassesHook'
    assert cfg.default_hooks.check_nonfinite_loss.type == 'NonFiniteLossHook'
    (tmp_path / 'train.txt').write_text('a.png 0\nb.png 1\nc.png 2\n')
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False, dataset=dict(
        type='CustomDataset', data_root=str(tmp_path), ann_file='train.txt', data_prefix='',
        classes=['cat', 'dog', 'emu'], pipeline=cfg.train_dataloader.dataset.pipeline))
    cfg.train_dataloader.batch_size = 2
    cfg.update(work_dir=str(tmp_path / 'work'), val_dataloader=None, val_cfg=None,
               val_evaluator=None, test_dataloader=None, test_cfg=None, test_evaluator=None)
    runner = Runner.from_cfg(cfg)
    assert {type(h) for h in runner.hooks} >= {CheckNumClassesHook, NonFiniteLossHook}
    with pytest.raises(ValueError, match=r'^config field "model\.head\.num_classes" = 10 '
                       r'\(LinearClsHead\) does not match the data: train_dataloader\.dataset '
                       r'\(CustomDataset, file .*train\.txt\) has 3 classes in '
                       r'metainfo\["classes"\]; '
                       r'also data_preprocessor\.num_classes = 10$'):
        runner.train()
    assert runner.iter == 0
