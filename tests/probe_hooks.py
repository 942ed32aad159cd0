"""Test-only hooks loaded into ``tools/*.py`` subprocesses with
``custom_imports.imports=[ltr_mm,probe_hooks]`` (``tests/`` on ``PYTHONPATH``).

- ``DumpRankStateHook`` writes, per rank, what the distributed tests compare: the trained
  parameters and buffers, the sampler's index stream for the first epochs, the dataset
  indices each rank actually trained on, the dataset labels, and the val / test metrics.
- ``KillAtIterHook`` SIGKILLs its own process before a given iteration, like a crash.
"""
import json
import os
import os.path as osp
import signal

import torch
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from ltr_mm.datasets.samplers.image_labels import image_labels


def _dataset_index(dataset, sample):
    """Dataset index of one packed sample: ``sample_idx`` (mmpretrain) or via ``img_id``."""
    if 'sample_idx' in sample.metainfo:
        return int(sample.sample_idx)
    if not hasattr(dataset, '_probe_img_index'):
        dataset._probe_img_index = {dataset.get_data_info(i)['img_id']: i
                                    for i in range(len(dataset))}
    return dataset._probe_img_index[sample.img_id]


@HOOKS.register_module()
class DumpRankStateHook(Hook):
    """Dump this rank's training state to ``out_dir/rank{r}.pt`` and metrics to JSON.

    Args:
        out_dir: folder of the dumps; a relative one is taken inside the work dir.
        sampler_epochs: the sampler streams of epochs ``0 .. sampler_epochs - 1`` are saved.
    """

    priority = 'LOWEST'

    def __init__(self, out_dir, sampler_epochs=2):
        self.out_dir = out_dir
        self.sampler_epochs = sampler_epochs
        self.trained = []

    def before_train(self, runner):
        loader = runner.train_dataloader
        sampler = getattr(loader.batch_sampler, 'sampler', loader.sampler)
        self.streams = []
        for epoch in range(self.sampler_epochs):
            sampler.set_epoch(epoch)
            self.streams.append(list(iter(sampler)))
        sampler.set_epoch(0)
        self.sampler_info = dict(type=type(sampler).__name__, seed=sampler.seed,
                                 length=len(sampler))
        dataset = runner.train_dataloader.dataset
        self.labels = image_labels(dataset)
        self.classes = list(dataset.metainfo['classes'])

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.epoch == 0:
            dataset = runner.train_dataloader.dataset
            self.trained += [_dataset_index(dataset, s) for s in data_batch['data_samples']]

    def after_train(self, runner):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        rank, world_size = get_dist_info()
        torch.save(dict(rank=rank, world_size=world_size, streams=self.streams,
                        trained=self.trained, labels=self.labels, classes=self.classes,
                        sampler=self.sampler_info,
                        params={k: v.detach().clone() for k, v in model.named_parameters()},
                        buffers={k: v.clone() for k, v in model.named_buffers()}),
                   osp.join(self._out(runner), f'rank{rank}.pt'))

    def _out(self, runner):
        out = osp.join(runner.work_dir, self.out_dir)
        os.makedirs(out, exist_ok=True)
        return out

    def _dump_metrics(self, runner, mode, metrics):
        rank, world_size = get_dist_info()
        path = osp.join(self._out(runner), f'{mode}_metrics_rank{rank}_of{world_size}.json')
        with open(path, 'w') as f:
            json.dump({k: float(v) for k, v in (metrics or {}).items()}, f)

    def after_val_epoch(self, runner, metrics=None):
        self._dump_metrics(runner, 'val', metrics)

    def after_test_epoch(self, runner, metrics=None):
        self._dump_metrics(runner, 'test', metrics)


@HOOKS.register_module()
class KillAtIterHook(Hook):
    """SIGKILL the process before training iteration ``iteration`` (0-based) starts.

    Args:
        iteration: the number of iterations completed when the process dies.
    """

    priority = 'HIGHEST'

    def __init__(self, iteration):
        self.iteration = iteration

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.iteration:
            os.kill(os.getpid(), signal.SIGKILL)
