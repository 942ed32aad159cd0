"""Stage-2 configs: cRT keeps a fresh classifier, LWS trains only scales, tau-norm is test-only."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks.freeze_modules_hook import freeze_except
from ltr_mm.registry import CLS_MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE1 = 'configs/baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
DECOUPLED = 'configs/decoupled/{}_fashion-mnist-lt-r100.py'


def _cfg(path):
    return Config.fromfile(osp.join(REPO, path))


def _build(model_cfg):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return CLS_MODELS.build(model_cfg)


def _stage1_checkpoint(tmp_path):
    torch.manual_seed(0)
    stage1 = _build(_cfg(STAGE1).model)
    path = str(tmp_path / 'stage1.pth')
    torch.save({'state_dict': stage1.state_dict()}, path)
    return stage1.state_dict(), path


def _freeze_patterns(cfg):
    hooks = [h for h in cfg.custom_hooks if h.type == 'FreezeModulesHook']
    assert len(hooks) == 1
    return hooks[0].trainable


def test_crt_loads_backbone_only_and_trains_fc(tmp_path):
    stage1, path = _stage1_checkpoint(tmp_path)
    cfg = _cfg(DECOUPLED.format('crt_resnet32_1xb128-30e'))
    assert cfg.load_from is None
    assert cfg.train_dataloader.sampler == dict(type='ClassBalancedSampler')
    cfg.model.backbone.init_cfg.checkpoint = path
    model = _build(cfg.model)
    model.init_weights()
    state = model.state_dict()
    for key, value in stage1.items():
        same = torch.equal(state[key], value)
        assert same == key.startswith('backbone.'), key  # BN statistics included
    kept = freeze_except(model, _freeze_patterns(cfg))
    assert kept == ['head.fc.weight', 'head.fc.bias']


def test_lws_trains_only_scales_on_loaded_classifier(tmp_path):
    stage1, _ = _stage1_checkpoint(tmp_path)
    cfg = _cfg(DECOUPLED.format('lws_resnet32_1xb128-30e'))
    assert cfg.load_from.endswith('epoch_200.pth')
    assert cfg.train_dataloader.sampler == dict(type='ClassBalancedSampler')
    model = _build(cfg.model)
    missing, unexpected = model.load_state_dict(stage1, strict=False)
    assert (missing, unexpected) == (['head.fc.scales'], [])
    assert freeze_except(model, _freeze_patterns(cfg)) == ['head.fc.scales']
    assert torch.equal(model.head.fc.weight, stage1['head.fc.weight'])


def test_tau_norm_config_is_test_time_only(tmp_path):
    stage1, _ = _stage1_checkpoint(tmp_path)
    cfg = _cfg(DECOUPLED.format('tau-norm_resnet32_1xb128-200e'))
    assert cfg.model.head.test_cfg.tau_norm == 1.0 and cfg.model.head.test_cfg.keep_bias
    model = _build(cfg.model).eval()
    model.load_state_dict(stage1)
    reference = _build(_cfg(STAGE1).model).eval()
    reference.load_state_dict(stage1)
    inputs = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        feats = reference.extract_feat(inputs)[-1]
        weight = reference.head.fc.weight
        expected = feats @ (weight / weight.norm(dim=1, keepdim=True)).t() + reference.head.fc.bias
        scores = torch.stack([s.pred_score for s in model.predict(inputs)])
    assert torch.allclose(scores, expected.softmax(dim=1), atol=1e-6)
