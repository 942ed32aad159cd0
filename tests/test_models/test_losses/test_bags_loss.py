"""BAGSLoss: loss contract, count sources, and the stock mmdet heads built around it."""
import json
import os.path as osp
import tempfile
from unittest import TestCase

import torch
from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs, demo_mm_proposals
from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope
from torch import nn

import ltr_mm  # noqa: F401
from ltr_mm.models.functional.group_softmax import bags_loss, build_group_tables, merge_group_scores
from ltr_mm.models.losses import BAGSLoss
from ltr_mm.utils.class_stats import ClassStats

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
COUNTS = [3, 30, 300, 3000]  # one class per group with the default bins


def _lvis_json(path, with_counts=True):
    cats = [dict(id=i + 1, name=f'c{i}') for i in range(4)]
    anns = []
    for i, n in enumerate([3, 30, 300, 3000]):
        anns += [dict(id=len(anns) + k + 1, category_id=i + 1) for k in range(n)]
    if with_counts:
        for cat, n in zip(cats, COUNTS):
            cat['instance_count'] = n
    cats.reverse()  # the loss sorts by category id
    with open(path, 'w') as f:
        json.dump(dict(categories=cats, annotations=anns), f)


def _build(cfg):
    with DefaultScope.overwrite_default_scope('mmdet'):
        return MODELS.build(cfg)


class TestBAGSLoss(TestCase):
    DEFAULT_ARGS = dict(type='BAGSLoss', num_classes=4, class_counts=COUNTS)

    def test_build_and_channels(self):
        loss = _build(self.DEFAULT_ARGS)
        self.assertEqual(loss.get_cls_channels(4), 4 + 4 + 2)
        self.assertTrue(loss.custom_cls_channels and loss.custom_activation
                        and loss.custom_accuracy)

    def test_reduction_contract(self):
        loss = _build(self.DEFAULT_ARGS)
        score, label = torch.randn(6, 10), torch.tensor([0, 1, 2, 3, 4, 4])
        with self.assertRaises(AssertionError):
            loss(score, label, reduction_override='avg')
        self.assertEqual(loss(score, label, reduction_override='none').shape, (6, ))
        tables = build_group_tables(COUNTS)
        torch.manual_seed(1)
        a = loss(score, label, avg_factor=6.)
        torch.manual_seed(1)
        self.assertTrue(torch.allclose(a, bags_loss(score, label, tables)))

    def test_counts_from_an_annotation_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            for with_counts in (True, False):
                path = osp.join(tmp, f'ann{with_counts}.json')
                _lvis_json(path, with_counts)
                loss = _build(dict(type='BAGSLoss', num_classes=4))
                loss.set_class_stats(ClassStats.from_file(path))
                self.assertEqual(loss.tables.group_labels, [[0], [1], [2], [3]])
                self.assertEqual(loss.class_counts.tolist(), COUNTS)

    def test_set_class_stats_and_state_dict(self):
        loss = BAGSLoss(num_classes=4)
        with self.assertRaisesRegex(RuntimeError, 'class counts not set'):
            loss.get_activation(torch.zeros(1, 10))
        self.assertFalse(loss.has_class_stats)
        stats = ClassStats((3000, 300, 30, 3), kind='instance')
        loss.set_class_stats(stats)
        self.assertTrue(loss.has_class_stats and loss.class_stats is stats)
        self.assertEqual(loss.tables.group_labels, [[3], [2], [1], [0]])
        # the counts travel in the checkpoint: a loaded loss has its groups without the hook
        restored = BAGSLoss(num_classes=4)
        restored.load_state_dict(loss.state_dict())
        self.assertTrue(restored.has_class_stats)
        self.assertEqual(restored.tables.group_labels, [[3], [2], [1], [0]])
        # like every count-based loss, the statistics pushed last are the ones used
        given = BAGSLoss(num_classes=4, class_counts=COUNTS)
        self.assertEqual(given.tables.group_labels, [[0], [1], [2], [3]])
        given.set_class_stats(stats)
        self.assertEqual(given.tables.group_labels, [[3], [2], [1], [0]])
        with self.assertRaisesRegex(TypeError, 'takes a ClassStats'):
            given.set_class_stats([3000, 300, 30, 3])

    def test_with_set_class_stats_hook(self):
        from types import SimpleNamespace

        from ltr_mm.engine.hooks import SetClassStatsHook
        head = nn.Module()
        head.num_classes = 4
        head.loss_cls = BAGSLoss(num_classes=4)
        with tempfile.TemporaryDirectory() as tmp:
            path = osp.join(tmp, 'stats.json')
            with open(path, 'w') as f:
                json.dump(dict(num_classes=4, classes=list('abcd'), counts=[3000, 300, 30, 3],
                               total=3333, thresholds=dict(many=100, few=20),
                               shots=dict(many=[0, 1], medium=[2], few=[3])), f)
            SetClassStatsHook(class_stats=path).before_train(
                SimpleNamespace(model=head, train_dataloader=None))
        self.assertEqual(head.loss_cls.tables.group_labels, [[3], [2], [1], [0]])

    def test_activation_and_accuracy(self):
        loss = BAGSLoss(num_classes=4, class_counts=COUNTS)
        score = torch.randn(5, 10)
        merged = loss.get_activation(score)
        self.assertTrue(torch.allclose(merged, merge_group_scores(score, loss.tables)))
        labels = merged.argmax(1)
        acc = loss.get_accuracy(score, labels)
        self.assertEqual(acc['acc'].item(), 100.)

    def test_seeded_generator(self):
        a = BAGSLoss(num_classes=4, class_counts=COUNTS, others_ratio=0.5, seed=7)
        b = BAGSLoss(num_classes=4, class_counts=COUNTS, others_ratio=0.5, seed=7)
        score, label = torch.randn(40, 10), torch.randint(0, 5, (40, ))
        self.assertTrue(torch.equal(a(score, label), b(score, label)))


