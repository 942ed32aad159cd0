"""Compare every ``num_classes`` of the model with the class count of the data, up front."""
import re
from typing import Any, List, Optional, Tuple

import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ltr_mm.registry import SHARED_HOOKS, register

#: modules whose ``num_classes`` is not the dataset's class count.
SKIP_TYPES = ('VGG', 'FusedSemanticHead')
SKIP_SUFFIXES = ('rpn_head', )


def config_field(module_name: str) -> str:
    """Config path of a module's ``num_classes``: ``roi_head.bbox_head.0`` ->
    ``model.roi_head.bbox_head[0].num_classes``; the data preprocessor, which mmpretrain
    configs set at the top level, is ``data_preprocessor.num_classes``."""
    if module_name == 'data_preprocessor':
        return 'data_preprocessor.num_classes'
    path = re.sub(r'\.(\d+)(?=\.|$)', r'[\1]', f'model.{module_name}' if module_name else 'model')
    return f'{path}.num_classes'


def model_num_classes(model: nn.Module) -> List[Tuple[str, str, int]]:
    """``(config field, class name, value)`` of every module holding an int ``num_classes``.

    Only instance attributes count (a property such as the class-count losses' derived
    ``num_classes`` is checked by ``SetClassStatsHook`` instead); RPN heads, VGG's and the
    semantic head's own class numbers and negative values ("no classifier") are skipped.
    """
    found = []
    for name, module in model.named_modules():
        value = vars(module).get('num_classes')
        if (not isinstance(value, int) or isinstance(value, bool) or value < 0 or
                type(module).__name__ in SKIP_TYPES or name.endswith(SKIP_SUFFIXES)):
            continue
        found.append((config_field(name), type(module).__name__, value))
    return sorted(found, key=lambda f: f[0].startswith('data_preprocessor'))


def base_dataset(dataset: Any) -> Any:
    """The annotated dataset under wrappers (``ClassBalancedDataset``, ``ConcatDataset``...)."""
    while not hasattr(dataset, 'metainfo') or not hasattr(dataset, 'ann_file'):
        inner = getattr(dataset, 'dataset', None) or (getattr(dataset, 'datasets', None) or
                                                      [None])[0]
        if inner is None:
            break
        dataset = inner
    return dataset


@register(*SHARED_HOOKS)
class CheckNumClassesHook(Hook):
    """Raise ``ValueError`` when a ``num_classes`` of the model differs from the data.

    Before training (and before validation / testing) it reads ``len(metainfo['classes'])``
    of the loop's dataset (under any wrapper) and compares it with every ``num_classes``
    attribute of the model: heads (``bbox_head``, ``mask_head``, classification heads, TDE
    and RIDE heads), losses (``BAGSLoss``) and the data preprocessor. The message names the
    config field, its value, the dataset, its annotation file and its class count, so the
    run stops before the first iteration instead of failing later inside a loss.

    mmdet's ``NumClassCheckHook`` and mmpretrain's ``ClassNumCheckHook`` check the same in
    their own scope with ``assert`` (skipped under ``python -O``), name neither the config
    field nor the file, and also read derived ``num_classes`` properties, which ltr_mm's
    class-count losses only have once ``SetClassStatsHook`` ran. This hook is registered in
    both scopes and runs first (``VERY_HIGH``).

    Example::

        default_hooks = dict(check_num_classes=dict(type='CheckNumClassesHook'))
    """

    priority = 'VERY_HIGH'

    @staticmethod
    def check(model: nn.Module, dataset: Any, loader: str) -> None:
        """Compare ``model`` with ``dataset``; ``loader`` names the dataloader in messages."""
        if is_model_wrapper(model):
            model = model.module
        data = base_dataset(dataset)
        classes: Optional[Any] = (getattr(data, 'metainfo', None) or {}).get('classes')
        if not classes:
            return
        wrong = [f for f in model_num_classes(model) if f[2] != len(classes)]
        if not wrong:
            return
        field, kind, value = wrong[0]
        others = ''.join(f'; also {f} = {v}' for f, _, v in wrong[1:])
        source = getattr(data, 'ann_file', '') or getattr(data, 'data_root', '')
        raise ValueError(
            f'config field "{field}" = {value} ({kind}) does not match the data: '
            f'{loader}.dataset ({type(data).__name__}, file {source}) has {len(classes)} '
            f'classes in metainfo["classes"]{others}')

    def before_train(self, runner: Any) -> None:
        """Check against the training set."""
        self.check(runner.model, runner.train_dataloader.dataset, 'train_dataloader')

    def before_val(self, runner: Any) -> None:
        """Check against the validation set."""
        self.check(runner.model, runner.val_dataloader.dataset, 'val_dataloader')

    def before_test(self, runner: Any) -> None:
        """Check against the test set."""
        self.check(runner.model, runner.test_dataloader.dataset, 'test_dataloader')
