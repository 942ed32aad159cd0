"""Stage1CheckpointHook: a stage-1 checkpoint that does not fit the stage-2 model stops the run.

Tiny real models (the Fashion twins' ResNet-32 and narrow Faster R-CNN), checkpoints written to
``tmp_path`` and a stand-in runner with the attributes mmengine's runner gives the hook.
"""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import DefaultScope

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import Stage1CheckpointHook
from ltr_mm.registry import CLS_HOOKS, CLS_MODELS, DET_HOOKS, DET_MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
FASTER = 'configs/baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
MASK = 'configs/baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
BAGS = 'configs/bags/bags_faster-rcnn_r18-w32_fpn_1xb4-4e_fashion-lvis.py'
CE = 'configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
CRT = 'configs/decoupled/crt_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
LWS = 'configs/decoupled/lws_resnet32_1xb128-30e_fashion-mnist-lt-r100.py'
RIDE = 'configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
RIDE_EA = 'configs/ride/ride-ea-3e_resnet32_1xb128-2e_fashion-mnist-lt-r100.py'
CRT_FIELD = 'model.backbone.init_cfg.checkpoint'


class Log:
    """Collects what the hook logs."""

    def __init__(self):
        self.lines = []

    def info(self, msg):
        self.lines.append(msg)


def _cfg(path, **changes):
    cfg = Config.fromfile(osp.join(REPO, path))
    cfg.merge_from_dict(changes)
    return cfg


def _build(cfg):
    scope, models = (('mmdet', DET_MODELS) if cfg.default_scope == 'mmdet' else
                     ('mmpretrain', CLS_MODELS))
    with DefaultScope.overwrite_default_scope(scope):
        return models.build(cfg.model)


def _save(model, path, prefix=''):
    state = {prefix + k: v for k, v in model.state_dict().items()}
    torch.save({'meta': {'epoch': 12}, 'state_dict': state}, str(path))
    return str(path)


def _hook(cfg):
    return Stage1CheckpointHook(**{k: v for k, v in cfg.default_hooks.check_stage1.items()
                                   if k != 'type'})


def _runner(cfg, model, work_dir, training=True, resume=False):
    optim = (OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)) if training else
             dict(type='OptimWrapper'))
    return SimpleNamespace(model=model, cfg=cfg, optim_wrapper=optim, logger=Log(),
                           _load_from=cfg.get('load_from'), _resume=resume,
                           work_dir=str(work_dir))


@pytest.fixture(scope='module')
def bags(tmp_path_factory):
    """The BAGS twin's config and model, and its baseline's checkpoint."""
    torch.manual_seed(0)
    tmp = tmp_path_factory.mktemp('bags')
    cfg = _cfg(BAGS)
    return cfg, _build(cfg), _save(_build(_cfg(FASTER)), tmp / 'faster.pth')


@pytest.fixture(scope='module')
def ce_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    return _save(_build(_cfg(CE)), tmp_path_factory.mktemp('ce') / 'ce.pth')


def test_bags_accepts_its_baseline(bags, tmp_path):
    cfg, model, path = bags
    cfg.load_from = path
    runner = _runner(cfg, model, tmp_path)
    hook = _hook(cfg)
    hook.before_run(runner)
    assert hook.checked
    n = len(model.state_dict())
    assert runner.logger.lines == [
        f'Stage1CheckpointHook: {path} fits the model ({n} keys; 1 new, 2 to re-initialise)']


def test_bags_refuses_another_fpn_width(bags, tmp_path):
    cfg, model, _ = bags
    torch.manual_seed(0)
    other = _build(_cfg(FASTER, **{
        'model.neck.out_channels': 32, 'model.rpn_head.in_channels': 32,
        'model.rpn_head.feat_channels': 32,
        'model.roi_head.bbox_roi_extractor.out_channels': 32,
        'model.roi_head.bbox_head.in_channels': 32}))
    cfg.load_from = _save(other, tmp_path / 'fpn32.pth')
    with pytest.raises(ValueError) as info:
        _hook(cfg).before_run(_runner(cfg, model, tmp_path))
    lines = str(info.value).split('\n')
    assert lines[0] == (f'Stage1CheckpointHook: the stage-1 checkpoint {cfg.load_from} (config '
                        'field "load_from") does not fit the model (FasterRCNN):')
    # 16 = the FPN's 4 lateral and 4 output convs (weight and bias), 2 = the RPN conv, 2 = the
    # weights of its 2 output convs, 1 = the box head's first fc weight; fc_cls is allowed.
    assert lines[1] == (
        'shape mismatch, checkpoint vs model (21): '
        'neck.lateral_convs.0.conv.weight (32, 32, 1, 1) vs (64, 32, 1, 1), '
        'neck.lateral_convs.0.conv.bias (32) vs (64), '
        'neck.lateral_convs.1.conv.weight (32, 64, 1, 1) vs (64, 64, 1, 1), '
        'neck.lateral_convs.1.conv.bias (32) vs (64), '
        'neck.lateral_convs.2.conv.weight (32, 128, 1, 1) vs (64, 128, 1, 1), '
        'neck.lateral_convs.2.conv.bias (32) vs (64), '
        'neck.lateral_convs.3.conv.weight (32, 256, 1, 1) vs (64, 256, 1, 1), '
        'neck.lateral_convs.3.conv.bias (32) vs (64), ... and 13 more')
    assert lines[2] == ("allowed to differ: new ['roi_head.bbox_head.loss_cls'], "
                        "re-initialised ['roi_head.bbox_head.fc_cls']")
    assert len(lines) == 3


