"""Helpers for tests that run ``tools/*.py`` and ``tools/dist_*.sh`` in subprocesses.

Configs are shrunk to the tiny data sets of ``tests/conftest.py`` through ``--cfg-options``;
test-only hooks (``tests/probe_hooks.py``) are added by a generated child config, because
``--cfg-options`` cannot express a list of dicts.
"""
import importlib.util
import os
import os.path as osp
import signal
import socket
import subprocess
import sys
from types import ModuleType
from typing import List, Optional, Sequence

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TESTS = osp.dirname(osp.abspath(__file__))


def load_tool(path: str) -> ModuleType:
    """Import the tool script at ``path`` (relative to the repository) as a module."""
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_env() -> dict:
    """The environment of a tool run: ``tests/`` importable, one thread per process."""
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHON=sys.executable)
    env['PYTHONPATH'] = os.pathsep.join(p for p in (TESTS, REPO, env.get('PYTHONPATH')) if p)
    env['PORT'] = str(free_port())
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(args: Sequence[str], log_path: str, env: Optional[dict] = None) -> subprocess.Popen:
    """Start ``python ARGS`` (or ``bash tools/dist_*.sh ARGS``) with its output in a file.

    ``env`` adds variables to :func:`tool_env`'s environment.
    """
    cmd = ['bash', *args] if args[0].endswith('.sh') else [sys.executable, *args]
    log = open(log_path, 'w')
    proc = subprocess.Popen(cmd, cwd=REPO, env=dict(tool_env(), **(env or {})), stdout=log,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    proc.log_path = log_path
    proc.log_file = log
    return proc


def finish(proc: subprocess.Popen, expect_rc: int = 0) -> str:
    """Wait for ``proc``; assert its return code and return its output.

    A run still going after 10 minutes is killed with its process group (torchrun workers).
    """
    try:
        rc = proc.wait(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        rc = proc.wait()
    proc.log_file.close()
    with open(proc.log_path) as f:
        log = f.read()
    assert rc == expect_rc, f'return code {rc}, expected {expect_rc}:\n{log[-5000:]}'
    return log


def run_all(*jobs: Sequence[str], logs: Sequence[str], env: Optional[dict] = None) -> List[str]:
    """Run the jobs concurrently; every one must exit with 0. Returns their outputs."""
    procs = [start(job, log, env) for job, log in zip(jobs, logs)]
    return [finish(p) for p in procs]


def probe_config(path: str, config: str, extra: str = '') -> str:
    """Write a child of ``config`` (relative to the repo) that imports the test hooks.

    Args:
        path: where to write the child config.
        config: the real config.
        extra: more Python config text; ``{base_hooks}`` is replaced by the parent's
            ``custom_hooks`` list, so a child can extend it.
    """
    parent = osp.join(REPO, config)
    base_hooks = Config.fromfile(parent).get('custom_hooks', [])
    text = (f'_base_ = {parent!r}\n'
            "custom_imports = dict(imports=['ltr_mm', 'probe_hooks'], "
            'allow_failed_imports=False)\n' + extra.replace('{base_hooks}', repr(base_hooks)))
    with open(path, 'w') as f:
        f.write(text)
    return path


def loader_options(root: str, sizes: dict, batch: int) -> List[str]:
    """Point the train / val / test loaders at ``root`` with ``sizes[split]`` samples."""
    options = []
    for split, size in sizes.items():
        loader = f'{split}_dataloader'
        options += [f'{loader}.dataset.data_root={root}/', f'{loader}.dataset.indices={size}',
                    f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    return options + [f'train_dataloader.batch_size={batch}']


def det_options(root: str, train: int = 8, val: int = 5, batch: int = 2) -> List[str]:
    """Tiny Fashion-LVIS: ``train`` training and ``val`` val / test images.

    Evaluation runs one image per batch, so that predictions do not depend on which images
    share a (padded) batch, which differs between 1 and 2 processes.
    """
    val_ann = f'{root}/annotations/lvis_v1_val.json'
    return loader_options(root, dict(train=train, val=val, test=val), batch) + [
        f'val_evaluator.ann_file={val_ann}', f'test_evaluator.ann_file={val_ann}',
        'val_dataloader.batch_size=1', 'test_dataloader.batch_size=1']


def cls_options(root: str, train: int = 32, val: int = 63, batch: int = 8) -> List[str]:
    """Tiny Fashion-MNIST-LT: ``train`` training and ``val`` val / test images."""
    return loader_options(root, dict(train=train, val=val, test=val), batch) + [
        'val_dataloader.batch_size=16', 'test_dataloader.batch_size=16']


def save_tde_detector(config: str, path: str):
    """Build the detector of ``config`` (a TDE box head) with its init weights and a seeded
    random moving average, save it as a checkpoint at ``path`` and return the model."""
    import torch
    from mmdet.registry import MODELS
    from mmengine.registry import DefaultScope

    import ltr_mm  # noqa: F401
    cfg = Config.fromfile(osp.join(REPO, config))
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    head = model.roi_head.bbox_head
    head.mean_feat.copy_(torch.rand(head.mean_feat.shape,
                                    generator=torch.Generator().manual_seed(0)))
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return model
