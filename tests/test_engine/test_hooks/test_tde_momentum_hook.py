"""TDEMomentumHook: mu = 1 - 0.1 * min(50 * lr, 1) pushed into every TDE module."""
from types import SimpleNamespace
from unittest import TestCase, mock

import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict

import ltr_mm  # noqa: F401
from ltr_mm.engine.hooks import TDEMomentumHook
from ltr_mm.registry import CLS_HOOKS, DET_HOOKS


class Holder(torch.nn.Module):

    def __init__(self):
        super().__init__()
        self.mu = 0.9
        self.lin = torch.nn.Linear(2, 2)

    def set_tde_momentum(self, mu):
        self.mu = mu


class Model(torch.nn.Module):

    def __init__(self):
        super().__init__()
        self.a, self.b = Holder(), Holder()


def runner_for(model, lr, dict_wrapper=False):
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=lr))
    if dict_wrapper:
        optim = OptimWrapperDict(first=optim)
    return SimpleNamespace(model=model, optim_wrapper=optim)


class TestTDEMomentumHook(TestCase):

    def test_formula(self):
        hook = TDEMomentumHook()
        assert hook.momentum(0.2) == pytest.approx(0.9)
        assert hook.momentum(0.02) == pytest.approx(0.9)
        assert hook.momentum(0.01) == pytest.approx(0.95)
        assert hook.momentum(0.0) == 1.0

    def test_sets_every_tde_module(self):
        model = Model()
        TDEMomentumHook().before_train_epoch(runner_for(model, 0.004))
        assert model.a.mu == pytest.approx(0.98) and model.b.mu == pytest.approx(0.98)

    def test_unwraps_and_reads_optim_wrapper_dict(self):
        model = Model()
        wrapped = SimpleNamespace(module=model)
        runner = runner_for(model, 0.01, dict_wrapper=True)
        runner.model = wrapped
        with mock.patch('ltr_mm.engine.hooks.tde_momentum_hook.is_model_wrapper',
                        return_value=True):
            TDEMomentumHook().before_train_epoch(runner)
        assert model.a.mu == pytest.approx(0.95)

    def test_real_heads_and_missing_module(self):
        from mmengine.registry import DefaultScope
        from mmpretrain.registry import MODELS
        with DefaultScope.overwrite_default_scope('mmpretrain'):
            head = MODELS.build(dict(type='TDEClsHead', num_classes=3, in_channels=4))
        TDEMomentumHook().before_train_epoch(runner_for(head, 0.001))
        assert head.mu == pytest.approx(0.995)
        with self.assertRaises(RuntimeError):
            TDEMomentumHook().before_train_epoch(runner_for(torch.nn.Linear(2, 2), 0.1))

    def test_registered_in_both_scopes(self):
        assert DET_HOOKS.get('TDEMomentumHook') is TDEMomentumHook
        assert CLS_HOOKS.get('TDEMomentumHook') is TDEMomentumHook
