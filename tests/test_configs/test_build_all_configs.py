"""Every config parses, imports ltr_mm in its scope and builds its model on the CPU; its
class statistics come from SetClassStatsHook and its training loop is the one it names."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope

import ltr_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(p for p in glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
                 if '/_base_/' not in p)


def _registries(scope):
    if scope == 'mmdet':
        from mmdet import registry
    else:
        from mmpretrain import registry
    return registry


def _no_pretrained(cfg):
    """Drop downloaded initialisation: the test machine has no network."""
    if isinstance(cfg, dict):
        if cfg.get('type') == 'Pretrained' or 'checkpoint' in cfg and 'type' in cfg:
            return None
        return {k: _no_pretrained(v) for k, v in cfg.items()}
    if isinstance(cfg, list):
        return [_no_pretrained(v) for v in cfg]
    return cfg


def _check_class_stats_provider(cfg, model, metrics):
    """A config whose model or metrics wait for class statistics declares the one provider."""
    waiting = [type(m).__name__ for m in model.modules()
               if callable(getattr(m, 'set_class_stats', None))
               and not getattr(m, 'has_class_stats', False)]
    waiting += [m.__name__ for m in metrics if callable(getattr(m, 'set_class_stats', None))]
    hooks = [h.type for h in cfg.get('custom_hooks', [])]
    if waiting:
        assert 'SetClassStatsHook' in hooks, (waiting, hooks)


def _check_train_loop(cfg):
    """The loop is in the config (tools/train.py rewrites nothing): epoch-based configs name
    ltr_mm's resumable loop, iteration-based ones keep mmengine's."""
    assert 'by_epoch' not in cfg.train_cfg
    assert cfg.train_cfg.type in ('ResumableEpochBasedTrainLoop', 'IterBasedTrainLoop'), \
        cfg.train_cfg


def test_configs_are_found():
    assert len(CONFIGS) >= 11


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope in ('mmdet', 'mmpretrain')
    assert cfg.custom_imports == dict(imports=['ltr_mm'], allow_failed_imports=False)
    registry = _registries(cfg.default_scope)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[key].dataset
        assert registry.DATASETS.get(dataset.type) is not None, (key, dataset.type)
    metrics = []
    for key in ('val_evaluator', 'test_evaluator'):
        for evaluator in (cfg[key] if isinstance(cfg[key], list) else [cfg[key]]):
            metrics.append(registry.METRICS.get(evaluator.type))
            assert metrics[-1] is not None, (key, evaluator.type)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = registry.MODELS.build(ConfigDict(_no_pretrained(cfg.model.to_dict())))
    assert sum(p.numel() for p in model.parameters()) > 0
    _check_class_stats_provider(cfg, model, metrics)
    _check_train_loop(cfg)
    if cfg.default_scope == 'mmdet':
        heads = model.roi_head.bbox_head
        heads = list(heads) if isinstance(heads, torch.nn.ModuleList) else [heads]
        num_classes = 1203 if 'lvis-v1' in path else 1230 if 'lvis-v0.5' in path else 10
        for head in heads:
            assert head.num_classes == num_classes
            assert head.fc_cls.out_features == (head.loss_cls.get_cls_channels(head.num_classes) if head.custom_cls_channels else num_classes + 1)  # noqa: E501
        if len(heads) == 3:  # cascade stages keep mmdet's per-stage regression stds
            assert [h.bbox_coder.stds[2] for h in heads] == [0.2, 0.1, 0.067]
