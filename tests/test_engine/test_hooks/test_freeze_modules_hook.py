"""FreezeModulesHook: only the named parameters train, BN stays in eval, frozen weights stay."""
import tempfile
from types import SimpleNamespace
from unittest import TestCase

import torch
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from torch import nn

from ltr_mm.engine.hooks import FreezeModulesHook
from ltr_mm.engine.hooks.freeze_modules_hook import freeze_except, set_frozen_eval


class TinyDetector(BaseModel):
    """conv + BN 'backbone', a 'roi_head.bbox_head' with shared fc and two fc_cls stages."""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.roi_head = nn.Module()
        self.roi_head.bbox_head = nn.ModuleList(
            nn.ModuleDict(dict(shared_fc=nn.Linear(4, 4), fc_cls=nn.Linear(4, 3)))
            for _ in range(2))

    def forward(self, inputs, labels=None, mode='tensor'):
        feat = self.backbone(inputs)
        logits = sum(h['fc_cls'](h['shared_fc'](feat)) for h in self.roi_head.bbox_head)
        if mode == 'loss':
            return dict(loss=nn.functional.cross_entropy(logits, labels))
        return logits


def _batches(n=4):
    g = torch.Generator().manual_seed(0)
    return [dict(inputs=torch.randn(2, 1, 6, 6, generator=g), labels=torch.tensor([0, 2]))
            for _ in range(n)]


class TestFreezeModulesHook(TestCase):

    def _fake_runner(self, model, optimizer):
        return SimpleNamespace(model=model, optim_wrapper=OptimWrapper(optimizer),
                               logger=MMLogger.get_current_instance())

    def test_patterns(self):
        model = TinyDetector()
        kept = freeze_except(model, ['roi_head.bbox_head.*.fc_cls'])
        self.assertEqual(kept, [f'roi_head.bbox_head.{i}.fc_cls.{p}' for i in range(2)
                                for p in ('weight', 'bias')])
        kept = freeze_except(model, ['roi_head.bbox_head.1.fc_cls.weight'])
        self.assertEqual(kept, ['roi_head.bbox_head.1.fc_cls.weight'])
        with self.assertRaisesRegex(ValueError, 'match no parameter'):
            freeze_except(model, ['roi_head.bbox_head.fc_cls'])
        with self.assertRaises(ValueError):
            FreezeModulesHook(trainable='roi_head')
        with self.assertRaisesRegex(ValueError, '^FreezeModulesHook: field "eval_mode" = '
                                    "'train' is not 'bn', 'all' or 'none'$"):
            FreezeModulesHook(trainable=['fc'], eval_mode='train')

    def test_step_keeps_frozen_weights_and_bn_eval(self):
        torch.manual_seed(0)
        model = TinyDetector()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9,
                                    weight_decay=0.1)
        hook = FreezeModulesHook(trainable=['roi_head.bbox_head.*.fc_cls'])
        hook.before_run(self._fake_runner(model, optimizer))
        self.assertEqual(sum(len(g['params']) for g in optimizer.param_groups), 4)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        model.train()
        hook.before_train_iter(self._fake_runner(model, optimizer), 0)
        self.assertFalse(model.backbone[1].training)
        self.assertTrue(model.roi_head.bbox_head[0].training)
        for batch in _batches(2):
            optimizer.zero_grad()
            model(batch['inputs'], batch['labels'], mode='loss')['loss'].backward()
            optimizer.step()
        after = model.state_dict()
        for key, value in before.items():
            changed = not torch.equal(value, after[key])
            self.assertEqual(changed, '.fc_cls.' in key, key)  # BN running stats unchanged too

    def test_optim_wrapper_config_is_left_alone(self):
        model = TinyDetector()  # test runs keep optim_wrapper as a config
        runner = SimpleNamespace(model=model, optim_wrapper=dict(optimizer=dict(type='SGD')),
                                 logger=MMLogger.get_current_instance())
        FreezeModulesHook(trainable=['roi_head.bbox_head.0.fc_cls']).before_run(runner)
        self.assertFalse(model.backbone[0].weight.requires_grad)

    def test_unpruned_optimizer_skips_frozen(self):
        """Torch SGD skips grad-None params (momentum and decay included)."""
        model = TinyDetector()
        freeze_except(model, ['roi_head.bbox_head.0.fc_cls'])
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9,
                                    weight_decay=0.1)
        before = model.backbone[0].weight.clone()
        for batch in _batches(2):
            optimizer.zero_grad()
            model(batch['inputs'], batch['labels'], mode='loss')['loss'].backward()
            optimizer.step()
        self.assertTrue(torch.equal(before, model.backbone[0].weight))

    def test_eval_mode_all(self):
        model = TinyDetector()
        model.backbone.append(nn.Dropout())
        freeze_except(model, ['roi_head.bbox_head.0.fc_cls'])
        model.train()
        set_frozen_eval(model, 'all')
        self.assertFalse(model.backbone.training)
        self.assertFalse(model.roi_head.bbox_head[1].training)
        self.assertTrue(model.roi_head.bbox_head[0].fc_cls.training)

    def test_in_runner(self):
        torch.manual_seed(0)
        model = TinyDetector()
        before = {k: v.clone() for k, v in model.state_dict().items()}
        with tempfile.TemporaryDirectory() as tmp:
            runner = Runner(
                model=model, work_dir=tmp,
                train_dataloader=dict(dataset=_batches(4), sampler=dict(type='DefaultSampler',
                                                                        shuffle=False),
                                      batch_size=1, collate_fn=dict(type='pseudo_collate')),
                optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9,
                                                  weight_decay=0.1)),
                train_cfg=dict(by_epoch=True, max_epochs=2),
                custom_hooks=[dict(type='FreezeModulesHook',
                                   trainable=['roi_head.bbox_head.*.fc_cls'])],
                default_hooks=dict(checkpoint=None, logger=None),
                default_scope='mmdet')
            runner.model.data_preprocessor = _Unbatch()
            runner.train()
        for key, value in model.state_dict().items():
            self.assertEqual(not torch.equal(value, before[key]), '.fc_cls.' in key, key)
        self.assertFalse(model.backbone[1].training)


class _Unbatch(nn.Module):
    """Turns the pseudo-collated batch of one sample into model kwargs."""

    def forward(self, data, training=False):
        return dict(inputs=data['inputs'][0], labels=data['labels'][0])
