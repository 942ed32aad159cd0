"""TDEBBoxHead through mmdet: fc_cls layout, fg-only all-reduced buffer, TDE inference."""
from unittest import TestCase, mock

import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData

import ltr_mm  # noqa: F401
from ltr_mm.models.functional.causal_norm import causal_norm_logits, tde_logits

C, IN, FC = 4, 8, 16


def build(**kwargs):
    cfg = dict(type='TDEBBoxHead', in_channels=IN, fc_out_channels=FC, roi_feat_size=7,
               num_classes=C, reg_class_agnostic=True)
    cfg.update(kwargs)
    with DefaultScope.overwrite_default_scope('mmdet'):
        head = MODELS.build(cfg)
    head.init_weights()
    return head


def targets(labels):
    n = labels.numel()
    return labels, torch.ones(n), torch.zeros(n, 4), torch.ones(n, 4)


class TestTDEBBoxHead(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.rois = torch.rand(6, IN, 7, 7)
        self.labels = torch.tensor([0, C, 2, C, 3, 0])  # background = num_classes

    def test_fc_cls_layout_and_init(self):
        head = build()
        assert head.fc_cls.out_features == C + 1 and head.fc_cls.in_features == FC
        assert head.fc_cls.bias is None
        assert head.fc_cls.weight.abs().max() <= FC ** -0.5
        assert 'mean_feat' in head.state_dict()
        assert head.test_cfg == dict(alpha=1.5, bg_exempt=True)
        with self.assertRaises(ValueError):
            build(num_heads=3)

    def test_training_logits_and_loss_keys(self):
        head = build(num_heads=2, tau=16.0, gamma=1 / 32).train()
        cls_score, bbox_pred = head(self.rois)
        feat = head.cls_feat(self.rois)
        torch.testing.assert_close(cls_score, causal_norm_logits(feat, head.fc_cls.weight))
        assert bbox_pred.shape == (6, 4)
        losses = head.loss(cls_score, bbox_pred, torch.zeros(6, 5), *targets(self.labels))
        assert set(losses) == {'loss_cls', 'acc', 'loss_bbox'}
        losses['loss_cls'].backward()
        assert head.fc_cls.weight.grad is not None

    def test_buffer_is_fg_mean_only(self):
        head = build(mu=0.5).train()
        head.mean_feat.fill_(2.0)
        cls_score, bbox_pred = head(self.rois)
        feat = head.cls_feat(self.rois).detach()
        head.loss(cls_score, bbox_pred, torch.zeros(6, 5), *targets(self.labels))
        fg_mean = feat[[0, 2, 4, 5]].mean(0)
        torch.testing.assert_close(head.mean_feat, 0.5 * 2.0 + fg_mean)

    def test_no_foreground_keeps_buffer(self):
        head = build().train()
        cls_score, bbox_pred = head(self.rois)
        head.loss(cls_score, bbox_pred, torch.zeros(6, 5), *targets(torch.full((6, ), C)))
        assert (head.mean_feat == 0).all()

    def test_buffer_all_reduce_two_ranks(self):
        head = build(mu=0.9).train()
        cls_score, bbox_pred = head(self.rois)
        feat = head.cls_feat(self.rois).detach()
        other = torch.rand(3, FC)  # rank 1: 3 fg RoIs with these features

        def fake_all_reduce(data, op='sum', group=None):
            assert op == 'sum'
            data += torch.cat([other.sum(0), torch.tensor([3.0])])

        with mock.patch('mmengine.dist.all_reduce', side_effect=fake_all_reduce) as reduce:
            head.loss(cls_score, bbox_pred, torch.zeros(6, 5), *targets(self.labels))
        reduce.assert_called_once()
        expected = torch.cat([feat[[0, 2, 4, 5]], other]).mean(0)
        torch.testing.assert_close(head.mean_feat, expected)

    def test_inference_alpha_zero_is_plain_softmax(self):
        head = build(test_cfg=dict(alpha=0.0)).eval()
        head.mean_feat.copy_(torch.rand(FC))
        with torch.no_grad():
            log_p, _ = head(self.rois)
            plain = causal_norm_logits(head.cls_feat(self.rois), head.fc_cls.weight)
        torch.testing.assert_close(log_p.softmax(-1), plain.softmax(-1))

    def test_inference_bg_exempted_by_hand(self):
        head = build(test_cfg=dict(alpha=2.0)).eval()
        head.mean_feat.copy_(torch.rand(FC))
        with torch.no_grad():
            log_s, _ = head(self.rois)
            feat = head.cls_feat(self.rois)
            p = causal_norm_logits(feat, head.fc_cls.weight).softmax(-1)
            q = tde_logits(feat, head.fc_cls.weight, head.mean_feat, 2.0).softmax(-1)
        scores = log_s.softmax(-1)  # what mmdet's predict_by_feat computes
        torch.testing.assert_close(scores[:, -1], p[:, -1])
        fg = (1 - p[:, -1:]) * q[:, :-1] / (1 - q[:, -1:])
        torch.testing.assert_close(scores[:, :-1], fg)
        head.test_cfg['bg_exempt'] = False
        with torch.no_grad():
            torch.testing.assert_close(head(self.rois)[0].softmax(-1), q)

    def test_predict_by_feat_returns_probabilities_once(self):
        head = build(test_cfg=dict(alpha=1.0)).eval()
        head.mean_feat.copy_(torch.rand(FC))
        rois = torch.cat([torch.zeros(6, 1), torch.tensor([[1., 1., 20., 20.]]).repeat(6, 1)], 1)
        with torch.no_grad():
            cls_score, bbox_pred = head(self.rois)
        results = head.predict_by_feat(
            (rois, ), (cls_score, ), (bbox_pred, ), [dict(img_shape=(32, 32))],
            rcnn_test_cfg=ConfigDict(score_thr=0.0, nms=dict(type='nms', iou_threshold=1.0),
                                     max_per_img=100))
        top = results[0].scores.max()
        assert 0 < top <= 1 and torch.isclose(top, cls_score.exp()[:, :-1].max())


class TestTDEInCascade(TestCase):
    """Each Cascade stage is a TDEBBoxHead with its own buffer; loss and predict run."""

    def test_cascade_roi_head(self):
        torch.manual_seed(0)
        stage = dict(type='TDEBBoxHead', in_channels=IN, fc_out_channels=FC, roi_feat_size=7,
                     num_classes=C, reg_class_agnostic=True,
                     bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                                     target_stds=[0.1, 0.1, 0.2, 0.2]))
        rcnn = dict(assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.5,
                                  min_pos_iou=0.5),
                    sampler=dict(type='RandomSampler', num=32, pos_fraction=0.25),
                    pos_weight=-1)
        cfg = dict(type='CascadeRoIHead', num_stages=3, stage_loss_weights=[1, 0.5, 0.25],
                   bbox_roi_extractor=dict(type='SingleRoIExtractor', out_channels=IN,
                                           roi_layer=dict(type='RoIAlign', output_size=7),
                                           featmap_strides=[4]),
                   bbox_head=[stage, stage, stage], train_cfg=[rcnn, rcnn, rcnn],
                   test_cfg=dict(score_thr=0.0, nms=dict(type='nms', iou_threshold=0.5),
                                 max_per_img=20))
        with DefaultScope.overwrite_default_scope('mmdet'):
            roi_head = MODELS.build(ConfigDict(cfg))
        feats = (torch.rand(1, IN, 16, 16), )
        gt = InstanceData(bboxes=torch.tensor([[4., 4., 30., 30.], [30., 20., 60., 50.]]),
                          labels=torch.tensor([1, 3]))
        sample = DetDataSample(metainfo=dict(img_shape=(64, 64), scale_factor=(1., 1.)))
        sample.gt_instances = gt
        boxes = gt.bboxes.repeat(4, 1) + torch.rand(8, 4)

        def proposals():  # the RoI head renames the field in place, so a fresh one per call
            return InstanceData(bboxes=boxes.clone(), scores=torch.ones(8),
                                labels=torch.zeros(8, dtype=torch.long))

        roi_head.train()
        losses = roi_head.loss(feats, [proposals()], [sample])
        assert {'s0.loss_cls', 's1.loss_cls', 's2.loss_cls'} <= set(losses)
        buffers = [h.mean_feat.clone() for h in roi_head.bbox_head]
        assert all(b.abs().sum() > 0 for b in buffers)
        assert not torch.equal(buffers[0], buffers[1])
        roi_head.eval()
        with torch.no_grad():
            results = roi_head.predict(feats, [proposals()], [sample], rescale=False)
        assert results[0].scores.numel() > 0 and (results[0].scores <= 1).all()
        assert (results[0].labels < C).all()