def test_bags_refuses_a_mask_rcnn_checkpoint(bags, tmp_path):
    cfg, model, _ = bags
    torch.manual_seed(0)
    cfg.load_from = _save(_build(_cfg(MASK)), tmp_path / 'mask.pth')
    with pytest.raises(ValueError) as info:
        _hook(cfg).before_run(_runner(cfg, model, tmp_path))
    lines = str(info.value).split('\n')
    assert lines[1] == (
        'unexpected in the checkpoint (8): roi_head.mask_head.convs.0.conv.weight, '
        'roi_head.mask_head.convs.0.conv.bias, roi_head.mask_head.convs.1.conv.weight, '
        'roi_head.mask_head.convs.1.conv.bias, roi_head.mask_head.upsample.weight, '
        'roi_head.mask_head.upsample.bias, roi_head.mask_head.conv_logits.weight, '
        'roi_head.mask_head.conv_logits.bias')
    assert len(lines) == 3


def test_crt_refuses_a_resnet20_checkpoint(ce_checkpoint, tmp_path):
    cfg = _cfg(CRT, **{CRT_FIELD: ce_checkpoint})
    model = _build(cfg)
    hook = _hook(cfg)
    assert hook.field == CRT_FIELD and cfg.load_from is None
    hook.before_run(_runner(cfg, model, tmp_path))  # the CE stage 1 fits

    torch.manual_seed(0)
    path = _save(_build(_cfg(CE, **{'model.backbone.depth': 20})), tmp_path / 'r20.pth')
    cfg = _cfg(CRT, **{CRT_FIELD: path})
    with pytest.raises(ValueError) as info:
        _hook(cfg).before_run(_runner(cfg, model, tmp_path))
    lines = str(info.value).split('\n')
    assert lines[0] == (f'Stage1CheckpointHook: the stage-1 checkpoint {path} (config field '
                        f'"{CRT_FIELD}") does not fit the model (ImageClassifier):')
    # ResNet-20 has 3 blocks per stage, ResNet-32 5: blocks 3 and 4 of the 3 stages are missing,
    # 12 keys each (2 convs, 2 BNs with weight, bias, running mean / var and batch count).
    assert lines[1].startswith('missing from the checkpoint (72): backbone.layer1.3.conv1.weight, '
                               'backbone.layer1.3.bn1.weight, backbone.layer1.3.bn1.bias, ')
    assert lines[1].endswith(', ... and 64 more')
    assert lines[2] == "allowed to differ: new [], re-initialised ['head.fc']"


@pytest.mark.parametrize('stage2,stage1', [(LWS, CE), (RIDE_EA, RIDE)])
def test_lws_and_routing_accept_their_stage1(stage2, stage1, tmp_path):
    torch.manual_seed(0)
    cfg = _cfg(stage2, load_from=_save(_build(_cfg(stage1)), tmp_path / 'stage1.pth'))
    runner = _runner(cfg, _build(cfg), tmp_path)
    _hook(cfg).before_run(runner)
    new = 1 if stage2 == LWS else 6  # head.fc.scales; the routers' 3 weights and 3 biases
    assert f'; {new} new, 0 to re-initialise)' in runner.logger.lines[0]


def test_routing_refuses_a_plain_classifier(ce_checkpoint, tmp_path):
    cfg = _cfg(RIDE_EA, load_from=ce_checkpoint)
    with pytest.raises(ValueError) as info:
        _hook(cfg).before_run(_runner(cfg, _build(cfg), tmp_path))
    lines = str(info.value).split('\n')
    assert lines[1].startswith('missing from the checkpoint (421): '
                               'backbone.shared_layers.0.0.conv1.weight, ')
    assert lines[1].endswith(', ... and 413 more')
    assert lines[2].startswith('unexpected in the checkpoint (182): '
                               'backbone.layer1.0.conv1.weight, ')
    assert lines[2].endswith(', ... and 174 more')
    assert lines[3] == "allowed to differ: new ['router'], re-initialised []"


