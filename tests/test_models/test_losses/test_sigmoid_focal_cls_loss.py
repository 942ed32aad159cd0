"""SigmoidFocalClsLoss: C-wide fc_cls through mmdet's head, hand-computed loss, C + 1 scores."""
import math
import os.path as osp
from unittest import TestCase

import pytest
import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData

import ltr_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
SMALL = 'configs/focal/focal-cls_faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'


def build(cfg):
    with DefaultScope.overwrite_default_scope('mmdet'):
        return MODELS.build(cfg)


def focal_by_hand(logits, labels, weights, avg_factor, gamma=2.0, alpha=0.25):
    """Sum over RoIs and classes of w * alpha_t * (1 - p_t) ** gamma * -log(p_t) / avg."""
    total = 0.0
    for row, label, w in zip(logits, labels, weights):
        for c, z in enumerate(row):
            p = 1 / (1 + math.exp(-z))
            p_t, alpha_t = (p, alpha) if c == label else (1 - p, 1 - alpha)
            total += w * alpha_t * (1 - p_t) ** gamma * -math.log(p_t)
    return total / avg_factor


class TestSigmoidFocalClsLoss(TestCase):

    def setUp(self):
        self.loss = build(dict(type='SigmoidFocalClsLoss'))
        self.logits = torch.tensor([[2.0, -1.0, 0.5], [-0.3, 1.2, -2.0], [0.1, 0.4, 3.0]])
        self.labels = torch.tensor([0, 3, 2])  # 3 = C: background, all-zero target

    def test_protocol_flags_and_channels(self):
        assert self.loss.custom_cls_channels and self.loss.custom_activation
        assert self.loss.custom_accuracy
        assert self.loss.get_cls_channels(7) == 7

    def test_loss_by_hand(self):
        weights = torch.tensor([1.0, 1.0, 0.5])
        loss = self.loss(self.logits, self.labels, weights, avg_factor=3.0)
        expected = focal_by_hand(self.logits.tolist(), self.labels.tolist(), weights.tolist(), 3)
        assert math.isclose(loss.item(), expected, rel_tol=1e-5)
        summed = self.loss(self.logits, self.labels, reduction_override='sum')
        assert math.isclose(summed.item(), focal_by_hand(
            self.logits.tolist(), self.labels.tolist(), [1, 1, 1], 1), rel_tol=1e-5)
        per_element = self.loss(self.logits, self.labels, reduction_override='none')
        assert per_element.shape == (3, 3)
        torch.testing.assert_close(per_element.sum(), summed)
        # the background row is all negatives: p_t = 1 - p for every class
        bg_row = focal_by_hand([self.logits[1].tolist()], [3], [1], 1)
        assert math.isclose(per_element[1].sum().item(), bg_row, rel_tol=1e-5)

    def test_gamma_zero_alpha_half_is_half_bce(self):
        loss = build(dict(type='SigmoidFocalClsLoss', gamma=0.0, alpha=0.5, loss_weight=2.0))
        target = torch.tensor([[1., 0., 0.], [0., 0., 0.], [0., 0., 1.]])
        bce = torch.nn.functional.binary_cross_entropy_with_logits(self.logits, target,
                                                                   reduction='sum')
        torch.testing.assert_close(loss(self.logits, self.labels, avg_factor=1.0), bce)

    def test_activation_is_c_plus_1_bg_last(self):
        scores = self.loss.get_activation(self.logits)
        assert scores.shape == (3, 4)
        p = self.logits.sigmoid()
        torch.testing.assert_close(scores[:, :3], p)
        torch.testing.assert_close(scores[:, 3], (1 - p).prod(dim=1))
        big = self.loss.get_activation(torch.full((2, 1230), -4.6))  # no underflow to NaN
        assert torch.isfinite(big).all() and (big[:, -1] > 0).all()

    def test_accuracy_is_foreground_only(self):
        acc = self.loss.get_accuracy(self.logits, self.labels)
        assert set(acc) == {'acc_classes'}
        assert acc['acc_classes'].item() == 100.0  # RoI 0 -> class 0, RoI 2 -> class 2
        acc = self.loss.get_accuracy(self.logits, torch.tensor([1, 3, 2]))
        assert acc['acc_classes'].item() == 50.0

    def test_backward_and_reduction_contract(self):
        logits = self.logits.clone().requires_grad_()
        self.loss(logits, self.labels, avg_factor=3.0).backward()
        assert logits.grad is not None and logits.grad.abs().sum() > 0
        with self.assertRaises(AssertionError):
            self.loss(self.logits, self.labels, reduction_override='avg')

    def test_stock_head_width_and_loss_keys(self):
        torch.manual_seed(0)
        head = build(dict(type='Shared2FCBBoxHead', in_channels=8, fc_out_channels=16,
                          roi_feat_size=7, num_classes=5, reg_class_agnostic=True,
                          loss_cls=dict(type='SigmoidFocalClsLoss')))
        assert head.fc_cls.out_features == 5
        cls_score, bbox_pred = head(torch.rand(4, 8, 7, 7))
        labels = torch.tensor([0, 5, 4, 5])
        losses = head.loss(cls_score, bbox_pred, torch.zeros(4, 5), labels, torch.ones(4),
                           torch.zeros(4, 4), torch.ones(4, 4))
        assert set(losses) == {'loss_cls', 'acc_classes', 'loss_bbox'}
        expected = focal_by_hand(cls_score.tolist(), labels.tolist(), [1] * 4, 4)
        assert math.isclose(losses['loss_cls'].item(), expected, rel_tol=1e-5)


