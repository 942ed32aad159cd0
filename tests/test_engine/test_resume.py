"""Resume works on torch >= 2.6 with weights_only=True and continues where it stopped."""
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from PIL import Image

import ltr_mm  # noqa: F401
from ltr_mm.engine.checkpoint_loader import load_from_local_weights_only
from ltr_mm.engine.runner import WeightsOnlyRunner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = osp.join(REPO, 'configs/baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py')


class NotAllowed:
    """A class no checkpoint may carry."""


def _write_dataset(root, num_images=16, num_classes=10):
    """16 random 28x28 grey images in an ImageNet-LT style list: 2 iterations of 8."""
    rng = np.random.RandomState(0)
    (root / 'img').mkdir()
    lines = []
    for i in range(num_images):
        Image.fromarray(rng.randint(0, 255, (28, 28), dtype=np.uint8)).save(root / f'img/{i}.png')
        lines.append(f'img/{i}.png {i % num_classes}')
    (root / 'train.txt').write_text('\n'.join(lines) + '\n')


def _write_config(tmp_path):
    data = tmp_path / 'data'
    data.mkdir()
    _write_dataset(data)
    cfg = tmp_path / 'resume_cfg.py'
    cfg.write_text(f"""
_base_ = {BASE!r}
model = dict(backbone=dict(depth=8))
train_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root={str(data)!r}, ann_file='train.txt'))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=2, milestones=[1], gamma=0.5)]
train_cfg = dict(max_epochs=2, val_interval=100)
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=1))
randomness = dict(seed=0)
""")
    return str(cfg)


def _train(cfg, work_dir, *extra):
    cmd = [sys.executable, osp.join(REPO, 'tools/train.py'), cfg, '--work-dir', work_dir, *extra]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_resume_continues_at_epoch_2_with_the_same_optimizer_state(tmp_path):
    cfg_file = _write_config(tmp_path)
    work_dir = str(tmp_path / 'work')
    _train(cfg_file, work_dir, '--cfg-options', 'train_cfg.max_epochs=1')
    first = osp.join(work_dir, 'epoch_1.pth')
    checkpoint = load_from_local_weights_only(first)
    assert checkpoint['meta']['epoch'] == 1 and checkpoint['meta']['iter'] == 2

    # What the runner holds once it has resumed, before epoch 2 starts.
    cfg = Config.fromfile(cfg_file)
    cfg.work_dir, cfg.resume, cfg.load_from = str(tmp_path / 'inspect'), True, first
    runner = WeightsOnlyRunner.from_cfg(cfg)
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.scale_lr(runner.optim_wrapper, runner.auto_scale_lr)
    runner.param_schedulers = runner.build_param_scheduler(runner.param_schedulers)
    runner.load_or_resume()
    assert (runner.epoch, runner.iter) == (1, 2)
    resumed = runner.optim_wrapper.state_dict()
    saved = checkpoint['optimizer']
    assert saved['state'].keys() == resumed['state'].keys() and len(saved['state']) > 0
    for key, state in saved['state'].items():
        torch.testing.assert_close(resumed['state'][key]['momentum_buffer'],
                                   state['momentum_buffer'], rtol=0, atol=0)
    assert resumed['param_groups'][0]['lr'] == saved['param_groups'][0]['lr'] == 0.05

    log = _train(cfg_file, work_dir, '--resume')
    assert 'resumed epoch: 1, iter: 2' in log
    final = load_from_local_weights_only(osp.join(work_dir, 'epoch_2.pth'))
    assert final['meta']['epoch'] == 2 and final['meta']['iter'] == 4


def test_weights_only_still_rejects_unknown_classes(tmp_path):
    path = str(tmp_path / 'bad.pth')
    torch.save({'meta': {'payload': NotAllowed()}}, path)
    with pytest.raises(pickle.UnpicklingError):
        load_from_local_weights_only(path)


def test_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_from_local_weights_only(str(tmp_path / 'nope.pth'))
