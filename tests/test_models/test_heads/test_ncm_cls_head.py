"""NCMClsHead: nearest-class-mean prediction by hand, buffers in the state dict, errors."""
from unittest import TestCase

import torch
from mmengine.registry import DefaultScope

import ltr_mm  # noqa: F401
from ltr_mm.models.heads import NCMClsHead
from ltr_mm.registry import CLS_MODELS


def build(**kwargs):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return CLS_MODELS.build(dict(type='NCMClsHead', num_classes=2, in_channels=2, **kwargs))


class TestNCMClsHead(TestCase):
    """Means (1, 0) and (0, 0.5); feature mean (1, 1) for 'cl2n'."""

    def setUp(self):
        self.means = torch.tensor([[1.0, 0.0], [0.0, 0.5]])

    def test_l2_prediction_by_hand(self):
        head = build(feat_norm='l2n')
        self.assertIsInstance(head, NCMClsHead)
        head.set_class_means(self.means, [3, 1])
        # (3, 4) -> (0.6, 0.8): squared distances 0.8 and 0.45 -> class 1;
        # (5, 0) -> (1, 0): 0 and 1.25 -> class 0
        feats = (torch.tensor([[3.0, 4.0], [5.0, 0.0]]), )
        torch.testing.assert_close(head(feats), torch.tensor([[-0.8, -0.45], [0.0, -1.25]]))
        preds = head.predict(feats)
        self.assertEqual([int(p.pred_label) for p in preds], [1, 0])
        torch.testing.assert_close(preds[0].pred_score, torch.softmax(torch.tensor([-0.8, -0.45]),
                                                                      0))

    def test_cl2n_centres_with_the_stored_mean(self):
        head = build()  # cl2n, l2
        head.set_class_means(self.means, [3, 1], feat_mean=torch.tensor([1.0, 1.0]))
        # (4, 5) - (1, 1) = (3, 4) -> (0.6, 0.8)
        torch.testing.assert_close(head((torch.tensor([[4.0, 5.0]]), )),
                                   torch.tensor([[-0.8, -0.45]]))

    def test_cos(self):
        head = build(feat_norm='none', distance='cos')
        head.set_class_means(self.means, [3, 1])
        torch.testing.assert_close(head((torch.tensor([[6.0, 8.0]]), )),
                                   torch.tensor([[0.6, 0.8]]))

    def test_means_are_checkpointed(self):
        head = build()
        self.assertFalse(head.has_class_means)
        self.assertEqual(sorted(head.state_dict()), ['class_means', 'class_sizes', 'feat_mean'])
        head.set_class_means(self.means, [3, 1], feat_mean=torch.tensor([1.0, 1.0]))
        other = build()
        other.load_state_dict(head.state_dict())
        self.assertTrue(other.has_class_means)
        torch.testing.assert_close(other.class_means, self.means)
        torch.testing.assert_close(other.feat_mean, torch.tensor([1.0, 1.0]))

    def test_errors(self):
        head = build()
        with self.assertRaisesRegex(RuntimeError, 'NCMClsHead: class means not set.*'
                                    'NCMClassMeansHook'):
            head((torch.zeros(1, 2), ))
        with self.assertRaisesRegex(RuntimeError, 'no training step'):
            head.loss((torch.zeros(1, 2), ), [])
        with self.assertRaisesRegex(ValueError, 'mean feature'):
            head.set_class_means(self.means, [3, 1])
        with self.assertRaisesRegex(ValueError, r'shape \(3, 2\)'):
            head.set_class_means(torch.zeros(3, 2), [1, 1, 1], torch.zeros(2))
        with self.assertRaisesRegex(ValueError, 'feat_norm'):
            build(feat_norm='l1')
        with self.assertRaisesRegex(ValueError, 'distance'):
            build(distance='dot')