@pytest.fixture
def small_detector():
    cfg = Config.fromfile(osp.join(REPO, SMALL))
    assert cfg.model.roi_head.bbox_head.loss_cls.type == 'SigmoidFocalClsLoss'
    torch.manual_seed(0)
    model = build(cfg.model)
    model.init_weights()
    return model


def _batch(model, with_gt=False):
    sample = DetDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                         scale_factor=(1.0, 1.0), pad_shape=(64, 64)))
    if with_gt:
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[4., 4., 30., 30.], [20., 24., 60., 62.]]),
            labels=torch.tensor([9, 2]))
    torch.manual_seed(1)
    return model.data_preprocessor(
        dict(inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)],
             data_samples=[sample]), with_gt)


def test_focal_prior_init_of_the_config(small_detector):
    head = small_detector.roi_head.bbox_head
    assert head.fc_cls.out_features == 10
    torch.testing.assert_close(head.fc_cls.bias.detach(), torch.full((10, ), -math.log(99)))


def test_small_detector_trains_one_step(small_detector):
    small_detector.train()
    losses = small_detector(**_batch(small_detector, with_gt=True), mode='loss')
    assert {'loss_cls', 'acc_classes', 'loss_bbox', 'loss_rpn_cls'} <= set(losses)
    assert torch.isfinite(losses['loss_cls'])
    losses['loss_cls'].backward()
    assert small_detector.roi_head.bbox_head.fc_cls.weight.grad is not None


def test_small_detector_predicts_sigmoid_scores_through_nms(small_detector):
    """Every RoI scores sigmoid(b_c): class 9 (the last foreground class, which a C-wide
    activation would lose to multiclass NMS as 'background') at 0.9, the others at 0.01."""
    head = small_detector.roi_head.bbox_head
    with torch.no_grad():
        head.fc_cls.weight.zero_()
        head.fc_cls.bias.fill_(math.log(0.01 / 0.99))
        head.fc_cls.bias[9] = math.log(0.9 / 0.1)
    small_detector.eval()
    with torch.no_grad():
        result = small_detector(**_batch(small_detector), mode='predict')[0].pred_instances
    assert result.scores.numel() > 0 and (result.labels < 10).all()
    assert (result.labels == 9).any()
    top = result.labels == 9
    torch.testing.assert_close(result.scores[top], torch.full((int(top.sum()), ), 0.9))
    torch.testing.assert_close(result.scores[~top], torch.full((int((~top).sum()), ), 0.01))
    assert result.scores.argmax() == 0 and result.labels[0] == 9
