"""Decoupled second stage: train only the named parameters, keep the rest frozen and in eval."""
from fnmatch import fnmatchcase
from typing import List, Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from ltr_mm.registry import SHARED_HOOKS, register
from ltr_mm.utils.bad_input import field_error


def _matches(name: str, pattern: str) -> bool:
    """``pattern`` names the parameter itself or a module that contains it (fnmatch)."""
    return fnmatchcase(name, pattern) or fnmatchcase(name, pattern + '.*')


def freeze_except(model: nn.Module, trainable: Sequence[str]) -> List[str]:
    """Set ``requires_grad=False`` on every parameter not matched by ``trainable``.

    Args:
        model: the (unwrapped) model.
        trainable: fnmatch patterns over parameter names; a pattern naming a module, such as
            ``roi_head.bbox_head.fc_cls`` or ``roi_head.bbox_head.*.fc_cls``, covers all of
            its parameters.

    Returns:
        list[str]: names of the parameters left trainable.

    Raises:
        ValueError: if a pattern matches no parameter.
    """
    names = [name for name, _ in model.named_parameters()]
    unused = [p for p in trainable if not any(_matches(n, p) for n in names)]
    if unused:
        raise ValueError(f'FreezeModulesHook: trainable patterns {unused} match no parameter; '
                         f'parameter names look like {names[:3]} ... {names[-3:]}')
    kept = []
    for name, param in model.named_parameters():
        keep = any(_matches(name, p) for p in trainable)
        param.requires_grad_(keep)
        if keep:
            kept.append(name)
    return kept


def set_frozen_eval(model: nn.Module, mode: str = 'bn') -> None:
    """Put frozen parts in eval mode (call after every ``model.train()``).

    ``'bn'``: every BatchNorm layer without a trainable parameter (running statistics stay
    those of the loaded checkpoint). ``'all'``: every module that has parameters and none of
    them trainable (BatchNorm, dropout and anything else inside it). ``'none'``: nothing.
    """
    if mode == 'none':
        return
    for module in model.modules():
        params = list(module.parameters())
        frozen = not any(p.requires_grad for p in params)
        if mode == 'bn' and isinstance(module, _BatchNorm) and frozen:
            module.eval()
        elif mode == 'all' and params and frozen:
            module.eval()


@register(*SHARED_HOOKS)
class FreezeModulesHook(Hook):
    """Freeze a loaded model except the parameters named by ``trainable`` (decoupled stage 2).

    ``before_run``: unwraps the model, sets ``requires_grad=False`` on all other parameters,
    logs the trainable names and removes the frozen parameters from the already built
    optimizer (mmengine builds the optim wrapper before any hook runs; pruning before
    ``load_or_resume`` keeps resumed optimizer states matching). Without pruning they would
    stay untouched too, since torch optimizers skip parameters whose ``grad`` is None, weight
    decay and momentum included. ``before_train_epoch`` / ``before_train_iter``: frozen BN
    layers (or all frozen modules) back to eval mode, since the loops call ``model.train()``.

    Under DDP the frozen parameters never get a gradient, so the config must set
    ``find_unused_parameters = True``; the hook raises otherwise.

    Args:
        trainable: fnmatch patterns over parameter names (module names cover their
            parameters), e.g. ``['roi_head.bbox_head.fc_cls']`` or
            ``['roi_head.bbox_head.*.fc_cls']`` for every cascade stage.
        eval_mode: ``'bn'`` (frozen BatchNorm layers), ``'all'`` (every frozen module) or
            ``'none'``. Defaults to 'bn'.
    """

    priority = 'VERY_HIGH'

    def __init__(self, trainable: Sequence[str], eval_mode: str = 'bn') -> None:
        if isinstance(trainable, str) or not trainable:
            raise ValueError('FreezeModulesHook: trainable must be a non-empty list of '
                             'patterns')
        if eval_mode not in ('bn', 'all', 'none'):
            raise field_error('FreezeModulesHook', 'eval_mode', eval_mode,
                              "is not 'bn', 'all' or 'none'")
        self.trainable = list(trainable)
        self.eval_mode = eval_mode
        self.trainable_names: Optional[List[str]] = None

    @staticmethod
    def _unwrap(model: nn.Module) -> nn.Module:
        return model.module if is_model_wrapper(model) else model

    def before_run(self, runner) -> None:
        if is_model_wrapper(runner.model) and hasattr(runner.model, 'find_unused_parameters') \
                and not runner.model.find_unused_parameters:
            raise RuntimeError('FreezeModulesHook under DDP needs '
                               '`find_unused_parameters = True` in the config')
        model = self._unwrap(runner.model)
        self.trainable_names = freeze_except(model, self.trainable)
        runner.logger.info('FreezeModulesHook: trainable parameters: ' +
                           ', '.join(self.trainable_names))
        # A test or val run never builds the optim wrapper: it stays a config there.
        wrapper = getattr(runner, 'optim_wrapper', None)
        wrappers = list(wrapper.values()) if isinstance(wrapper, OptimWrapperDict) else [wrapper]
        for item in wrappers:
            if isinstance(item, OptimWrapper):
                prune_frozen(item.optimizer)

    def before_train_epoch(self, runner) -> None:
        set_frozen_eval(self._unwrap(runner.model), self.eval_mode)

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        set_frozen_eval(self._unwrap(runner.model), self.eval_mode)


def prune_frozen(optimizer) -> None:
    """Drop parameters with ``requires_grad=False`` from every optimizer group."""
    for group in optimizer.param_groups:
        group['params'] = [p for p in group['params'] if p.requires_grad]
