"""TauNormBBoxHead: stock training, tau-norm / tau-norm-select logits at test, mmdet plumbing."""
import os.path as osp
from unittest import TestCase

import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData

import ltr_mm  # noqa: F401

C, IN, FC = 4, 8, 16
REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))))
RCNN_TEST_CFG = ConfigDict(score_thr=0.0, nms=dict(type='nms', iou_threshold=0.5),
                           max_per_img=50)


def build(type_='TauNormBBoxHead', **kwargs):
    cfg = dict(type=type_, in_channels=IN, fc_out_channels=FC, roi_feat_size=7, num_classes=C)
    cfg.update(kwargs)
    with DefaultScope.overwrite_default_scope('mmdet'):
        head = MODELS.build(cfg)
    head.init_weights()
    return head


def twins(**test_cfg):
    """A stock Shared2FCBBoxHead and a TauNormBBoxHead holding the same (strictly loaded)
    weights, with rows of very different norms as after long-tailed training."""
    torch.manual_seed(0)
    stock = build('Shared2FCBBoxHead')
    with torch.no_grad():
        stock.fc_cls.weight.mul_(torch.tensor([4.0, 0.5, 2.0, 0.25, 3.0]).view(-1, 1))
        stock.fc_cls.bias.copy_(torch.tensor([0.3, -0.2, 0.1, -0.4, 0.5]))
    head = build(test_cfg=test_cfg)
    head.load_state_dict(stock.state_dict(), strict=True)
    return stock, head


def targets(labels):
    n = labels.numel()
    return labels, torch.ones(n), torch.rand(n, 4), torch.ones(n, 4)


