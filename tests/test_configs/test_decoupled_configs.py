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


def test_ncm_config_means_from_the_stage1_backbone(tmp_path):
    """The NCM config keeps the stage-1 backbone, drops head.fc, and NCMClassMeansHook stores
    the class means of the centred, L2-normalised features (checked against torch by hand)."""
    from types import SimpleNamespace

    from mmengine.logging import MMLogger
    from mmpretrain.structures import DataSample

    from ltr_mm.engine.hooks import NCMClassMeansHook

    stage1, _ = _stage1_checkpoint(tmp_path)
    cfg = _cfg(DECOUPLED.format('ncm_resnet32_1xb128-200e'))
    assert cfg.load_from.endswith('epoch_200.pth')
    assert [h.type for h in cfg.custom_hooks] == ['SetClassStatsHook', 'NCMClassMeansHook']
    model = _build(cfg.model).eval()
    missing, unexpected = model.load_state_dict(stage1, strict=False)
    assert sorted(missing) == ['head.class_means', 'head.class_sizes', 'head.feat_mean']
    assert sorted(unexpected) == ['head.fc.bias', 'head.fc.weight']
    torch.manual_seed(0)
    images = torch.randint(0, 256, (6, 3, 32, 32), dtype=torch.uint8)
    labels = [0, 3, 3, 9, 0, 3]
    batches = [dict(inputs=list(images[i:i + 4]),
                    data_samples=[DataSample().set_gt_label(y) for y in labels[i:i + 4]])
               for i in (0, 4)]
    runner = SimpleNamespace(model=model, cfg=cfg, work_dir=str(tmp_path),
                             logger=MMLogger.get_instance('test_ncm_config'))
    NCMClassMeansHook(dataloader=batches).before_test(runner)
    with torch.no_grad():
        data = model.data_preprocessor(dict(inputs=list(images), data_samples=None), False)
        feats = model.extract_feat(data['inputs'])[-1]
    centred = feats - feats.mean(0)
    unit = centred / centred.norm(dim=1, keepdim=True)
    label = torch.tensor(labels)
    for c in range(10):
        expected = unit[label == c].mean(0) if (label == c).any() else torch.zeros(64)
        torch.testing.assert_close(model.head.class_means[c], expected, atol=1e-5, rtol=1e-4)
    assert model.head.class_sizes.tolist() == [2, 0, 0, 3, 0, 0, 0, 0, 0, 1]
    preds = model.predict(images.float())
    assert len(preds) == 6 and all(0 <= int(p.pred_label) < 10 for p in preds)


def test_ncm_imagenet_lt_config_saves_its_means():
    cfg = _cfg('configs/decoupled/ncm_resnext50-32x4d_8xb32-100e_imagenet-lt.py')
    assert cfg.model.head == dict(type='NCMClsHead', num_classes=1000, in_channels=2048,
                                  feat_norm='cl2n', distance='l2')
    assert cfg.custom_hooks == [dict(type='SetClassStatsHook'),
                                dict(type='NCMClassMeansHook', save_to='ncm_class_means.pth')]
