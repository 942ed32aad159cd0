"""TDEClsHead with mmpretrain DataSample: causal-norm loss, moving average, TDE predict."""
from unittest import TestCase, mock

import torch
from mmengine.registry import DefaultScope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.models.functional.causal_norm import causal_norm_logits, tde_logits

C, D = 5, 8


def build(**kwargs):
    cfg = dict(type='TDEClsHead', num_classes=C, in_channels=D, cal_acc=True)
    cfg.update(kwargs)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        head = MODELS.build(cfg)
    head.init_weights()
    return head


class TestTDEClsHead(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.feat = torch.rand(4, D)
        self.samples = [DataSample().set_gt_label(i % C) for i in range(4)]

    def test_build_and_defaults(self):
        head = build()
        assert head.fc.weight.shape == (C, D) and head.fc.bias is None
        assert head.fc.weight.abs().max() <= D ** -0.5
        assert head.test_cfg == dict(alpha=3.0) and head.mu == 0.9
        assert 'mean_feat' in head.state_dict()
        with self.assertRaises(ValueError):
            build(num_heads=3)

    def test_forward_is_causal_norm(self):
        head = build(num_heads=2, tau=16.0, gamma=1 / 32)
        torch.testing.assert_close(head((self.feat, )),
                                   causal_norm_logits(self.feat, head.fc.weight, 2, 16.0, 1 / 32))

    def test_loss_updates_mean_feat(self):
        head = build(mu=0.5)
        head.mean_feat.fill_(1.0)
        losses = head.loss((self.feat, ), self.samples)
        assert set(losses) == {'loss', 'accuracy_top-1'}
        losses['loss'].backward()
        assert head.fc.weight.grad is not None
        torch.testing.assert_close(head.mean_feat, 0.5 + self.feat.mean(0))
        head.set_tde_momentum(0.0)
        head.loss((2 * self.feat, ), self.samples)
        torch.testing.assert_close(head.mean_feat, 2 * self.feat.mean(0))

    def test_all_reduce_two_ranks(self):
        head = build(mu=0.9)
        other = torch.rand(6, D)

        def fake_all_reduce(data, op='sum', group=None):
            data += torch.cat([other.sum(0), torch.tensor([6.0])])

        with mock.patch('mmengine.dist.all_reduce', side_effect=fake_all_reduce) as reduce:
            head.loss((self.feat, ), self.samples)
        reduce.assert_called_once()
        torch.testing.assert_close(head.mean_feat, torch.cat([self.feat, other]).mean(0))

    def test_predict_alpha_zero_is_plain(self):
        head = build(test_cfg=dict(alpha=0.0))
        head.mean_feat.copy_(torch.rand(D))
        preds = head.predict((self.feat, ), [DataSample() for _ in range(4)])
        expected = head((self.feat, )).softmax(-1)
        scores = torch.stack([p.pred_score for p in preds])
        torch.testing.assert_close(scores, expected)
        assert [p.pred_label.item() for p in preds] == expected.argmax(-1).tolist()

    def test_predict_tde(self):
        head = build(test_cfg=dict(alpha=1.5))
        head.mean_feat.copy_(torch.rand(D))
        preds = head.predict((self.feat, ))
        expected = tde_logits(self.feat, head.fc.weight, head.mean_feat, 1.5).softmax(-1)
        torch.testing.assert_close(torch.stack([p.pred_score for p in preds]), expected)
        plain = head((self.feat, )).softmax(-1)
        assert not torch.allclose(expected, plain)

    def test_in_image_classifier(self):
        cfg = dict(type='ImageClassifier', backbone=dict(type='ResNetCifarLDAM', depth=8),
                   neck=dict(type='GlobalAveragePooling'),
                   head=dict(type='TDEClsHead', num_classes=C, in_channels=64))
        with DefaultScope.overwrite_default_scope('mmpretrain'):
            model = MODELS.build(cfg)
        images = torch.rand(2, 3, 32, 32)
        samples = [DataSample().set_gt_label(1), DataSample().set_gt_label(3)]
        losses = model(images, samples, mode='loss')
        assert losses['loss'].item() > 0 and model.head.mean_feat.abs().sum() > 0
        model.eval()
        preds = model(images, mode='predict')
        assert len(preds) == 2 and preds[0].pred_score.shape == (C, )
