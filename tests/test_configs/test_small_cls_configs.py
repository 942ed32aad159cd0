"""Every small classification twin trains 2 iterations and is tested, through the real tools.

Stage-2 twins (cRT, LWS, tau-norm, RIDE expert assignment, RIDE distillation) start from a
checkpoint trained earlier in this file (module-scoped fixtures). Full-length recipes run with
one epoch only where they are the only Fashion-MNIST-LT config of their method; the others
are covered by their short twin (same name up to the epoch count), which
``test_every_fashion_mnist_lt_config_is_covered`` checks.
"""
import glob
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CE = 'configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
RIDE = 'configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
# One-stage twins: train from scratch, then test the checkpoint.
ONE_STAGE = [
    'configs/losses/ldam-drw_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
    'configs/losses/bsce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
    'configs/fcc/fcc_ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
    'configs/fcc/fcc_bsce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
    'configs/tde/tde_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
]
RIDE_EA = 'configs/ride/ride-ea-3e_resnet32_1xb128-2e_fashion-mnist-lt-r100.py'
RIDE_DISTILL = 'configs/ride/ride-distill-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
CRT = 'configs/decoupled/crt_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
LWS = 'configs/decoupled/lws_resnet32_1xb128-30e_fashion-mnist-lt-r100.py'
TAU_NORM = 'configs/decoupled/tau-norm_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
NCM = 'configs/decoupled/ncm_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
RUN_HERE = [CE, RIDE, *ONE_STAGE, RIDE_EA, RIDE_DISTILL, CRT, LWS, TAU_NORM, NCM]


def _tool(*args):
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc.stdout + proc.stderr


def _options(root):
    """Tiny data (256 training images = 2 iterations, 64 test images), one epoch."""
    options = ['train_cfg.max_epochs=1']  # SetClassStatsHook counts the training list
    for split, indices in (('train', 256), ('val', 64), ('test', 64)):
        options += [f'{split}_dataloader.dataset.data_root={root}/',
                    f'{split}_dataloader.dataset.indices={indices}',
                    f'{split}_dataloader.num_workers=0',
                    f'{split}_dataloader.persistent_workers=False']
    return options


def _train_and_test(config, work, root, *extra):
    options = _options(root) + list(extra)
    log = _tool('tools/train.py', config, '--work-dir', work, '--cfg-options', *options)
    assert 'Epoch(train) [1][2/2]' in log
    checkpoint = osp.join(work, 'epoch_1.pth')
    assert osp.isfile(checkpoint)
    log = _tool('tools/test.py', config, checkpoint, '--work-dir', work, '--cfg-options',
                *options)
    for key in ('shot/top1', 'shot/many', 'shot/medium', 'shot/few'):
        assert key in log, key
    return checkpoint


def test_every_fashion_mnist_lt_config_is_covered():
    """Each Fashion-MNIST-LT classification config runs here or has a short twin that does."""

    def family(path):
        return re.sub(r'(xb\d+-)\d+e_', r'\1Ne_', osp.basename(path))  # drop the epochs

    configs = glob.glob(osp.join(REPO, 'configs/**/*_fashion-mnist-lt-r100.py'), recursive=True)
    assert len(configs) >= 18
    covered = {family(p) for p in RUN_HERE}
    assert all(osp.isfile(osp.join(REPO, p)) for p in RUN_HERE)
    assert sorted(p for p in configs if family(p) not in covered) == []


@pytest.fixture(scope='module')
def ce_checkpoint(tiny_fashion_lt, tmp_path_factory):
    """The CE baseline twin, trained and tested: stage 1 of the decoupled twins."""
    work = str(tmp_path_factory.mktemp('ce_stage1'))
    return _train_and_test(CE, work, tiny_fashion_lt)


@pytest.fixture(scope='module')
def ride_checkpoint(tiny_fashion_lt, tmp_path_factory):
    """The 3-expert RIDE twin, trained and tested: stage 1 of RIDE-EA, teacher of distillation."""
    work = str(tmp_path_factory.mktemp('ride_stage1'))
    return _train_and_test(RIDE, work, tiny_fashion_lt)


@pytest.mark.parametrize('config', ONE_STAGE, ids=osp.basename)
def test_one_stage_twin_trains_and_tests(config, tiny_fashion_lt, tmp_path):
    _train_and_test(config, str(tmp_path), tiny_fashion_lt)


def test_ride_twin_trains_and_tests(ride_checkpoint):
    assert osp.isfile(ride_checkpoint)


def test_ride_expert_assignment_twin_from_stage1(ride_checkpoint, tiny_fashion_lt, tmp_path):
    _train_and_test(RIDE_EA, str(tmp_path), tiny_fashion_lt, f'load_from={ride_checkpoint}')


def test_ride_distill_twin_from_teacher(ride_checkpoint, tiny_fashion_lt, tmp_path):
    _train_and_test(RIDE_DISTILL, str(tmp_path), tiny_fashion_lt,
                    f'model.teacher.checkpoint={ride_checkpoint}')


def test_crt_from_ce_stage1(ce_checkpoint, tiny_fashion_lt, tmp_path):
    _train_and_test(CRT, str(tmp_path), tiny_fashion_lt,
                    f'model.backbone.init_cfg.checkpoint={ce_checkpoint}')


def test_lws_from_ce_stage1(ce_checkpoint, tiny_fashion_lt, tmp_path):
    _train_and_test(LWS, str(tmp_path), tiny_fashion_lt, f'load_from={ce_checkpoint}')


def test_tau_norm_tests_ce_stage1(ce_checkpoint, tiny_fashion_lt, tmp_path):
    config = TAU_NORM
    log = _tool('tools/test.py', config, ce_checkpoint, '--work-dir', str(tmp_path),
                '--cfg-options', *_options(tiny_fashion_lt))
    for key in ('shot/top1', 'shot/many', 'shot/medium', 'shot/few'):
        assert key in log, key


def test_ncm_tests_ce_stage1(ce_checkpoint, tiny_fashion_lt, tmp_path):
    """The CE checkpoint has no class means: NCMClassMeansHook computes them from the training
    list before the test, which then scores by nearest class mean."""
    log = _tool('tools/test.py', NCM, ce_checkpoint, '--work-dir', str(tmp_path),
                '--cfg-options', *_options(tiny_fashion_lt))
    for key in ('shot/top1', 'shot/many', 'shot/medium', 'shot/few'):
        assert key in log, key
    assert 'NCMClassMeansHook: class means of 10 classes from' in log
