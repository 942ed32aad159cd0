"""Shared command-line plumbing of ``tools/train.py``, ``tools/test.py`` and
``tools/test_lvis.py``."""
import argparse
import gc
import os
import os.path as osp
import subprocess

import torch
from mmengine.config import Config, DictAction


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--work-dir``, ``--cfg-options`` and ``--launcher`` the way mmdet's tools do."""
    parser.add_argument('--work-dir', help='folder for logs and checkpoints')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, xxx=yyy pairs, e.g. '
        'model.roi_head.bbox_head.test_cfg.alpha=1.5 or key="[a,b]"')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher (tools/dist_*.sh pass "pytorch")')
    # torchrun passes LOCAL_RANK in the environment; older launchers pass --local-rank.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args: argparse.Namespace) -> Config:
    """Read ``args.config`` and apply ``--cfg-options``, ``--launcher`` and ``--work-dir``.

    The work dir is, in order of priority: ``--work-dir``, the config's ``work_dir``,
    ``./work_dirs/<config name>``.
    """
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.launcher == 'slurm':
        slurm_environment()
    if args.launcher in ('pytorch', 'slurm') and not torch.cuda.is_available():
        setup_cpu_distributed(cfg)
    return cfg


def slurm_environment() -> None:
    """Set the ``torch.distributed`` variables of a task started by ``srun``.

    The same mapping as mmengine's slurm launcher (``SLURM_PROCID`` -> ``RANK``,
    ``SLURM_NTASKS`` -> ``WORLD_SIZE``, ``SLURM_LOCALID`` -> ``LOCAL_RANK``; ``MASTER_PORT``
    29500 unless set; ``MASTER_ADDR`` the first host of ``SLURM_NODELIST`` from ``scontrol``
    unless set), done before the runner is built so that a CPU-only job can create its gloo
    process group from the environment.
    """
    needed = ('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST')
    missing = [key for key in needed if key not in os.environ]
    if missing:
        raise RuntimeError(f'--launcher slurm: {", ".join(missing)} not set; start the job '
                           'with srun (tools/slurm_train.sh / tools/slurm_test.sh)')
    os.environ['RANK'] = os.environ['SLURM_PROCID']
    os.environ['WORLD_SIZE'] = os.environ['SLURM_NTASKS']
    if 'SLURM_LOCALID' in os.environ:
        os.environ['LOCAL_RANK'] = os.environ['SLURM_LOCALID']
    else:
        os.environ['LOCAL_RANK'] = str(int(os.environ['SLURM_PROCID']) %
                                       max(torch.cuda.device_count(), 1))
    os.environ.setdefault('MASTER_PORT', '29500')
    if 'MASTER_ADDR' not in os.environ:
        nodes = os.environ['SLURM_NODELIST']
        proc = subprocess.run(['scontrol', 'show', 'hostname', nodes], capture_output=True,
                              text=True)
        hosts = proc.stdout.split()
        if proc.returncode != 0 or not hosts:
            raise RuntimeError(f'--launcher slurm: `scontrol show hostname {nodes}` gave no '
                               f'host ({proc.stderr.strip()}); set MASTER_ADDR')
        os.environ['MASTER_ADDR'] = hosts[0]


def finish_distributed() -> None:
    """End a multi-process run cleanly: free the DDP model, wait for every rank, then destroy
    the process group. Call it after the last reference to the runner is gone.

    A process that leaves its gloo process group to the interpreter's shutdown can abort there
    (``terminate called without an active exception``, SIGABRT) after a good run: a gloo worker
    thread still holding a finished collective (the broadcast of the metrics, the last DDP
    bucket) releases its tensors while Python is being finalised, and the thread is killed inside
    a ``noexcept`` destructor. Destroying the group while the interpreter is alive joins those
    threads first, but only once nothing else holds the group: the DDP wrapper's reducer keeps
    it alive, so the runner (and its model) is collected before. A no-op without a process
    group.
    """
    import torch.distributed as torch_dist
    if torch_dist.is_available() and torch_dist.is_initialized():
        gc.collect()  # the runner, its DDP wrapper and their reference cycles
        torch_dist.barrier()
        torch_dist.destroy_process_group()
        gc.collect()


def setup_cpu_distributed(cfg: Config) -> None:
    """Run a torchrun or srun job on CPUs: gloo process group, DDP without device ids.

    mmengine's launcher calls ``torch.cuda.set_device`` and wraps the model with
    ``device_ids=[LOCAL_RANK]``; neither works without a GPU. The process group is created
    here with gloo (the runner then finds it initialised) and the DDP wrapper gets
    ``device_ids=None``, which is what DDP expects for CPU modules.
    """
    import torch.distributed as torch_dist
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def test_dataset_cfg(cfg: Config) -> Config:
    """The test dataset config that names the annotation file (looking through dataset
    wrappers such as ``ClassBalancedDataset``)."""
    dataset = cfg.test_dataloader.dataset
    while 'ann_file' not in dataset and 'dataset' in dataset:
        dataset = dataset.dataset
    return dataset


def dataset_path(dataset: Config, path: str) -> str:
    """``path`` as the dataset reads it: joined to its ``data_root`` unless absolute."""
    return path if osp.isabs(path) else osp.join(dataset.get('data_root') or '', path)


def use_test_split(cfg: Config, ann_file: str) -> str:
    """Score another split of the test dataset: its ``ann_file`` (relative to its
    ``data_root``) and that of every test evaluator that names one (LVIS / COCO metrics read
    the ground truth themselves).

    Returns:
        str: the annotation file's path (``data_root`` joined).
    """
    dataset = test_dataset_cfg(cfg)
    path = dataset_path(dataset, ann_file)
    if not osp.isfile(path):
        raise FileNotFoundError(f'--ann-file {ann_file}: {path} not found (the path is relative '
                                f'to the test dataset\'s data_root {dataset.get("data_root")!r})')
    dataset.ann_file = ann_file
    evaluators = cfg.get('test_evaluator') or []
    for evaluator in evaluators if isinstance(evaluators, list) else [evaluators]:
        if 'ann_file' in evaluator:
            evaluator.ann_file = path
    return path


def build_runner(cfg: Config):
    """Build the runner named by ``cfg.runner_type``, by default ltr_mm's
    :class:`~ltr_mm.engine.runner.WeightsOnlyRunner` (mmengine's ``Runner`` that loads
    mmengine checkpoints on torch >= 2.6)."""
    from mmengine.registry import RUNNERS

    from ltr_mm.engine.runner.weights_only_runner import WeightsOnlyRunner
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return WeightsOnlyRunner.from_cfg(cfg)


def format_metrics(metrics: dict) -> str:
    """A two-column markdown table of the metrics a runner returned."""
    rows = ['| metric | value |', '|---|---|']
    for key, value in metrics.items():
        text = f'{value:.4f}' if isinstance(value, float) else str(value)
        rows.append(f'| {key} | {text} |')
    return '\n'.join(rows)
