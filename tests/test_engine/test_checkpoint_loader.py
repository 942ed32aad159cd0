"""The weights-only allow-list is active only while a checkpoint loads.

An mmengine checkpoint holds ``HistoryBuffer`` and numpy objects, which ``torch.load`` refuses
under ``weights_only=True`` (the default since torch 2.6) unless they are allowed.
"""
import pickle

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner import CheckpointLoader, Runner
from mmengine.runner.checkpoint import load_from_local

import ltr_mm
from ltr_mm.engine.checkpoint_loader import (
    checkpoint_safe_globals,
    load_from_local_weights_only,
    weights_only_checkpoints,
)
from ltr_mm.engine.runner import WeightsOnlyRunner

NEEDS_WEIGHTS_ONLY_DEFAULT = pytest.mark.skipif(
    not hasattr(torch.serialization, 'safe_globals')
    or tuple(int(v) for v in torch.__version__.split('.')[:2]) < (2, 6),
    reason='torch < 2.6 loads with weights_only=False by default')


class Toy(nn.Module):

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 2)


def _checkpoint(path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    torch.save({'meta': {'epoch': 3, 'seed': np.int64(7)}, 'state_dict': Toy().state_dict(),
                'message_hub': {'log_scalars': {'loss': buffer}}}, path)
    return str(path)


@NEEDS_WEIGHTS_ONLY_DEFAULT
def test_allowed_inside_the_block_only(tmp_path):
    path = _checkpoint(tmp_path / 'ckpt.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    with weights_only_checkpoints():
        loaded = torch.load(path)
    assert loaded['meta']['epoch'] == 3
    assert loaded['message_hub']['log_scalars']['loss'].current() == 0.5
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    assert not set(map(id, checkpoint_safe_globals())) & set(
        map(id, torch.serialization.get_safe_globals()))


def test_ltr_mm_leaves_mmengine_loader_alone():
    ltr_mm.register_all_modules()
    assert CheckpointLoader._schemes[''] is load_from_local


@NEEDS_WEIGHTS_ONLY_DEFAULT
def test_runner_loads_what_mmengine_runner_refuses(tmp_path):
    path = _checkpoint(tmp_path / 'ckpt.pth')
    with pytest.raises(pickle.UnpicklingError):
        Runner(model=Toy(), work_dir=str(tmp_path / 'plain')).load_checkpoint(path)
    runner = WeightsOnlyRunner(model=Toy(), work_dir=str(tmp_path / 'weights_only'))
    checkpoint = runner.load_checkpoint(path)
    assert checkpoint['meta']['epoch'] == 3
    torch.testing.assert_close(runner.model.fc.weight, checkpoint['state_dict']['fc.weight'])
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)


def test_load_from_local_weights_only(tmp_path):
    path = _checkpoint(tmp_path / 'ckpt.pth')
    assert load_from_local_weights_only(path)['meta']['seed'] == 7
