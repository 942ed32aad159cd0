"""Feed the 1-based training epoch to every model part that has ``set_epoch``."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ltr_mm.registry import SHARED_HOOKS, register


@register(*SHARED_HOOKS)
class SetEpochHook(Hook):
    """Call ``set_epoch(e)`` on every submodule that defines it, before each training epoch.

    ``e = runner.epoch + 1`` is the **1-based** number of the epoch about to run. The one
    ltr_mm convention: a switch with ``start_epoch=S`` (DRW ``drw_epoch``, RIDE re-weighting,
    FCC start, ...) is active in epoch ``e`` when ``e > S``, so ``S = 160`` switches on at the
    161st epoch, as in the LDAM-DRW, RIDE and Bag-of-Tricks code. The model is unwrapped
    (``is_model_wrapper``) and the model itself is included. Samplers are left alone
    (mmengine's ``DistSamplerSeedHook`` calls ``sampler.set_epoch(runner.epoch)``, 0-based).
    Only epoch-based training loops call ``before_train_epoch``.

    Example::

        custom_hooks = [dict(type='SetEpochHook')]
    """

    priority = 'NORMAL'

    def before_train_epoch(self, runner) -> None:
        """Push ``runner.epoch + 1`` into every module with ``set_epoch``.

        Args:
            runner (Runner): the runner of the training process.
        """
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        epoch = runner.epoch + 1
        for module in model.modules():
            set_epoch = getattr(module, 'set_epoch', None)
            if callable(set_epoch):
                set_epoch(epoch)
