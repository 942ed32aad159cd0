"""NonFiniteLossHook stops a real Runner at the first NaN / inf loss and keeps the checkpoints."""
import math
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import load_checkpoint

import ltr_mm  # noqa: F401
from ltr_mm.engine.checkpoint_loader import weights_only_checkpoints
from ltr_mm.engine.hooks import NonFiniteLossHook
from ltr_mm.engine.hooks.non_finite_loss_hook import non_finite_losses
from ltr_mm.engine.runner import WeightsOnlyRunner


class ToyModel(BaseModel):
    """A linear regressor whose loss is multiplied by ``bad`` in training call ``bad_at``."""

    def __init__(self, bad_at: int, bad: float = math.nan) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)
        self.bad_at, self.bad, self.calls = bad_at, bad, 0

    def forward(self, inputs, mode='loss'):
        x = torch.stack(inputs) if isinstance(inputs, list) else inputs
        loss = self.linear(x).pow(2).mean()
        self.calls += 1
        if self.calls == self.bad_at:
            loss = loss * self.bad
        return dict(loss_reg=loss, acc=torch.tensor(math.nan))


def _runner(tmp_path, model, scope, train_cfg, checkpoint, **kwargs):
    data = [dict(inputs=torch.full((2, ), float(i))) for i in range(8)]
    return WeightsOnlyRunner(
        model=model, work_dir=str(tmp_path), default_scope=scope,
        train_dataloader=dict(dataset=data, sampler=dict(type='DefaultSampler', shuffle=False),
                              batch_size=2, collate_fn=dict(type='default_collate')),
        train_cfg=train_cfg, optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        default_hooks=dict(check_nonfinite_loss=dict(type='NonFiniteLossHook'),
                           checkpoint=checkpoint, logger=dict(type='LoggerHook', interval=1)),
        **kwargs)


@pytest.mark.parametrize('scope', ['mmdet', 'mmpretrain'])
def test_nan_at_iteration_5_keeps_iteration_4_checkpoint(tmp_path, scope):
    runner = _runner(tmp_path, ToyModel(bad_at=5), scope, dict(by_epoch=False, max_iters=10),
                     dict(type='CheckpointHook', interval=2, by_epoch=False))
    with pytest.raises(RuntimeError) as info:
        runner.train()
    ckpt = osp.join(str(tmp_path), 'iter_4.pth')
    assert str(info.value) == (
        'NonFiniteLossHook: non-finite loss at iteration 5: "loss" = nan, "loss_reg" = nan. '
        f'The run stops without saving this state; the last good checkpoint is {ckpt} (resume '
        f'from it with --resume {ckpt}).')
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['iter_2.pth', 'iter_4.pth']
    fresh = ToyModel(bad_at=0)
    with weights_only_checkpoints():
        state = load_checkpoint(fresh, ckpt, map_location='cpu')
    assert state['meta']['iter'] == 4
    assert all(torch.isfinite(p).all() for p in fresh.parameters())
    # the weights in memory took the NaN step; the saved ones did not
    assert not all(torch.isfinite(p).all() for p in runner.model.parameters())


def test_resumed_run_names_the_checkpoint_it_resumed_from(tmp_path):
    kwargs = dict(train_cfg=dict(by_epoch=False, max_iters=10),
                  checkpoint=dict(type='CheckpointHook', interval=3, by_epoch=False))
    with pytest.raises(RuntimeError):
        _runner(tmp_path, ToyModel(bad_at=5), 'mmdet', **kwargs).train()
    # --resume: continue from the work dir's last checkpoint (iter_3), NaN at once
    resumed = _runner(tmp_path, ToyModel(bad_at=1), 'mmdet', resume=True, **kwargs)
    with pytest.raises(RuntimeError) as info:
        resumed.train()
    ckpt = osp.join(str(tmp_path), 'iter_3.pth')
    assert str(info.value) == (
        'NonFiniteLossHook: non-finite loss at iteration 4: "loss" = nan, "loss_reg" = nan. '
        f'The run stops without saving this state; the last good checkpoint is {ckpt} (resume '
        f'from it with --resume {ckpt}).')


def test_inf_in_epoch_two_names_epoch_and_batch(tmp_path):
    runner = _runner(tmp_path, ToyModel(bad_at=6, bad=math.inf), 'mmdet',
                     dict(by_epoch=True, max_epochs=3), dict(type='CheckpointHook', interval=1))
    with pytest.raises(RuntimeError) as info:
        runner.train()
    ckpt = osp.join(str(tmp_path), 'epoch_1.pth')
    assert str(info.value) == (
        'NonFiniteLossHook: non-finite loss at iteration 6 (epoch 2, batch 2 of the epoch): '
        '"loss" = inf, "loss_reg" = inf. The run stops without saving this state; the last '
        f'good checkpoint is {ckpt} (resume from it with --resume {ckpt}).')
    assert sorted(p.name for p in tmp_path.glob('*.pth')) == ['epoch_1.pth']
    with weights_only_checkpoints():
        assert load_checkpoint(ToyModel(bad_at=0), ckpt)['meta']['epoch'] == 1


def test_nan_before_any_checkpoint(tmp_path):
    runner = _runner(tmp_path, ToyModel(bad_at=1), 'mmpretrain', dict(by_epoch=False,
                                                                       max_iters=4),
                     dict(type='CheckpointHook', interval=2, by_epoch=False))
    with pytest.raises(RuntimeError, match=r'^NonFiniteLossHook: non-finite loss at iteration 1: '
                       r'"loss" = nan, "loss_reg" = nan\. The run stops without saving this '
                       r'state; no checkpoint was saved before it\.$'):
        runner.train()
    assert list(tmp_path.glob('*.pth')) == []


def test_finite_run_and_helpers(tmp_path):
    runner = _runner(tmp_path, ToyModel(bad_at=0), 'mmdet', dict(by_epoch=False, max_iters=4),
                     dict(type='CheckpointHook', interval=2, by_epoch=False))
    runner.train()
    assert (tmp_path / 'iter_4.pth').is_file()
    assert non_finite_losses({'loss': torch.tensor(1.0), 'acc': math.nan}) == []
    bad = non_finite_losses({'loss_cls': torch.tensor([1.0, -math.inf]), 'loss_bbox': math.nan})
    assert [key for key, _ in bad] == ['loss_cls', 'loss_bbox']
    assert bad[0][1] == -math.inf and math.isnan(bad[1][1])
    assert NonFiniteLossHook(interval=0).interval == 0
    with pytest.raises(ValueError, match=r'^NonFiniteLossHook: field "interval" = -1 is not an '
                       r'integer >= 0$'):
        NonFiniteLossHook(interval=-1)
