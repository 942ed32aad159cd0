"""Learning-rate dependent momentum of the TDE moving-average feature."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from ltr_mm.registry import SHARED_HOOKS, register


@register(*SHARED_HOOKS)
class TDEMomentumHook(Hook):
    """Adaptive moving-average momentum of the `TDE <https://arxiv.org/abs/2009.12991>`_ recipe.

    At the start of every training epoch it reads the current learning rate (first parameter
    group) and calls ``set_tde_momentum(mu)`` on every sub-module that has it (``TDEClsHead``,
    ``TDEBBoxHead``) with ``mu = 1 - decay * min(lr_scale * lr, 1)``. With the ImageNet-LT
    defaults and lr 0.2 this is 0.9 until the cosine schedule drops the lr below 0.02; then
    ``mu`` grows towards 1 and the moving average becomes a running sum. CIFAR-LT and
    detection keep a fixed ``mu`` in the head config and do not use this hook.

    Args:
        decay: ``1 - mu`` at a large learning rate. Defaults to 0.1.
        lr_scale: learning rate multiplier. Defaults to 50.0.
    """

    priority = 'NORMAL'

    def __init__(self, decay: float = 0.1, lr_scale: float = 50.0) -> None:
        self.decay = decay
        self.lr_scale = lr_scale

    def momentum(self, lr: float) -> float:
        """``1 - decay * min(lr_scale * lr, 1)``."""
        return 1.0 - self.decay * min(self.lr_scale * lr, 1.0)

    @staticmethod
    def current_lr(runner: Runner) -> float:
        """Learning rate of the first parameter group of the (first) optimizer."""
        lrs = runner.optim_wrapper.get_lr()
        key = next(k for k in lrs if k == 'lr' or k.endswith('.lr'))
        return float(lrs[key][0])

    def before_train_epoch(self, runner: Runner) -> None:
        """Push the momentum computed from the current lr into the TDE modules."""
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        mu: Optional[float] = None
        for module in model.modules():
            if hasattr(module, 'set_tde_momentum'):
                mu = self.momentum(self.current_lr(runner)) if mu is None else mu
                module.set_tde_momentum(mu)
        if mu is None:
            raise RuntimeError('TDEMomentumHook: the model has no module with set_tde_momentum(); '
                               'use TDEClsHead or TDEBBoxHead, or remove the hook')
