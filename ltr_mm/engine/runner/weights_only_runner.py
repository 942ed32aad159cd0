"""mmengine's ``Runner``, loading checkpoints under ``torch.load(weights_only=True)``."""
from typing import Any

from mmengine.runner import Runner

from ltr_mm.engine.checkpoint_loader import weights_only_checkpoints
from ltr_mm.registry import ENGINE_RUNNERS, register


@register(ENGINE_RUNNERS)
class WeightsOnlyRunner(Runner):
    """``Runner`` whose checkpoint loading allows the classes of mmengine checkpoints.

    On torch >= 2.6 mmengine's own loader (``torch.load`` with the default
    ``weights_only=True``) refuses the ``HistoryBuffer`` and numpy objects that every
    checkpoint mmengine writes contains. This runner loads inside
    :func:`~ltr_mm.engine.checkpoint_loader.weights_only_checkpoints`, which allows exactly
    those classes while the checkpoint loads: ``load_from``, ``resume`` (which loads through
    :meth:`load_checkpoint`) and the model's weight initialisation (pretrained weights,
    teachers). Everything else is mmengine's ``Runner``.

    It is registered in mmengine's root ``RUNNERS``, so ``runner_type = 'WeightsOnlyRunner'``
    works under any ``default_scope`` (the ltr_mm runtime bases set it) and ltr_mm's tools use
    it for configs that name no runner.
    """

    def load_checkpoint(self, *args: Any, **kwargs: Any) -> dict:
        """:meth:`mmengine.runner.Runner.load_checkpoint` with the allow-list active."""
        with weights_only_checkpoints():
            return super().load_checkpoint(*args, **kwargs)

    def _init_model_weights(self) -> None:
        """Initialise the model weights with the allow-list active (``init_cfg`` checkpoints)."""
        with weights_only_checkpoints():
            super()._init_model_weights()
