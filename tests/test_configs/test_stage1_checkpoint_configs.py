"""Every two-stage config checks its stage-1 checkpoint, and its allowances fit its stage 1.

The stage-1 config of each stage-2 config is the one whose work dir its checkpoint path names
(``work_dirs/<stage-1 config>/epoch_N.pth``). Both models are built on the meta device (shapes
only, no memory), so the LVIS and ImageNet-LT configs cost no more than the small twins.
"""
import glob
import os.path as osp
import re
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from tool_runs import cls_options, finish, start

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks.stage1_checkpoint_hook import config_value
from ltr_mm.engine.state_dict_diff import diff_shapes, unused_patterns
from ltr_mm.registry import CLS_MODELS, DET_MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE2 = sorted(
    glob.glob(osp.join(REPO, 'configs/bags/*.py')) +
    glob.glob(osp.join(REPO, 'configs/decoupled/crt_*.py')) +
    glob.glob(osp.join(REPO, 'configs/decoupled/lws_*.py')) +
    glob.glob(osp.join(REPO, 'configs/ride/ride-ea-*.py')))
CRT = 'configs/decoupled/crt_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
CE = 'configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'


@pytest.fixture
def cpu_linspace(monkeypatch):
    """mmpretrain's ResNet reads its drop-path rates with .item(): make them on the CPU."""
    linspace = torch.linspace
    monkeypatch.setattr(torch, 'linspace', lambda *a, **k: linspace(*a, **{**k, 'device': 'cpu'}))


def _shapes(cfg):
    """Key -> shape of the config's model, built on the meta device (``cpu_linspace``)."""
    models = DET_MODELS if cfg.default_scope == 'mmdet' else CLS_MODELS
    with DefaultScope.overwrite_default_scope(cfg.default_scope), torch.device('meta'):
        model = models.build(cfg.model)
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def _stage1_config(path):
    name = re.fullmatch(r'work_dirs/([^/]+)/epoch_\d+\.pth', path).group(1)
    found = glob.glob(osp.join(REPO, f'configs/**/{name}.py'), recursive=True)
    assert len(found) == 1, (path, found)
    return found[0]


def test_every_stage2_config_is_found():
    assert len(STAGE2) == 10 + 4 + 1 + 5


@pytest.mark.parametrize('path', STAGE2, ids=lambda p: osp.relpath(p, REPO))
def test_stage2_config_checks_a_stage1_that_fits(path, cpu_linspace):
    cfg = Config.fromfile(path)
    hook = cfg.default_hooks.check_stage1
    assert hook.type == 'Stage1CheckpointHook'
    allow_new, allow_reinit = hook.get('allow_new', []), hook.get('allow_reinit', [])
    field = hook.get('field', 'load_from')
    stage1 = _stage1_config(config_value(SimpleNamespace(cfg=cfg), field))
    model = _shapes(cfg)
    checkpoint = _shapes(Config.fromfile(stage1))
    assert unused_patterns(model, allow_new + allow_reinit) == []
    assert not diff_shapes(model, checkpoint, allow_new, allow_reinit)
    # The allowances are needed, except cRT's: its classifier has the stage-1 shape.
    assert bool(diff_shapes(model, checkpoint)) == ('/crt_' not in path)


def test_train_tool_refuses_a_wrong_stage1_checkpoint(tiny_fashion_lt, tmp_path):
    """The cRT twin given a ResNet-20 stage 1 stops before its first iteration."""
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(REPO, CE))
    cfg.model.backbone.depth = 20
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        wrong = CLS_MODELS.build(cfg.model)
    path = str(tmp_path / 'r20.pth')
    torch.save({'state_dict': wrong.state_dict()}, path)
    field = 'model.backbone.init_cfg.checkpoint'
    proc = start(['tools/train.py', CRT, '--work-dir', str(tmp_path / 'work'), '--cfg-options',
                  *cls_options(tiny_fashion_lt), f'{field}={path}'], str(tmp_path / 'log.txt'))
    log = finish(proc, expect_rc=1)
    assert (f'ValueError: Stage1CheckpointHook: the stage-1 checkpoint {path} (config field '
            f'"{field}") does not fit the model (ImageClassifier):\n'
            'missing from the checkpoint (72): backbone.layer1.3.conv1.weight, ') in log
    assert "allowed to differ: new [], re-initialised ['head.fc']" in log
    assert 'Epoch(train)' not in log