def test_checkpoint_of_a_wrapped_model_fits(bags, tmp_path):
    cfg, model, _ = bags
    torch.manual_seed(0)
    cfg.load_from = _save(_build(_cfg(FASTER)), tmp_path / 'ddp.pth', prefix='module.')
    _hook(cfg).before_run(_runner(cfg, model, tmp_path))


def test_missing_file_names_path_and_field(ce_checkpoint, tmp_path):
    path = str(tmp_path / 'nope/epoch_6.pth')
    cfg = _cfg(CRT, **{CRT_FIELD: path})
    with pytest.raises(FileNotFoundError) as info:
        _hook(cfg).before_run(_runner(cfg, _build(cfg), tmp_path))
    assert str(info.value) == (
        f'Stage1CheckpointHook: stage-1 checkpoint not found: {path} (config field '
        f'"{CRT_FIELD}"); train stage 1 first or point "{CRT_FIELD}" at its checkpoint')


def test_unset_field(tmp_path):
    cfg = _cfg(LWS, load_from=None)
    model = _build(cfg)
    with pytest.raises(ValueError) as info:
        _hook(cfg).before_run(_runner(cfg, model, tmp_path))
    assert str(info.value) == ('Stage1CheckpointHook: config field "load_from" is None, but '
                               'stage 2 starts from a stage-1 checkpoint')
    # tools/train.py --resume without a checkpoint to resume sets load_from to None.
    with pytest.raises(ValueError, match='; --resume found no checkpoint to resume from in '
                       f'{tmp_path}: start stage 2 without --resume$'):
        _hook(cfg).before_run(_runner(cfg, model, tmp_path, resume=True))
    with pytest.raises(ValueError, match='config field "model.nothing.checkpoint" not found'):
        Stage1CheckpointHook(field='model.nothing.checkpoint').before_run(
            _runner(cfg, model, tmp_path))


def test_resuming_skips_the_stage1_check(tmp_path):
    cfg = _cfg(LWS)  # its stage-1 file does not exist here
    model = _build(cfg)
    cfg.load_from = str(tmp_path / 'epoch_3.pth')  # tools/train.py --resume CKPT
    runner = _runner(cfg, model, tmp_path, resume=True)
    _hook(cfg).before_run(runner)
    assert runner.logger.lines == [f'Stage1CheckpointHook: resuming from {cfg.load_from}, a '
                                   'stage-2 checkpoint; the stage-1 check is skipped']
    cfg.load_from = None  # --resume: the latest checkpoint of the work dir
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_2.pth'))
    runner = _runner(cfg, model, tmp_path, resume=True)
    _hook(cfg).before_run(runner)
    assert 'resuming from ' + str(tmp_path / 'epoch_2.pth') in runner.logger.lines[0]


def test_only_training_runs_are_checked_once(tmp_path):
    cfg = _cfg(LWS)  # its stage-1 file does not exist here
    model = _build(cfg)
    hook = _hook(cfg)
    hook.before_run(_runner(cfg, model, tmp_path, training=False))  # test / val run
    assert not hook.checked
    hook.checked = True  # a test run after training (same runner): not again
    hook.before_run(_runner(cfg, model, tmp_path))


def test_patterns_must_match_the_model(bags, tmp_path):
    cfg, model, path = bags
    cfg.load_from = path
    hook = Stage1CheckpointHook(allow_reinit=['roi_head.bbox_head.*.fc_cls'])  # cascade pattern
    with pytest.raises(ValueError, match=r"patterns \['roi_head.bbox_head.\*.fc_cls'\] match no "
                       r'key of the model \(FasterRCNN\)'):
        hook.before_run(_runner(cfg, model, tmp_path))
    with pytest.raises(TypeError, match='^Stage1CheckpointHook: field "allow_new" = \'router\' '
                       'is a string; it must be a list of patterns$'):
        Stage1CheckpointHook(allow_new='router')


def test_registered_in_both_scopes():
    for hooks in (DET_HOOKS, CLS_HOOKS):
        hook = hooks.build(dict(type='Stage1CheckpointHook', allow_new=['router']))
        assert isinstance(hook, Stage1CheckpointHook) and hook.allow_new == ['router']
        assert hook.field == 'load_from' and hook.priority == 'VERY_HIGH'