def _small_roi_head(path, num_classes=4):
    """The roi_head of a repo config, narrowed to 8 channels, BAGS in every stage."""
    cfg = Config.fromfile(osp.join(REPO, path)).model
    roi = cfg.roi_head
    roi.bbox_roi_extractor.out_channels = 8
    heads = roi.bbox_head if isinstance(roi.bbox_head, list) else [roi.bbox_head]
    for head in heads:
        head.update(in_channels=8, fc_out_channels=16, num_classes=num_classes)
        head.loss_cls = ConfigDict(type='BAGSLoss', num_classes=num_classes,
                                   class_counts=COUNTS)  # replaces CrossEntropyLoss
    if 'mask_head' in roi:
        roi.mask_roi_extractor.out_channels = 8
        masks = roi.mask_head if isinstance(roi.mask_head, list) else [roi.mask_head]
        for mask in masks:
            mask.update(in_channels=8, conv_out_channels=8, num_classes=num_classes)
    roi.update(train_cfg=cfg.train_cfg.rcnn, test_cfg=cfg.test_cfg.rcnn)
    return _build(ConfigDict(roi.to_dict()))


class TestHeads(TestCase):

    def test_shared2fc_width_loss_predict(self):
        head = _build(dict(type='Shared2FCBBoxHead', in_channels=8, fc_out_channels=16,
                           roi_feat_size=2, num_classes=4,
                           loss_cls=dict(type='BAGSLoss', num_classes=4,
                                         class_counts=COUNTS)))
        self.assertEqual(head.fc_cls.out_features, 10)
        cls_score, bbox_pred = head(torch.rand(6, 8, 2, 2))
        labels = torch.tensor([0, 1, 2, 3, 4, 4])
        rois = torch.cat([torch.zeros(6, 1), torch.rand(6, 2) * 10,
                          torch.rand(6, 2) * 10 + 12], dim=1)
        losses = head.loss(cls_score, bbox_pred, rois, labels, torch.ones(6),
                           torch.zeros(6, 4), torch.ones(6, 4))
        self.assertEqual(set(losses), {'loss_cls', 'acc', 'acc_classes', 'loss_bbox'})
        res = head.predict_by_feat((rois, ), (cls_score, ), (bbox_pred, ),
                                   [dict(img_shape=(32, 32), scale_factor=(1., 1.))],
                                   rcnn_test_cfg=ConfigDict(score_thr=0.0,
                                                            nms=dict(type='nms',
                                                                     iou_threshold=0.5),
                                                            max_per_img=10))
        self.assertTrue((res[0].labels < 4).all())

    def _run(self, path, with_mask):
        torch.manual_seed(0)
        roi_head = _small_roi_head(path)
        s = 64
        feats = tuple(torch.rand(1, 8, s // 2**(i + 2), s // 2**(i + 2)) for i in range(4))
        shapes = [(3, s, s)]
        samples = demo_mm_inputs(batch_size=1, image_shapes=shapes, num_items=[3],
                                 num_classes=4, with_mask=with_mask)['data_samples']
        proposals = demo_mm_proposals(image_shapes=shapes, num_proposals=40)
        losses = roi_head.loss(feats, proposals, samples)
        for stage in range(3):
            self.assertIn(f's{stage}.loss_cls', losses)
            self.assertIn(f's{stage}.acc_classes', losses)
        sum(v for k, v in losses.items() if 'loss' in k).backward()
        roi_head.eval()
        with torch.no_grad():
            proposals = demo_mm_proposals(image_shapes=shapes, num_proposals=40)
            results = roi_head.predict(feats, proposals, samples, rescale=False)
        self.assertTrue((results[0].labels < 4).all())
        self.assertTrue(((results[0].scores >= 0) & (results[0].scores <= 1)).all())
        return roi_head

    def test_cascade_every_stage(self):
        head = self._run('configs/baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v1.py',
                         False)
        self.assertEqual([h.fc_cls.out_features for h in head.bbox_head], [10, 10, 10])

    def test_htc_every_stage(self):
        self._run('configs/baselines/htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py',
                  True)
