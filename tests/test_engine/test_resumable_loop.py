"""ResumableEpochBasedTrainLoop resumes inside an epoch exactly; mmengine's loop does not.

A toy model and data set drive mmengine's real Runner in this process: random numbers are
drawn by the data (numpy), the model (torch) and the loss (Python ``random``), validation runs
between epochs. A run that stops and resumes from its last checkpoint (written every 2
iterations, or every epoch) must see the same batches and end with the same weights as an
uninterrupted run.
"""
import random
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import Dataset

from ltr_mm.engine.runner import ResumableEpochBasedTrainLoop, WeightsOnlyRunner
from ltr_mm.engine.runner.resumable_loop import SkipFirstBatches, get_rng_state, set_rng_state

EPOCHS, ITERS_PER_EPOCH = 3, 5


class ToyData(Dataset):
    """10 samples; each read draws a numpy random number, like a random transform."""

    def __len__(self):
        return 2 * ITERS_PER_EPOCH

    def __getitem__(self, idx):
        return dict(inputs=torch.tensor([float(idx), np.random.rand()]), idx=idx)


class ToyModel(BaseModel):
    """A linear layer with torch noise on its input and a Python-random target."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, inputs, idx=None, mode='tensor'):
        out = self.fc(inputs + 0.1 * torch.rand_like(inputs))
        if mode == 'loss':
            return dict(loss=(out - random.random()).pow(2).mean())
        return [dict(pred=float(o)) for o in out]


class ToyMetric(BaseMetric):

    def process(self, data_batch, data_samples):
        self.results.extend(s['pred'] for s in data_samples)

    def compute_metrics(self, results):
        return dict(mean_pred=float(np.mean(results)))


class Recorder(Hook):
    """Records the sample ids of every training batch; raises at iteration ``stop_at``."""

    def __init__(self, stop_at=None):
        self.batches, self.stop_at = [], stop_at

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.stop_at:
            raise KeyboardInterrupt(f'stopped at iteration {runner.iter}')
        self.batches.append((runner.epoch, batch_idx, data_batch['idx'].tolist()))


def _run(work_dir, loop, name, resume=False, stop_at=None, by_epoch=False):
    torch.manual_seed(1)
    recorder = Recorder(stop_at)
    loader = dict(dataset=ToyData(), batch_size=2, num_workers=0,
                  collate_fn=dict(type='default_collate'))
    runner = WeightsOnlyRunner(
        model=ToyModel(), work_dir=str(work_dir), experiment_name=name,
        train_dataloader=dict(sampler=dict(type='DefaultSampler', shuffle=True), **loader),
        val_dataloader=dict(sampler=dict(type='DefaultSampler', shuffle=False), **loader),
        val_evaluator=[ToyMetric()], val_cfg=dict(),
        train_cfg=dict(type=loop, max_epochs=EPOCHS, val_interval=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', by_epoch=by_epoch,
                                           interval=1 if by_epoch else 2)),
        custom_hooks=[recorder], randomness=dict(seed=0), resume=resume)
    if stop_at is None:
        runner.train()
    else:
        with pytest.raises(KeyboardInterrupt):
            runner.train()
    return runner, recorder.batches


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    runner, batches = _run(tmp_path_factory.mktemp('full'), ResumableEpochBasedTrainLoop,
                           'toy_full')
    return runner.model.state_dict(), batches, runner.iter


def _stop_and_resume(work_dir, loop, name, stop_at=7, last='iter_6.pth', by_epoch=False):
    _, before = _run(work_dir, loop, name + '_a', stop_at=stop_at, by_epoch=by_epoch)
    assert len(before) == stop_at and (work_dir / last).is_file()
    assert not (work_dir / f'iter_{stop_at + 1}.pth').exists()
    runner, after = _run(work_dir, loop, name + '_b', resume=True, by_epoch=by_epoch)
    return runner, after


@pytest.mark.parametrize('stop_at,last,by_epoch,done', [
    (7, 'iter_6.pth', False, 6),  # inside epoch 2, after its first batch
    (11, 'iter_10.pth', False, 10),  # written by the last iteration of epoch 2
    (7, 'epoch_1.pth', True, 5),  # end of epoch 1; validation ran after it
], ids=['inside-epoch', 'last-iteration', 'epoch-end'])
def test_resume_is_exact(uninterrupted, tmp_path, stop_at, last, by_epoch, done):
    weights, batches, iters = uninterrupted
    assert iters == EPOCHS * ITERS_PER_EPOCH
    runner, after = _stop_and_resume(tmp_path, ResumableEpochBasedTrainLoop, tmp_path.name,
                                     stop_at, last, by_epoch)
    assert after[0][:2] == divmod(done, ITERS_PER_EPOCH)
    assert after == batches[done:]
    assert runner.iter == iters
    final = runner.model.state_dict()
    assert final.keys() == weights.keys()
    for key, value in weights.items():
        assert torch.equal(final[key], value), key


def test_mmengine_loop_restarts_the_epoch(uninterrupted, tmp_path):
    """Why ltr_mm has its own loop: mmengine 0.10.7 trains the seen batches again."""
    weights, batches, iters = uninterrupted
    runner, after = _stop_and_resume(tmp_path, EpochBasedTrainLoop, tmp_path.name)
    assert after[0][:2] == (1, 0)
    assert after[0][2] == batches[5][2]  # the epoch's first batch, already trained
    assert runner.iter == iters + 1
    assert not torch.equal(runner.model.state_dict()['fc.weight'], weights['fc.weight'])


def test_other_number_of_processes_restarts_the_epoch(tmp_path):
    """Batch positions of a 1-process checkpoint mean nothing to 2 processes."""
    _run(tmp_path, ResumableEpochBasedTrainLoop, tmp_path.name + '_a', stop_at=7)
    with mock.patch('ltr_mm.engine.runner.resumable_loop.get_world_size', return_value=2):
        runner, after = _run(tmp_path, ResumableEpochBasedTrainLoop, tmp_path.name + '_b',
                             resume=True)
    assert after[0][:2] == (1, 0) and runner.iter == EPOCHS * ITERS_PER_EPOCH + 1


def test_skip_first_batches_and_rng_round_trip():
    batches = [[0, 1], [2, 3], [4, 5]]
    assert list(SkipFirstBatches(batches, 2)) == [[4, 5]] and len(SkipFirstBatches(batches, 2)) == 1
    assert len(SkipFirstBatches(batches, 5)) == 0 and list(SkipFirstBatches(batches, 0)) == batches
    state = get_rng_state()
    first = (random.random(), np.random.rand(), torch.rand(1))
    set_rng_state(state)
    assert first == (random.random(), np.random.rand(), torch.rand(1))

