"""Classification works without mmdet and without mmcv's compiled ops.

Every command here runs with ``tests/without_mmdet`` first on ``PYTHONPATH``, whose
``sitecustomize.py`` makes ``mmdet``, ``mmcv.ops`` and ``mmcv._ext`` unimportable: what a
machine with torch, mmengine, mmcv-lite and mmpretrain (``LTR_MM_TASKS=cls``) has. There a
plain ``import ltr_mm`` (what the configs' ``custom_imports`` does) must register every
classification component, every classification config must build its model, and
``tools/train.py`` / ``tools/test.py`` must train, resume and test a config.
"""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

from tool_runs import cls_options

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BLOCKER = osp.join(REPO, 'tests', 'without_mmdet')
CONFIG = 'configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'


def _env() -> dict:
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([BLOCKER, REPO, env.get('PYTHONPATH', '')])
    return env


def _run(*args: str) -> str:
    proc = subprocess.run([sys.executable, *args], cwd=REPO, env=_env(), capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_the_blocker_blocks():
    out = _run('-c', 'import importlib.util, mmcv\n'
               'for name in ("mmdet", "mmcv.ops"):\n'
               '    try:\n'
               '        __import__(name)\n'
               '    except ImportError:\n'
               '        print("blocked", name)\n'
               'import pkgutil\n'
               'print("ops", pkgutil.find_loader("mmcv._ext"))\n'
               'import ltr_mm.components as c\n'
               'print("frameworks", c.installed_frameworks())')
    assert out.count('blocked') == 2
    assert 'ops None' in out and "frameworks ['mmpretrain']" in out


def _summary(out: str) -> dict:
    return json.loads([line for line in out.splitlines() if line.startswith('{')][-1])


def test_every_classification_config_builds():
    # Two processes, each building every other config file; their lists are joined.
    script = osp.join(BLOCKER, 'build_cls_configs.py')
    procs = [subprocess.Popen([sys.executable, script, str(i), '2'], cwd=REPO, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    outs = [proc.communicate() for proc in procs]
    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, out[-3000:] + err[-3000:]
    halves = [_summary(out) for out, _ in outs]
    summary = dict(halves[0])
    for key in ('built', 'skipped'):
        summary[key] = halves[0][key] + halves[1][key]
    for key in ('frameworks', 'after_import', 'blocked_loaded', 'scopes', 'names'):
        assert halves[0][key] == halves[1][key], key
    all_configs = [p for p in glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
                   if '/_base_/' not in p]
    assert len(summary['built']) + len(summary['skipped']) == len(all_configs)
    assert summary['frameworks'] == ['mmpretrain']
    assert summary['after_import'] == []  # `import ltr_mm` alone imports no torch
    assert summary['blocked_loaded'] == []
    assert summary['scopes'] == ['mmengine', 'mmpretrain']
    assert 'ShotAccuracy' in summary['names'] and 'LDAMLoss' in summary['names']
    assert not {'BAGSLoss', 'FastLVISMetric', 'TDEBBoxHead'} & set(summary['names'])
    built = {name for name, _, _ in summary['built']}
    assert len(built) >= 60 and all(params > 0 for _, _, params in summary['built'])
    assert all(name.startswith('configs/') for name in built | set(summary['skipped']))
    # Every classification method family is among the built configs.
    for family in ('baselines', 'losses', 'decoupled', 'ride', 'fcc', 'tde'):
        assert any(name.startswith(f'configs/{family}/') for name in built), family
    # The skipped ones are the detection configs.
    assert all('rcnn' in name or 'htc' in name or 'lvis' in name
               for name in summary['skipped']), summary['skipped']


def test_train_resume_and_test_a_classifier(tiny_fashion_lt, tmp_path):
    work = str(tmp_path / 'work')
    options = ['--cfg-options', *cls_options(tiny_fashion_lt, train=32, batch=16),
               'train_cfg.max_epochs=1', 'default_hooks.checkpoint.interval=1']
    log = _run('tools/train.py', CONFIG, '--work-dir', work, *options)
    assert 'Epoch(train) [1][2/2]' in log
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    options[-2] = 'train_cfg.max_epochs=2'
    log = _run('tools/train.py', CONFIG, '--work-dir', work, '--resume', *options)
    assert 'resumed epoch: 1, iter: 2' in log and 'Epoch(train) [2][2/2]' in log
    log = _run('tools/test.py', CONFIG, osp.join(work, 'epoch_2.pth'), '--work-dir', work,
               *options)
    assert 'shot/top1' in log and 'shot/few' in log
