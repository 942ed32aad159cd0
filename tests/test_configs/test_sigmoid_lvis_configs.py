"""The small twins of the sigmoid-family LVIS methods (federated loss, EQLv2, ECM, mmdet's
Seesaw Loss) build from their configs, train one step and predict through mmdet's NMS; the
count-based ones declare the image-count statistics they need."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmdet.structures.mask import BitmapMasks
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData

import ltr_mm  # noqa: F401
from ltr_mm.utils.class_stats import ClassStats

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TWINS = {  # config: (loss type, fc_cls width, needs image counts)
    'configs/federated/federated_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py':
    ('FederatedClsLoss', 10, True),
    'configs/eqlv2/eqlv2_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py':
    ('EQLv2ClsLoss', 11, False),
    'configs/ecm/ecm_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py': ('ECMClsLoss', 11, True),
    'configs/seesaw/seesaw_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py':
    ('SeesawLoss', 12, False),
}
COUNTS = [900, 700, 500, 400, 300, 60, 40, 30, 8, 3]


def _batch(model, with_gt):
    sample = DetDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                         scale_factor=(1.0, 1.0), pad_shape=(64, 64)))
    if with_gt:
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[4., 4., 30., 30.], [20., 24., 60., 62.]]),
            labels=torch.tensor([9, 2]),
            masks=BitmapMasks(np.zeros((2, 64, 64), dtype=np.uint8), 64, 64))
    torch.manual_seed(1)
    return model.data_preprocessor(
        dict(inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)],
             data_samples=[sample]), with_gt)


@pytest.mark.parametrize('config', sorted(TWINS), ids=lambda p: osp.basename(osp.dirname(p)))
def test_twin_trains_and_predicts(config):
    loss_type, width, needs_counts = TWINS[config]
    cfg = Config.fromfile(osp.join(REPO, config))
    hooks = [h for h in cfg.get('custom_hooks', []) if h['type'] == 'SetClassStatsHook']
    assert (hooks == [dict(type='SetClassStatsHook', count_type='image')]) == needs_counts
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    head = model.roi_head.bbox_head
    assert type(head.loss_cls).__name__ == loss_type and head.fc_cls.out_features == width
    if needs_counts:
        # what SetClassStatsHook does before training
        head.loss_cls.set_class_stats(ClassStats.from_counts(COUNTS))
    model.train()
    losses = model(**_batch(model, with_gt=True), mode='loss')
    # SeesawLoss returns loss_cls_objectness and loss_cls_classes
    loss_cls = sum(v for k, v in losses.items() if k.startswith('loss_cls'))
    assert torch.isfinite(loss_cls) and loss_cls > 0
    loss_cls.backward()
    assert head.fc_cls.weight.grad is not None
    model.eval()
    with torch.no_grad():
        result = model(**_batch(model, with_gt=False), mode='predict')[0].pred_instances
    assert result.scores.numel() > 0
    assert (result.labels < 10).all() and (result.scores <= 1).all() and (result.scores > 0).all()
