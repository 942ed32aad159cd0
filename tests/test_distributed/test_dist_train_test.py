"""``tools/dist_train.sh`` and ``tools/dist_test.sh`` with 2 processes on CPUs (gloo), and
``tools/slurm_train.sh`` / ``tools/slurm_test.sh`` (``--launcher slurm``).

One small detection config (TDE Faster R-CNN twin, RFS-stochastic sampler) and one small
classification config (RIDE twin, class-balanced sampler) train one short epoch on the tiny
sets with 2 processes started by torchrun; the classification config also with 2 processes
started by ``tests/fake_srun.py``, which gives each the variables srun sets (``SLURM_PROCID``,
``SLURM_NTASKS``, ``SLURM_LOCALID``, ``SLURM_NODELIST``, ...; ``MASTER_ADDR`` / ``MASTER_PORT``
given, so no ``scontrol`` is needed). ``tests/probe_hooks.py`` dumps each rank's parameters,
buffers, sampler streams and trained sample indices. Then the checkpoint is evaluated by the
same launcher with 2 processes and by ``tools/test.py`` (1 process) at the same time. Every
process must exit with 0 (a run that aborts at exit after good results fails here).

Asserted:

- parameters and every buffer are identical on both ranks, the TDE moving-average feature
  and the RIDE class-count statistics included; BatchNorm running statistics are the only
  exception: with mmengine's default DDP wrapper (``broadcast_buffers=False``) each rank
  keeps its own and the checkpoint stores rank 0's;
- the sampler streams of epochs 0 and 1 on the 2 ranks take alternate positions of one stream
  whose prefix is the single-process stream of the same seed and epoch, and each rank trained
  on exactly its share in epoch 0;
- the 2-process evaluation gives the metrics and predictions of the 1-process evaluation.
"""
import collections
import json
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from tool_runs import cls_options, det_options, finish, free_port, probe_config, run_all, start

from ltr_mm.datasets.samplers import ClassBalancedSampler, RepeatFactorSampler

CASES = {
    'det': dict(config='configs/tde/tde_faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
                options=det_options, data='tiny_fashion_lvis', sizes=dict(train=8, val=5),
                sampler="dict(_delete_=True, type='RepeatFactorSampler', repeat_thresh=0.3)",
                stats=['roi_head.bbox_head.mean_feat']),
    'cls': dict(config='configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
                options=cls_options, data='tiny_fashion_lt', sizes=dict(train=33, val=63),
                sampler="dict(_delete_=True, type='ClassBalancedSampler')",
                stats=['head.loss_module.margins', 'head.loss_module.drw_weights',
                       'head.loss_module.temperatures']),
}
RUNS = {'det': ('det', 'torchrun'), 'cls': ('cls', 'torchrun'), 'cls-slurm': ('cls', 'slurm')}
PROBE = ("custom_hooks = {base_hooks} + [dict(type='DumpRankStateHook', out_dir='probe')]\n"
         'train_dataloader = dict(sampler=%s)\n')
TRAIN = ['train_cfg.max_epochs=1', 'train_cfg.val_begin=2', 'randomness.seed=0']


class Labelled:
    """The recorded labels of the training set, for a single-process sampler."""

    def __init__(self, labels, classes):
        self.labels, self.metainfo = labels, dict(classes=tuple(classes))

    def __len__(self):
        return len(self.labels)

    def get_cat_ids(self, idx):
        return self.labels[idx]


def _single_process_stream(rank_dump, epoch):
    info = rank_dump['sampler']
    data = Labelled(rank_dump['labels'], rank_dump['classes'])
    if info['type'] == 'RepeatFactorSampler':
        sampler = RepeatFactorSampler(data, repeat_thresh=0.3, seed=info['seed'])
    else:
        assert info['type'] == 'ClassBalancedSampler'
        sampler = ClassBalancedSampler(data, seed=info['seed'])
    sampler.set_epoch(epoch)
    return list(iter(sampler))


def _launch(launcher):
    """The train and test commands of ``launcher`` (2 processes) and their extra environment."""
    if launcher == 'torchrun':
        return (lambda cfg, work: ['tools/dist_train.sh', cfg, '2', '--work-dir', work],
                lambda cfg, ckpt: ['tools/dist_test.sh', cfg, ckpt, '2'], {})
    env = dict(SRUN=osp.join(osp.dirname(osp.dirname(__file__)), 'fake_srun.py'), GPUS='2',
               GPUS_PER_NODE='0', CPUS_PER_TASK='1', MASTER_ADDR='127.0.0.1',
               MASTER_PORT=str(free_port()))
    return (lambda cfg, work: ['tools/slurm_train.sh', 'cpu', 'ltr_mm_train', cfg, work],
            lambda cfg, ckpt: ['tools/slurm_test.sh', 'cpu', 'ltr_mm_test', cfg, ckpt], env)


