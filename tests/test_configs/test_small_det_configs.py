"""Every small detection twin on the embedded set trains 2 iterations and is evaluated.

Covers ``configs/{baselines,rfs,reweight,focal,bags,tde,tau-norm}/*_fashion-lvis.py`` through
the real tools (``tools/train.py`` then ``tools/test_lvis.py``) on the tiny copy of the embedded
set. The baseline demo configs are left to ``test_demo_configs.py``. BAGS stage-2 twins load a
2-iteration checkpoint of their baseline, trained once per module. The tau-norm twins are test
only: ``tools/test_lvis.py`` scores that baseline checkpoint with them, without training.
"""
import glob
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FOLDERS = ('baselines', 'rfs', 'reweight', 'focal', 'bags', 'tde', 'tau-norm')
TEST_ONLY_FOLDERS = ('tau-norm', )
DEMO_CONFIGS = set(glob.glob(osp.join(REPO, 'configs/baselines/*_fashion-lvis.py')))
CONFIGS = sorted(p for folder in FOLDERS
                 for p in glob.glob(osp.join(REPO, 'configs', folder, '*_fashion-lvis.py'))
                 if p not in DEMO_CONFIGS)
BASELINES = {
    'faster-rcnn': 'configs/baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
    'mask-rcnn': 'configs/baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
}


def _tool(*args):
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc.stdout + proc.stderr


def _detector(config):
    return 'mask-rcnn' if 'mask-rcnn' in osp.basename(config) else 'faster-rcnn'


def _options(config, root):
    """``--cfg-options`` that point every loader of ``config`` at the tiny set."""
    cfg = Config.fromfile(osp.join(REPO, config))
    train_ann = f'{root}/annotations/lvis_v1_train.json'
    val_ann = f'{root}/annotations/lvis_v1_val.json'
    options = ['train_cfg.max_epochs=1', f'val_evaluator.ann_file={val_ann}',
               f'test_evaluator.ann_file={val_ann}']
    for split, indices in (('train', 8), ('val', 4), ('test', 4)):
        loader = f'{split}_dataloader'
        dataset = f'{loader}.dataset'
        if cfg[loader].dataset.type == 'ClassBalancedDataset':
            dataset += '.dataset'
        options += [f'{dataset}.data_root={root}/', f'{dataset}.indices={indices}',
                    f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    for i, hook in enumerate(cfg.get('custom_hooks', [])):
        if hook.type == 'SetClassStatsHook' and hook.get('class_stats'):
            options.append(f'custom_hooks.{i}.class_stats={train_ann}')
    return options, cfg


@pytest.fixture(scope='module')
def baseline_checkpoints(tiny_fashion_lvis, tmp_path_factory):
    """2-iteration checkpoints of the small baselines (stage 1 of the BAGS twins), on demand."""
    cache = {}

    def get(detector):
        if detector not in cache:
            config = BASELINES[detector]
            work = str(tmp_path_factory.mktemp(f'stage1_{detector}'))
            options, _ = _options(config, tiny_fashion_lvis)
            _tool('tools/train.py', config, '--work-dir', work, '--cfg-options', *options)
            cache[detector] = osp.join(work, 'epoch_1.pth')
        return cache[detector]

    return get


def test_small_det_configs_are_found():
    names = [osp.relpath(p, osp.join(REPO, 'configs')) for p in CONFIGS]
    for folder in ('rfs', 'reweight', 'focal', 'bags', 'tde', 'tau-norm'):
        assert any(name.startswith(folder + '/') for name in names), folder
    assert not DEMO_CONFIGS & set(CONFIGS)


@pytest.mark.parametrize('config', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_small_det_config_trains_and_tests(config, tiny_fashion_lvis, baseline_checkpoints,
                                           tmp_path):
    config = osp.relpath(config, REPO)
    options, cfg = _options(config, tiny_fashion_lvis)
    if osp.basename(osp.dirname(config)) in TEST_ONLY_FOLDERS:
        checkpoint, work = baseline_checkpoints(_detector(config)), str(tmp_path)
        log = _check_lvis_test(config, checkpoint, work, options)
        assert 'do not match exactly' not in log  # the stock checkpoint loads strictly
        return
    if 'baseline_checkpoint' in cfg:
        options.append(f'load_from={baseline_checkpoints(_detector(config))}')
    work = str(tmp_path)
    log = _tool('tools/train.py', config, '--work-dir', work, '--cfg-options', *options)
    assert 'Epoch(train) [1][2/' in log
    if 'baseline_checkpoint' in cfg:
        assert 'Load checkpoint from' in log
    _check_lvis_test(config, osp.join(work, 'epoch_1.pth'), work, options)


def _check_lvis_test(config, checkpoint, work, options):
    iou_types = ['bbox', 'segm'] if _detector(config) == 'mask-rcnn' else ['bbox']
    log = _tool('tools/test_lvis.py', config, checkpoint, '--eval', *iou_types, '--work-dir',
                work, '--cfg-options', *options)
    assert '| Type | IoU | Area | MaxDets | CatIds | Result |' in log
    for iou_type in iou_types:
        assert f'lvis/{iou_type}_APr' in log
    return log