class TestTauNormBBoxHead(TestCase):

    def setUp(self):
        torch.manual_seed(1)
        self.x = torch.rand(6, IN, 7, 7)
        self.labels = torch.tensor([0, C, 2, C, 3, 1])

    def by_hand(self, head, weight, bias):
        """``<shared feature, weight_c> + bias_c`` computed from the module's own layers."""
        with torch.no_grad():
            feat = self.x.flatten(1)
            for fc in head.shared_fcs:
                feat = F.relu(fc(feat))
            logits = feat @ weight.t()
            return logits if bias is None else logits + bias

    def test_defaults_state_dict_and_bad_cfg(self):
        head = build()
        assert head.test_cfg == dict(tau_norm=0.0, tau_norm_select=False, keep_bias=True)
        assert head.fc_cls.out_features == C + 1
        assert set(head.state_dict()) == set(build('Shared2FCBBoxHead').state_dict())
        with self.assertRaises(ValueError):
            build(test_cfg=dict(tau=1.0))
        with self.assertRaises(ValueError):
            build(cls_predictor_cfg=dict(type='NormedLinear'))
        with self.assertRaises(ValueError):
            build(loss_cls=dict(type='SigmoidFocalClsLoss'))

    def test_tau_norm_all_rows_by_hand(self):
        stock, head = twins(tau_norm=1.0)
        w, b = stock.fc_cls.weight.detach(), stock.fc_cls.bias.detach()
        norms = w.norm(dim=1, keepdim=True)
        head.eval()
        with torch.no_grad():
            cls_score, bbox_pred = head(self.x)
        torch.testing.assert_close(cls_score, self.by_hand(stock, w / norms, b))
        torch.testing.assert_close(bbox_pred, stock.eval()(self.x)[1])
        head.test_cfg.update(tau_norm=0.5, keep_bias=False)
        with torch.no_grad():
            cls_score, _ = head(self.x)
        torch.testing.assert_close(cls_score, self.by_hand(stock, w / norms.sqrt(), None))

    def test_tau_norm_select_keeps_background_row(self):
        stock, head = twins(tau_norm=1.0, tau_norm_select=True)
        w, b = stock.fc_cls.weight.detach(), stock.fc_cls.bias.detach()
        expected_w = w.clone()
        expected_w[:C] = w[:C] / w[:C].norm(dim=1, keepdim=True)
        head.eval()
        with torch.no_grad():
            cls_score, _ = head(self.x)
            plain, _ = stock.eval()(self.x)
        torch.testing.assert_close(cls_score, self.by_hand(stock, expected_w, b))
        assert torch.equal(cls_score[:, C], plain[:, C])  # the trained background logit
        assert not torch.allclose(cls_score[:, :C], plain[:, :C])
        head.test_cfg['keep_bias'] = False
        with torch.no_grad():
            cls_score, _ = head(self.x)
        expected_b = torch.cat([torch.zeros(C), b[C:]])
        torch.testing.assert_close(cls_score, self.by_hand(stock, expected_w, expected_b))
        assert torch.equal(cls_score[:, C], plain[:, C])

    def test_p_zero_equals_stock_predictions_exactly(self):
        for select in (False, True):
            stock, head = twins(tau_norm=0.0, tau_norm_select=select)
            stock.eval(), head.eval()
            rois = torch.cat([torch.zeros(6, 1), torch.rand(6, 2) * 10,
                              10 + torch.rand(6, 2) * 20], 1)
            with torch.no_grad():
                out_stock, out_head = stock(self.x), head(self.x)
            assert torch.equal(out_stock[0], out_head[0])
            assert torch.equal(out_stock[1], out_head[1])
            res_stock, res_head = (h.predict_by_feat(
                (rois, ), (out[0], ), (out[1], ), [dict(img_shape=(32, 32))],
                rcnn_test_cfg=RCNN_TEST_CFG)[0] for h, out in ((stock, out_stock),
                                                               (head, out_head)))
            assert res_stock.scores.numel() > 0
            for key in ('bboxes', 'scores', 'labels'):
                assert torch.equal(res_stock[key], res_head[key])

    def test_training_is_stock(self):
        stock, head = twins(tau_norm=1.0, tau_norm_select=True, keep_bias=False)
        stock.train(), head.train()
        out_stock, out_head = stock(self.x), head(self.x)
        assert torch.equal(out_stock[0], out_head[0])
        rois, tgt = torch.zeros(6, 5), targets(self.labels)
        loss_stock = stock.loss(*out_stock, rois, *tgt)
        loss_head = head.loss(*out_head, rois, *tgt)
        assert set(loss_stock) == set(loss_head) == {'loss_cls', 'acc', 'loss_bbox'}
        for key in loss_stock:
            assert torch.equal(loss_stock[key], loss_head[key])
        loss_head['loss_cls'].backward()
        loss_stock['loss_cls'].backward()
        assert torch.equal(head.fc_cls.weight.grad, stock.fc_cls.weight.grad)

    def test_predict_scores_are_softmax_of_tau_normed_logits(self):
        stock, head = twins(tau_norm=1.0)
        head.eval()
        rois = torch.cat([torch.zeros(6, 1), torch.tensor([[1., 1., 20., 20.]]).repeat(6, 1)], 1)
        with torch.no_grad():
            cls_score, bbox_pred = head(self.x)
        results = head.predict_by_feat((rois, ), (cls_score, ), (bbox_pred, ),
                                       [dict(img_shape=(32, 32))], rcnn_test_cfg=RCNN_TEST_CFG)
        top = results[0].scores.max()
        torch.testing.assert_close(top, cls_score.softmax(-1)[:, :C].max())