@pytest.fixture(scope='module', params=sorted(RUNS))
def ddp_run(request, tmp_path_factory):
    """Train with 2 processes, then evaluate with 2 processes and with tools/test.py."""
    name, launcher = RUNS[request.param]
    case = CASES[name]
    tmp = tmp_path_factory.mktemp(f'ddp_{request.param}')
    sizes = case['sizes']
    options = case['options'](request.getfixturevalue(case['data']), train=sizes['train'],
                              val=sizes['val'])
    config = probe_config(str(tmp / 'probe.py'), case['config'], PROBE % case['sampler'])
    work = str(tmp / 'work')
    train, test, env = _launch(launcher)
    log = finish(start([*train(config, work), '--cfg-options', *options, *TRAIN],
                       str(tmp / 'train.log'), env))
    checkpoint = osp.join(work, 'epoch_1.pth')
    run_all([*test(config, checkpoint), '--work-dir', str(tmp / 'dist'),
             '--out', str(tmp / 'dist.pkl'), '--cfg-options', *options],
            ['tools/test.py', config, checkpoint, '--work-dir', str(tmp / 'single'),
             '--out', str(tmp / 'single.pkl'), '--cfg-options', *options],
            logs=[str(tmp / 'dist_test.log'), str(tmp / 'single_test.log')],
            env=dict(env, MASTER_PORT=str(free_port())) if env else None)
    ranks = [torch.load(osp.join(work, 'probe', f'rank{r}.pt'), weights_only=False)
             for r in (0, 1)]
    return dict(case=case, launcher=launcher, tmp=tmp, log=log, ranks=ranks)


def test_two_gloo_processes_trained(ddp_run):
    log = ddp_run['log']
    assert 'Distributed training: True' in log and "dist_cfg: {'backend': 'gloo'}" in log
    launcher = 'pytorch' if ddp_run['launcher'] == 'torchrun' else 'slurm'
    assert f'Distributed launcher: {launcher}' in log
    if launcher == 'slurm':
        assert ('fake srun: -p cpu --job-name=ltr_mm_train --ntasks=2 --ntasks-per-node=2 '
                '--cpus-per-task=1 --kill-on-bad-exit=1') in log
    assert [r['rank'] for r in ddp_run['ranks']] == [0, 1]
    assert all(r['world_size'] == 2 for r in ddp_run['ranks'])


def test_parameters_and_statistics_buffers_agree_across_ranks(ddp_run):
    rank0, rank1 = ddp_run['ranks']
    assert rank0['params'].keys() == rank1['params'].keys()
    for name, value in rank0['params'].items():
        assert torch.equal(value, rank1['params'][name]), name
    assert rank0['buffers'].keys() == rank1['buffers'].keys()
    compared = []
    for name, value in rank0['buffers'].items():
        if name.endswith(('running_mean', 'running_var')):
            continue  # rank-local by DDP design (broadcast_buffers=False)
        assert torch.equal(value, rank1['buffers'][name]), name
        compared.append(name)
    for name in ddp_run['case']['stats']:
        assert name in compared
        stat = rank0['buffers'][name]
        assert stat.numel() > 0 and bool(stat.abs().sum() > 0), name


def test_ranks_split_the_single_process_sampler_stream(ddp_run):
    rank0, rank1 = ddp_run['ranks']
    for epoch in (0, 1):
        shares = [rank0['streams'][epoch], rank1['streams'][epoch]]
        assert len(shares[0]) == len(shares[1]) > 0
        # Position p of the global stream belongs to rank p % 2: disjoint, together complete.
        merged = np.empty(2 * len(shares[0]), dtype=np.int64)
        merged[0::2], merged[1::2] = shares
        single = _single_process_stream(rank0, epoch)
        assert len(single) <= len(merged) <= len(single) + 1
        assert merged[:len(single)].tolist() == single
    assert rank0['streams'][0] != rank0['streams'][1]
    for rank in (rank0, rank1):
        assert collections.Counter(rank['trained']) == collections.Counter(rank['streams'][0])


def test_distributed_evaluation_equals_single_process(ddp_run):
    tmp = ddp_run['tmp']
    metrics = {}
    for name, world in (('dist', 2), ('single', 1)):
        with open(tmp / name / 'probe' / f'test_metrics_rank0_of{world}.json') as f:
            metrics[name] = json.load(f)
    assert metrics['dist'].keys() == metrics['single'].keys() and len(metrics['dist']) >= 4
    for key, value in metrics['single'].items():
        assert abs(metrics['dist'][key] - value) <= 1e-6, key
    with open(tmp / 'dist.pkl', 'rb') as f:
        dist_preds = pickle.load(f)
    with open(tmp / 'single.pkl', 'rb') as f:
        single_preds = pickle.load(f)
    assert len(dist_preds) == len(single_preds) == ddp_run['case']['sizes']['val']
    for got, ref in zip(dist_preds, single_preds):
        _assert_close(got, ref)


def _assert_close(got, ref, path='pred'):
    if isinstance(ref, dict):
        assert got.keys() == ref.keys(), path
        for key in ref:
            _assert_close(got[key], ref[key], f'{path}.{key}')
    elif torch.is_tensor(ref):
        assert got.shape == ref.shape, path
        if ref.is_floating_point():
            torch.testing.assert_close(got, ref, rtol=0, atol=1e-6, msg=path)
        else:
            assert torch.equal(got, ref), path
    elif isinstance(ref, (list, tuple)) and ref and not isinstance(ref[0], str):
        assert len(got) == len(ref), path
        for i, (a, b) in enumerate(zip(got, ref)):
            _assert_close(a, b, f'{path}[{i}]')
    else:
        assert got == ref, path
