"""The focal, CB-focal and label-smoothing configs, run through their heads, give the
BagofTricks-LT losses computed by hand (mmpretrain's FocalLoss / LabelSmoothLoss are reused)."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.models.functional import effective_number_weights
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import ClassStats

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
DATASETS = ['cifar10-lt-r100', 'cifar100-lt-r100']


def _build(method: str, dataset: str):
    """The config and its head, built in the mmpretrain scope."""
    cfg = Config.fromfile(osp.join(REPO, f'configs/losses/{method}_resnet32_1xb128-200e_'
                                         f'{dataset}.py'))
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        head = CLS_MODELS.build(cfg.model.head)
    return cfg, head


def _run(head):
    """Logits, labels and head loss of a fixed batch holding head and tail classes."""
    torch.manual_seed(0)
    feats = torch.randn(6, head.in_channels)
    labels = torch.tensor([0, 1, 2, 3, head.num_classes - 2, head.num_classes - 1])
    samples = [DataSample().set_gt_label(int(y)) for y in labels]
    return head((feats, )), labels, head.loss((feats, ), samples)['loss']


def _sigmoid_focal_terms(logits, labels, gamma):
    """Per-sample sum over classes of BCE(z_c, t_c) * (1 - p_t,c) ** gamma."""
    target = F.one_hot(labels, logits.size(1)).float()
    p = torch.sigmoid(logits)
    p_t = p * target + (1 - p) * (1 - target)
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction='none')
    return (bce * (1 - p_t).pow(gamma)).sum(dim=1)


@pytest.mark.parametrize('dataset', DATASETS)
def test_focal_config_is_bag_of_tricks_sigmoid_focal(dataset):
    cfg, head = _build('focal', dataset)
    logits, labels, loss = _run(head)
    assert cfg.model.head.loss.type == 'FocalLoss'  # mmpretrain's, not a copy
    expected = _sigmoid_focal_terms(logits, labels, gamma=2.0).mean()
    assert torch.allclose(loss, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('dataset,beta', [('cifar10-lt-r100', 0.9999),
                                          ('cifar100-lt-r100', 0.9)])
def test_cb_focal_config_weights_the_focal_terms(dataset, beta):
    cfg, head = _build('cb-focal', dataset)
    assert cfg.custom_hooks == [dict(type='SetClassStatsHook')]
    data = cfg.train_dataloader.dataset
    num_classes = cfg.model.head.num_classes
    stats = ClassStats.from_profile(n_max=50000 // num_classes, imb_factor=data.imb_factor,
                                    num_classes=num_classes)  # what the CIFAR-LT set holds
    head.loss_module.set_class_stats(stats)  # SetClassStatsHook's call
    counts = list(stats.counts)
    logits, labels, loss = _run(head)
    n = torch.tensor(counts, dtype=torch.float64)
    weight = (1 - beta) / (1 - beta**n)
    weight = (weight * len(counts) / weight.sum()).float()
    assert torch.allclose(weight, effective_number_weights(counts, beta))
    expected = (weight[labels] * _sigmoid_focal_terms(logits, labels, gamma=1.0)).mean()
    assert torch.allclose(loss, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('dataset', DATASETS)
def test_label_smooth_config(dataset):
    cfg, head = _build('label-smooth', dataset)
    logits, labels, loss = _run(head)
    assert cfg.model.head.loss.type == 'LabelSmoothLoss'
    num_classes = logits.size(1)
    target = 0.9 * F.one_hot(labels, num_classes).float() + 0.1 / num_classes
    expected = -(target * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
    assert torch.allclose(loss, expected, rtol=1e-5, atol=1e-7)
