"""SetEpochHook: 1-based epochs, DRW switch exactly at e > S, wrapper unwrapped."""
from types import SimpleNamespace

import torch
import torch.nn as nn
from mmengine.registry import MODEL_WRAPPERS
from mmpretrain.registry import HOOKS as CLS_HOOKS

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import SetEpochHook
from ltr_mm.models.losses import CostSensitiveCELoss, LDAMLoss


class _Recorder(nn.Module):

    def __init__(self) -> None:
        super().__init__()
        self.seen = []

    def set_epoch(self, epoch: int) -> None:
        self.seen.append(epoch)


@MODEL_WRAPPERS.register_module(name='LtrMmTestWrapperForSetEpoch', force=True)
class _Wrapper(nn.Module):

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module


def _model():
    model = nn.Module()
    model.head = nn.Module()
    model.head.loss = LDAMLoss(class_counts=[100, 10, 1], drw_epoch=2)
    model.recorder = _Recorder()
    return model


def test_passes_one_based_epoch_to_every_module():
    model = _model()
    hook = SetEpochHook()
    for epoch in range(3):
        hook.before_train_epoch(SimpleNamespace(model=model, epoch=epoch))
    assert model.recorder.seen == [1, 2, 3]
    assert model.head.loss.epoch == 3


def test_drw_switches_exactly_after_start_epoch():
    model = _model()
    loss = model.head.loss
    hook = SetEpochHook()
    score, label = torch.randn(4, 3), torch.tensor([0, 1, 2, 2])
    active = []
    for epoch in range(4):  # runner.epoch 0..3 -> epochs 1..4
        hook.before_train_epoch(SimpleNamespace(model=model, epoch=epoch))
        active.append(loss.drw_active)
    assert active == [False, False, True, True]  # drw_epoch=2: on from epoch 3
    plain = LDAMLoss(class_counts=[100, 10, 1], drw_epoch=None, beta=0.0)
    assert torch.allclose(loss(score, label, reduction_override='none') > 0,
                          plain(score, label, reduction_override='none') > 0)


def test_model_wrapper_is_unwrapped():
    model = _model()
    model.cs = CostSensitiveCELoss(class_counts=[3, 1], drw_epoch=0)
    SetEpochHook().before_train_epoch(SimpleNamespace(model=_Wrapper(model), epoch=4))
    assert model.recorder.seen == [5]
    assert model.cs.epoch == 5 and model.cs.drw_active


def test_built_from_both_scopes():
    from mmdet.registry import HOOKS as DET_HOOKS
    assert isinstance(CLS_HOOKS.build(dict(type='SetEpochHook')), SetEpochHook)
    assert isinstance(DET_HOOKS.build(dict(type='SetEpochHook')), SetEpochHook)
