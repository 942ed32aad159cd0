"""A run SIGKILLed inside an epoch and resumed with ``tools/train.py --resume`` ends with the
same weights, optimizer state and metrics as an uninterrupted run.

One small detection config (TDE Faster R-CNN twin) and one small classification config (TDE
ResNet-32 twin) train 2 epochs of 4 iterations on the tiny sets, deterministically
(``randomness=dict(seed=0, deterministic=True)``, ``num_workers=0``), with a checkpoint every
3 iterations. The interrupted run is killed before iteration 8, so its last checkpoint,
``iter_6.pth``, lies inside epoch 2 (2 of its 4 batches trained). Validation runs after the
last epoch and its metrics are dumped by ``tests/probe_hooks.py``.
"""
import json
import os.path as osp

import pytest
import torch
from tool_runs import cls_options, det_options, finish, probe_config, start

from ltr_mm.engine.checkpoint_loader import load_from_local_weights_only

CASES = {
    'det': ('configs/tde/tde_faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', det_options,
            'tiny_fashion_lvis'),
    'cls': ('configs/tde/tde_resnet32_1xb128-200e_fashion-mnist-lt-r100.py', cls_options,
            'tiny_fashion_lt'),
}
SCHEDULE = ['train_cfg.max_epochs=2', 'train_cfg.val_interval=2',
            'default_hooks.checkpoint.by_epoch=False', 'default_hooks.checkpoint.interval=3',
            'randomness.seed=0', 'randomness.deterministic=True']
PROBE = "custom_hooks = {base_hooks} + [dict(type='DumpRankStateHook', out_dir='probe')]\n"
KILL = "custom_hooks = {base_hooks} + [dict(type='KillAtIterHook', iteration=7)]\n"


def _assert_same_tensors(a, b, what):
    assert a.keys() == b.keys(), what
    for key in a:
        if isinstance(a[key], dict):
            _assert_same_tensors(a[key], b[key], f'{what}.{key}')
        elif torch.is_tensor(a[key]):
            assert torch.equal(a[key], b[key]), f'{what}.{key}'
        else:
            assert a[key] == b[key], f'{what}.{key}'


@pytest.mark.parametrize('kind', sorted(CASES))
def test_killed_run_resumes_to_the_same_weights(kind, request, tmp_path):
    config, options_of, data = CASES[kind]
    options = ['--cfg-options', *options_of(request.getfixturevalue(data)), *SCHEDULE]
    probe = probe_config(str(tmp_path / 'probe.py'), config, PROBE)
    killing = probe_config(str(tmp_path / 'killing.py'), config, KILL)
    full, crash = str(tmp_path / 'full'), str(tmp_path / 'crash')
    jobs = [start(['tools/train.py', probe, '--work-dir', full, *options],
                  str(tmp_path / 'full.log')),
            start(['tools/train.py', killing, '--work-dir', crash, *options],
                  str(tmp_path / 'crash.log'))]
    finish(jobs[0])
    finish(jobs[1], expect_rc=-9)  # SIGKILL
    assert osp.isfile(osp.join(crash, 'iter_6.pth'))
    assert not osp.exists(osp.join(crash, 'iter_8.pth'))
    with open(osp.join(crash, 'last_checkpoint')) as f:
        assert f.read().strip().endswith('iter_6.pth')

    log = finish(start(['tools/train.py', probe, '--work-dir', crash, '--resume', *options],
                       str(tmp_path / 'resume.log')))
    assert 'resumed epoch: 1, iter: 6' in log
    assert 'Resuming inside epoch 2: skipping its first 2 batches' in log

    ref = load_from_local_weights_only(osp.join(full, 'iter_8.pth'))
    got = load_from_local_weights_only(osp.join(crash, 'iter_8.pth'))
    assert ref['meta']['iter'] == got['meta']['iter'] == 8
    assert len(ref['state_dict']) > 50
    _assert_same_tensors(ref['state_dict'], got['state_dict'], 'state_dict')
    _assert_same_tensors(ref['optimizer']['state'], got['optimizer']['state'], 'optimizer')
    mean_feat = [k for k in ref['state_dict'] if k.endswith('mean_feat')]
    assert len(mean_feat) == 1 and ref['state_dict'][mean_feat[0]].abs().sum() > 0

    metrics = []
    for work in (full, crash):
        with open(osp.join(work, 'probe', 'val_metrics_rank0_of1.json')) as f:
            metrics.append(json.load(f))
    assert metrics[0] == metrics[1] and len(metrics[0]) >= 4
