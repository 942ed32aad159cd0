"""NCMClassMeansHook: class means from the training batches by hand, skip, save, loader."""
import math
import os.path as osp
from types import SimpleNamespace
from unittest import TestCase

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import NCMClassMeansHook
from ltr_mm.engine.hooks.ncm_class_means_hook import plain_train_loader_cfg
from ltr_mm.registry import CLS_MODELS

# Training features (identity backbone) and labels; their mean is (1, 0).
FEATS = [[2.0, 1.0], [2.0, 3.0], [-2.0, -1.0], [2.0, -3.0]]
LABELS = [0, 0, 1, 1]


class IdentityClassifier(nn.Module):
    """The parts of an mmpretrain classifier the hook uses; the feature is the input."""

    def __init__(self, head: nn.Module) -> None:
        super().__init__()
        self.head = head

    def data_preprocessor(self, batch, training):
        return batch

    def extract_feat(self, inputs):
        return (inputs, )


def batches():
    samples = [DataSample().set_gt_label(y) for y in LABELS]
    feats = torch.tensor(FEATS)
    return [dict(inputs=feats[:3], data_samples=samples[:3]),
            dict(inputs=feats[3:], data_samples=samples[3:])]


def runner_for(head, tmp_dir='.'):
    return SimpleNamespace(model=IdentityClassifier(head), cfg=Config(),
                           logger=MMLogger.get_instance('test_ncm_hook'), work_dir=tmp_dir)


def build_head(**kwargs):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return CLS_MODELS.build(dict(type='NCMClsHead', num_classes=3, in_channels=2, **kwargs))


class TestNCMClassMeansHook(TestCase):

    def test_cl2n_means_by_hand(self):
        head = build_head()
        runner = runner_for(head)
        runner.model.train()
        NCMClassMeansHook(dataloader=batches()).before_test(runner)
        self.assertTrue(runner.model.training)  # mode restored
        r2, r10 = math.sqrt(2), math.sqrt(10)
        # centred: (1, 1), (1, 3) | (-3, -1), (1, -3); normalised, then averaged per class
        expected = torch.tensor([[(1 / r2 + 1 / r10) / 2, (1 / r2 + 3 / r10) / 2],
                                 [-1 / r10, -2 / r10], [0.0, 0.0]])
        torch.testing.assert_close(head.class_means, expected)
        torch.testing.assert_close(head.feat_mean, torch.tensor([1.0, 0.0]))
        torch.testing.assert_close(head.class_sizes, torch.tensor([2.0, 2.0, 0.0]))
        # (2, 1) - (1, 0) points at the class-0 mean, (0, -2) - (1, 0) at the class-1 mean
        preds = head.predict((torch.tensor([[2.0, 1.0], [0.0, -2.0]]), ))
        self.assertEqual([int(p.pred_label) for p in preds], [0, 1])

    def test_l2n_means_by_hand(self):
        head = build_head(feat_norm='l2n')
        NCMClassMeansHook(dataloader=batches()).before_val(runner_for(head))
        r5, r13 = math.sqrt(5), math.sqrt(13)
        expected = torch.tensor([[(2 / r5 + 2 / r13) / 2, (1 / r5 + 3 / r13) / 2],
                                 [(-2 / r5 + 2 / r13) / 2, (-1 / r5 - 3 / r13) / 2],
                                 [0.0, 0.0]])
        torch.testing.assert_close(head.class_means, expected)

    def test_means_from_a_checkpoint_are_kept(self):
        head = build_head(feat_norm='none')
        head.set_class_means(torch.ones(3, 2), [1, 1, 1])
        NCMClassMeansHook(dataloader=batches()).before_test(runner_for(head))
        torch.testing.assert_close(head.class_means, torch.ones(3, 2))
        NCMClassMeansHook(dataloader=batches(), recompute=True).before_test(runner_for(head))
        torch.testing.assert_close(head.class_means[0], torch.tensor([2.0, 2.0]))

    def test_save_to_writes_the_means(self):
        import tempfile
        head = build_head()
        with tempfile.TemporaryDirectory() as tmp:
            hook = NCMClassMeansHook(dataloader=batches(), save_to='ncm.pth')
            hook.before_test(runner_for(head, tmp))
            state = torch.load(osp.join(tmp, 'ncm.pth'), weights_only=True)['state_dict']
        torch.testing.assert_close(state['head.class_means'], head.class_means)
        torch.testing.assert_close(state['head.feat_mean'], torch.tensor([1.0, 0.0]))

    def test_other_head_or_empty_loader(self):
        with self.assertRaisesRegex(RuntimeError, 'not NCMClsHead'):
            NCMClassMeansHook(dataloader=batches()).before_test(runner_for(nn.Linear(2, 2)))
        with self.assertRaisesRegex(ValueError, 'no images'):
            NCMClassMeansHook(dataloader=[]).before_test(runner_for(build_head()))

    def test_plain_train_loader_cfg(self):
        cfg = Config(dict(
            train_dataloader=dict(
                batch_size=8, persistent_workers=True,
                sampler=dict(type='ClassBalancedSampler'),
                dataset=dict(type='ClassBalancedDataset', oversample_thr=0.1,
                             dataset=dict(type='CustomDataset', ann_file='train.txt',
                                          pipeline=['train']))),
            test_dataloader=dict(dataset=dict(type='CustomDataset', ann_file='test.txt',
                                              pipeline=['test']))))
        loader = plain_train_loader_cfg(cfg)
        self.assertEqual(loader['dataset']['dataset'],
                         dict(type='CustomDataset', ann_file='train.txt', pipeline=['test']))
        self.assertEqual(loader['sampler'],
                         dict(type='DefaultSampler', shuffle=False, round_up=False))
        self.assertFalse(loader['persistent_workers'])
        self.assertEqual(cfg.train_dataloader.dataset.dataset.pipeline, ['train'])  # unchanged
        with self.assertRaisesRegex(ValueError, 'test_dataloader'):
            plain_train_loader_cfg(Config(dict(train_dataloader=cfg.train_dataloader)))
