"""Every demo config trains for 2 iterations and is evaluated, through the real tools."""
import glob
import json
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DET_CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs/baselines/*_fashion-lvis.py')))
CLS_CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs/baselines/*-6e_fashion-mnist-lt-r100.py')))


def _tool(*args):
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc.stdout + proc.stderr


def _loader_options(split, root, indices, workers=0):
    return [f'{split}_dataloader.dataset.data_root={root}/',
            f'{split}_dataloader.dataset.indices={indices}',
            f'{split}_dataloader.num_workers={workers}',
            f'{split}_dataloader.persistent_workers=False']


def test_demo_configs_are_found():
    assert len(DET_CONFIGS) == 3 and len(CLS_CONFIGS) == 1


@pytest.mark.parametrize('config', DET_CONFIGS, ids=osp.basename)
def test_detection_demo_config_trains_and_tests(config, tiny_fashion_lvis, tmp_path):
    root = tiny_fashion_lvis
    ann = f'{root}/annotations/lvis_v1_val.json'
    options = (_loader_options('train', root, 8) + _loader_options('val', root, 4) +
               _loader_options('test', root, 4) +
               ['train_cfg.max_epochs=1', f'val_evaluator.ann_file={ann}',
                f'test_evaluator.ann_file={ann}'])
    work = str(tmp_path)
    log = _tool('tools/train.py', config, '--work-dir', work, '--cfg-options', *options)
    assert 'Epoch(train) [1][2/' in log
    checkpoint = osp.join(work, 'epoch_1.pth')
    iou_types = ['bbox', 'segm'] if 'mask-rcnn' in config else ['bbox']
    log = _tool('tools/test_lvis.py', config, checkpoint, '--eval', *iou_types,
                '--work-dir', work, '--cfg-options', *options)
    assert '| Type | IoU | Area | MaxDets | CatIds | Result |' in log
    for iou_type in iou_types:
        assert f'lvis/{iou_type}_APr' in log


@pytest.mark.parametrize('config', CLS_CONFIGS, ids=osp.basename)
def test_classification_demo_config_trains_and_tests(config, tiny_fashion_lt, tmp_path):
    root = tiny_fashion_lt
    options = (_loader_options('train', root, 256) + _loader_options('val', root, 64) +
               _loader_options('test', root, 64) + ['train_cfg.max_epochs=1'])
    work = str(tmp_path)
    log = _tool('tools/train.py', config, '--work-dir', work, '--cfg-options', *options)
    assert 'Epoch(train) [1][2/2]' in log
    log = _tool('tools/test.py', config, osp.join(work, 'epoch_1.pth'), '--work-dir', work,
                '--cfg-options', *options)
    for split in ('many', 'medium', 'few'):
        assert f'shot/{split}' in log
    with open(f'{root}/class_stats.json') as f:
        assert json.load(f)['num_classes'] == 10