def test_config_test_cfg_plumbing_and_cfg_options():
    """The small twin keeps mmdet's rcnn test_cfg; the head's own test_cfg is reachable with
    --cfg-options, and a whole detector predicts through it."""
    cfg = Config.fromfile(osp.join(REPO, 'configs/tau-norm/'
                                   'tau-norm_faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'))
    assert cfg.model.roi_head.bbox_head.type == 'TauNormBBoxHead'
    assert cfg.model.roi_head.bbox_head.test_cfg.tau_norm == 1.0
    assert cfg.load_from == cfg.baseline_checkpoint
    cfg.merge_from_dict({'model.roi_head.bbox_head.test_cfg.tau_norm': 0.5,
                         'model.roi_head.bbox_head.test_cfg.tau_norm_select': True})
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    head = model.roi_head.bbox_head
    assert head.test_cfg == dict(tau_norm=0.5, tau_norm_select=True, keep_bias=True)
    assert model.roi_head.test_cfg.max_per_img == 100  # mmdet's rcnn test_cfg untouched
    model.eval()
    sample = DetDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                         scale_factor=(1.0, 1.0), batch_input_shape=(64, 64),
                                         pad_shape=(64, 64)))
    torch.manual_seed(0)
    with torch.no_grad():
        data = model.data_preprocessor(dict(inputs=[torch.randint(0, 255, (3, 64, 64))],
                                            data_samples=[sample]), False)
        result = model(**data, mode='predict')[0]
    assert result.pred_instances.scores.numel() > 0
    assert (result.pred_instances.labels < 10).all()


@pytest.mark.parametrize('name', [
    'tau-norm_faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py',
    'tau-norm-select_faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'])
def test_lvis_configs_load_their_baseline(name):
    cfg = Config.fromfile(osp.join(REPO, 'configs/tau-norm', name))
    baseline = osp.basename(cfg.baseline_checkpoint.rsplit('/', 2)[-2])
    assert osp.isfile(osp.join(REPO, 'configs/baselines', baseline + '.py'))
    assert cfg.load_from == cfg.baseline_checkpoint
    assert cfg.model.roi_head.bbox_head.test_cfg.tau_norm_select == ('select' in name)


def test_cascade_stages_each_tau_normed():
    """In a CascadeRoIHead every stage re-scales its own fc_cls before mmdet averages the
    stage logits; with tau_norm=0 the predictions are the stock cascade's exactly."""
    def roi_head(head_type, **test_cfg):
        stage = dict(type=head_type, in_channels=IN, fc_out_channels=FC, roi_feat_size=7,
                     num_classes=C, reg_class_agnostic=True,
                     bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                                     target_stds=[0.1, 0.1, 0.2, 0.2]))
        if test_cfg:
            stage['test_cfg'] = test_cfg
        cfg = dict(type='CascadeRoIHead', num_stages=3, stage_loss_weights=[1, 0.5, 0.25],
                   bbox_roi_extractor=dict(type='SingleRoIExtractor', out_channels=IN,
                                           roi_layer=dict(type='RoIAlign', output_size=7),
                                           featmap_strides=[4]),
                   bbox_head=[stage] * 3, test_cfg=dict(RCNN_TEST_CFG, max_per_img=20))
        return MODELS.build(ConfigDict(cfg))

    with DefaultScope.overwrite_default_scope('mmdet'):
        stock = roi_head('Shared2FCBBoxHead')
        torch.manual_seed(0)
        stock.init_weights()
        heads = {p: roi_head('TauNormBBoxHead', tau_norm=p) for p in (0.0, 1.0)}
    for head in heads.values():
        head.load_state_dict(stock.state_dict(), strict=True)
    feats = (torch.rand(1, IN, 16, 16), )
    sample = DetDataSample(metainfo=dict(img_shape=(64, 64), scale_factor=(1., 1.)))
    boxes = torch.tensor([[4., 4., 30., 30.], [30., 20., 60., 50.]]).repeat(4, 1)
    boxes = boxes + torch.rand(8, 4)

    def predict(model):
        model.eval()
        proposals = InstanceData(bboxes=boxes.clone(), scores=torch.ones(8),
                                 labels=torch.zeros(8, dtype=torch.long))
        with torch.no_grad():
            return model.predict(feats, [proposals], [sample], rescale=False)[0]

    plain, off, on = predict(stock), predict(heads[0.0]), predict(heads[1.0])
    assert plain.scores.numel() > 0
    for key in ('bboxes', 'scores', 'labels'):
        assert torch.equal(plain[key], off[key])
    assert not torch.equal(plain.scores, on.scores)
