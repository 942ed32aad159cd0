"""LTImageClassifier with FCC: scaled features in training, untouched predictions."""
import tempfile
from types import SimpleNamespace
from unittest import TestCase

import torch
from mmpretrain.models import ImageClassifier
from mmpretrain.structures import DataSample

from ltr_mm.engine.hooks import SetClassStatsHook, SetEpochHook
from ltr_mm.models.classifiers import LTImageClassifier
from ltr_mm.registry import CLS_MODELS
from ltr_mm.utils.class_stats import write_class_stats

FCC = dict(type='FeatureClusterCompression', num_classes=4, gamma=0.1, start_epoch=1,
           order='index')


def _model(feat_transform=None):
    return CLS_MODELS.build(
        dict(type='LTImageClassifier',
             backbone=dict(type='ResNetCifarLDAM', depth=8, base_channels=4),
             neck=dict(type='GlobalAveragePooling'),
             head=dict(type='LTLinearClsHead', num_classes=4, in_channels=16),
             feat_transform=feat_transform))


class TestLTImageClassifier(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.inputs = torch.rand(3, 3, 16, 16)
        self.labels = [3, 0, 1]
        self.samples = [DataSample().set_gt_label(y) for y in self.labels]
        self.plain = _model()
        self.fcc = _model(FCC)
        self.fcc.load_state_dict(self.plain.state_dict())  # same weights, no extra keys

    def test_build(self):
        self.assertIsInstance(self.fcc, LTImageClassifier)
        self.assertTrue(self.fcc.with_feat_transform)
        self.assertFalse(self.plain.with_feat_transform)
        self.assertEqual(self.fcc.state_dict().keys(), self.plain.state_dict().keys())

    def test_training_features_scaled_per_sample(self):
        self.fcc.train()
        self.fcc.feat_transform.set_epoch(2)
        seen = {}
        head_loss = self.fcc.head.loss

        def capture(feats, data_samples):
            seen['feats'] = feats[-1]
            return head_loss(feats, data_samples)

        self.fcc.head.loss = capture
        losses = self.fcc(self.inputs, self.samples, mode='loss')
        self.assertIn('loss', losses)
        with torch.no_grad():
            plain_feats = self.fcc.neck(self.fcc.backbone(self.inputs))[-1]
        factors = torch.tensor([1.03, 1.10, 1.08]).view(3, 1)
        self.assertTrue(torch.allclose(seen['feats'], plain_feats * factors, atol=1e-6))

    def test_loss_unchanged_before_start_epoch(self):
        self.fcc.train()
        self.plain.train()
        self.fcc.feat_transform.set_epoch(1)
        self.assertTrue(torch.allclose(self.fcc.loss(self.inputs, self.samples)['loss'],
                                       self.plain.loss(self.inputs, self.samples)['loss']))
        self.fcc.feat_transform.set_epoch(2)
        self.assertFalse(torch.allclose(self.fcc.loss(self.inputs, self.samples)['loss'],
                                        self.plain.loss(self.inputs, self.samples)['loss']))

    def test_predict_unchanged_by_fcc(self):
        self.fcc.feat_transform.set_epoch(5)
        for train_mode in (False, True):  # predict never applies FCC, even in train mode
            self.fcc.train(train_mode)
            self.plain.train(train_mode)
            with torch.no_grad():
                ours = self.fcc.predict(self.inputs)
                ref = self.plain.predict(self.inputs)
                tensors = (self.fcc(self.inputs), self.plain(self.inputs))
            for a, b in zip(ours, ref):
                self.assertTrue(torch.equal(a.pred_score, b.pred_score))
                self.assertTrue(torch.equal(a.pred_label, b.pred_label))
            self.assertTrue(torch.equal(*tensors))

    def test_without_transform_matches_image_classifier_loss(self):
        ref = ImageClassifier(backbone=dict(type='ResNetCifarLDAM', depth=8, base_channels=4),
                              neck=dict(type='GlobalAveragePooling'),
                              head=dict(type='LinearClsHead', num_classes=4, in_channels=16))
        ref.load_state_dict(self.plain.state_dict())
        self.assertTrue(torch.allclose(ref.loss(self.inputs, self.samples)['loss'],
                                       self.plain.loss(self.inputs, self.samples)['loss']))


class TestFCCHookWiring(TestCase):
    """SetEpochHook and SetClassStatsHook reach the transform inside the classifier."""

    def test_hooks_set_epoch_and_rank_factors(self):
        model = _model({**FCC, 'order': 'rank'})
        runner = SimpleNamespace(model=model, epoch=1)
        SetEpochHook().before_train_epoch(runner)
        self.assertEqual(model.feat_transform.epoch, 2)
        self.assertFalse(model.feat_transform.has_class_stats)
        with tempfile.TemporaryDirectory() as tmp:
            path = f'{tmp}/class_stats.json'
            write_class_stats(path, list('abcd'), [1, 5, 5, 3])
            SetClassStatsHook(class_stats=path).before_train(runner)
        self.assertTrue(model.feat_transform.has_class_stats)
        self.assertEqual(model.feat_transform.factors.tolist(),
                         torch.tensor([1.03, 1.10, 1.08, 1.05]).tolist())
