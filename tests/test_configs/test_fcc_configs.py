"""FCC configs: FCC on Balanced Softmax CE scales the training features of the right classes;
under cosine classifiers (LDAM-DRW's head, RIDE's experts) the per-sample scale cancels, which
is why ltr_mm ships no FCC config for them."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import ClassStats

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FCC_CE = 'configs/fcc/fcc_ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
FCC_BSCE = 'configs/fcc/fcc_bsce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
LDAM_DRW = 'configs/losses/ldam-drw_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
COUNTS = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]  # Fashion-MNIST-LT IF100


def _cfg(path):
    return Config.fromfile(osp.join(REPO, path))


def _build(model_cfg):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = CLS_MODELS.build(model_cfg)
    for module in model.modules():  # what SetClassStatsHook does
        if module is not model and callable(getattr(module, 'set_class_stats', None)):
            module.set_class_stats(ClassStats.from_counts(COUNTS))
    return model


def _set_epoch(model, epoch):
    """What SetEpochHook does before a training epoch."""
    for module in model.modules():
        if callable(getattr(module, 'set_epoch', None)):
            module.set_epoch(epoch)


def _batch():
    torch.manual_seed(0)
    labels = [0, 3, 9, 5]
    return torch.rand(4, 3, 32, 32), labels, [DataSample().set_gt_label(y) for y in labels]


@pytest.mark.parametrize('epoch,active', [(2, False), (3, True)])
def test_fcc_bsce_twin_loss_by_hand(epoch, active):
    cfg = _cfg(FCC_BSCE)
    assert cfg.model.head.loss.type == 'BalancedSoftmaxLoss'
    assert [h.type for h in cfg.custom_hooks] == ['SetEpochHook', 'SetClassStatsHook']
    model = _build(cfg.model).train()
    _set_epoch(model, epoch)
    inputs, labels, samples = _batch()
    loss = model(inputs, samples, mode='loss')['loss']
    with torch.no_grad():
        feats = model.backbone(inputs)[-1]
    # gamma 0.5, C = 10, class k (sorted by frequency) scaled by round(1.5 - 0.05 k, 2)
    factors = torch.tensor([1.5 - 0.05 * y for y in labels]) if active else torch.ones(4)
    logits = model.head.fc(model.neck((feats * factors.view(4, 1, 1, 1), ))[-1])
    target = torch.tensor(labels)
    expected = F.cross_entropy(logits + torch.tensor(COUNTS).float().log(), target)
    assert torch.allclose(loss, expected, rtol=1e-5, atol=1e-6)
    # predict never scales and never shifts: the plain linear logits
    model.eval()
    with torch.no_grad():
        scores = torch.stack([s.pred_score for s in model.predict(inputs, samples)])
        plain = model.head.fc(model.neck(model.backbone(inputs))[-1]).softmax(dim=1)
    assert torch.allclose(scores, plain, atol=1e-6)


def test_fcc_cancels_under_the_ldam_drw_cosine_head():
    linear = _cfg(FCC_CE).model
    cosine = linear.copy()
    cosine.head = _cfg(LDAM_DRW).model.head
    losses = {}
    for name, model_cfg in (('linear', linear), ('cosine', cosine)):
        fcc = _build(model_cfg)
        plain = _build({**model_cfg, 'feat_transform': None})
        plain.load_state_dict(fcc.state_dict())
        _set_epoch(fcc, 6)
        _set_epoch(plain, 6)
        inputs, _, samples = _batch()
        losses[name] = [m.train()(inputs, samples, mode='loss')['loss'] for m in (fcc, plain)]
    assert not torch.allclose(*losses['linear'])  # FCC acts on a linear classifier ...
    assert torch.allclose(*losses['cosine'], rtol=1e-6)  # ... and is a no-op on a cosine one


def test_ride_expert_logits_ignore_a_per_sample_feature_scale():
    ride = _cfg('configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py').model.head
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        head = CLS_MODELS.build(ride)
    torch.manual_seed(0)
    feats = torch.rand(4, 3, ride.in_channels)
    scale = torch.tensor([1.5, 1.2, 1.05, 1.0]).view(4, 1, 1)
    assert torch.allclose(head.forward_experts((feats * scale, )),
                          head.forward_experts((feats, )), atol=1e-5)


@pytest.mark.parametrize('path,num_classes,start_epoch,backbone', [
    ('configs/fcc/fcc_ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py', 1000, 25, 'ResNeXt'),
    ('configs/fcc/fcc_ce_resnet50_8xb32-100e_imagenet-lt.py', 1000, 25, 'ResNet'),
    ('configs/fcc/fcc_ce_resnet50_8xb64-100e_inat18.py', 8142, 0, 'ResNet'),
])
def test_large_fcc_configs(path, num_classes, start_epoch, backbone):
    # gamma 0.1 as the original's ImageNet-LT / iNat18 configs; ImageNet-LT's start epoch 50
    # of 200 scaled to the 100-epoch schedule, iNat18 from the first epoch; frequency ranks.
    cfg = _cfg(path)
    assert cfg.model.type == 'LTImageClassifier'
    assert cfg.model.backbone.type == backbone and cfg.model.backbone.depth == 50
    assert cfg.model.feat_transform == dict(type='FeatureClusterCompression',
                                            num_classes=num_classes, gamma=0.1,
                                            start_epoch=start_epoch, order='rank')
    assert cfg.model.head.num_classes == num_classes
    assert cfg.train_cfg.max_epochs == 100
    assert [h.type for h in cfg.custom_hooks] == ['SetEpochHook', 'SetClassStatsHook']
