"""Push per-class training counts into every model part that has ``set_class_stats``."""
from typing import Any, List, Optional, Tuple

import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ltr_mm.registry import SHARED_HOOKS, register
from ltr_mm.utils.class_counts import COUNT_TYPES, dataset_class_counts
from ltr_mm.utils.class_stats import load_class_stats
from ltr_mm.utils.class_stats_match import check_stats_match
from .check_num_classes_hook import base_dataset


@register(*SHARED_HOOKS)
class SetClassStatsHook(Hook):
    """Call ``set_class_stats(counts)`` on every submodule that defines it.

    Counts come from ``class_stats`` (a class-stats JSON file with a ``counts`` field, see
    ``ltr_mm.utils.class_stats``) when given, else from the training dataset through
    ``ltr_mm.utils.class_counts.dataset_class_counts`` (wrappers such as
    ``ClassBalancedDataset`` are unwrapped, so the counts are the true ones). They are pushed
    before training, and before validation / testing into the modules that still have none
    (``has_class_stats`` false or absent); modules already holding statistics are left alone
    then. The counts are computed once and cached.

    Before pushing, the number of counts is compared with the ``num_classes`` attribute of
    the module or of its nearest parent that has one (e.g. the head owning a loss); a
    mismatch raises ``ValueError`` naming the dataset (or file) and both numbers. Before
    training, a class-stats file must also have the training set's class names, in its
    order (``ValueError`` naming the file, the field and the value otherwise).

    Args:
        class_stats (str, optional): path of a class-stats JSON file. Defaults to None.
        count_type (str): ``'auto'`` (labels for classification, instances for detection),
            ``'label'``, ``'instance'`` or ``'image'``. Defaults to ``'auto'``.

    Example::

        custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]
    """

    priority = 'NORMAL'

    def __init__(self, class_stats: Optional[str] = None, count_type: str = 'auto') -> None:
        if count_type not in COUNT_TYPES:
            raise ValueError(f'SetClassStatsHook: count_type must be one of {COUNT_TYPES}, '
                             f'got {count_type!r}')
        self.class_stats = class_stats
        self.count_type = count_type
        self._counts: Optional[List[int]] = None
        self._source = ''

    @staticmethod
    def _targets(runner) -> List[Tuple[str, nn.Module, Optional[int]]]:
        """(name, module, expected num_classes) of every module with ``set_class_stats``."""
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        modules = dict(model.named_modules())
        found = []
        for name, module in modules.items():
            if not callable(getattr(module, 'set_class_stats', None)):
                continue
            expected, parts = None, name.split('.') if name else []
            for depth in range(len(parts), -1, -1):
                owner = modules.get('.'.join(parts[:depth]))
                value = vars(owner).get('num_classes') if owner is not None else None
                if isinstance(value, int) and not isinstance(value, bool):
                    expected = value
                    break
            found.append((name or type(model).__name__, module, expected))
        return found

    def _load(self, dataset: Any) -> List[int]:
        """Counts from the file (checked against ``dataset`` if given), else from
        ``dataset`` (cached)."""
        if self._counts is None:
            if self.class_stats is not None:
                stats = load_class_stats(self.class_stats)
                if dataset is not None:
                    self._check_file(stats, dataset)
                self._counts = stats['counts']
                self._source = f'class_stats file {self.class_stats}'
            else:
                self._counts = dataset_class_counts(dataset, self.count_type)
                self._source = f'dataset {type(dataset).__name__}'
        return self._counts

    def _check_file(self, stats: dict, dataset: Any) -> None:
        """The file must have the training data's classes, in its order."""
        data = base_dataset(dataset)
        classes = (getattr(data, 'metainfo', None) or {}).get('classes')
        if classes:
            source = getattr(data, 'ann_file', '') or getattr(data, 'data_root', '')
            check_stats_match(stats, self.class_stats, f'the training data '
                              f'({type(data).__name__}, file {source})', classes=classes)

    def _push(self, targets: List[Tuple[str, nn.Module, Optional[int]]],
              counts: List[int]) -> None:
        """Check the class numbers, then call ``set_class_stats`` on each target."""
        for name, module, expected in targets:
            if expected is not None and expected != len(counts):
                raise ValueError(f'SetClassStatsHook: {self._source} gives {len(counts)} class '
                                 f'counts but {name} ({type(module).__name__}) expects '
                                 f'num_classes={expected}')
        for _, module, _ in targets:
            module.set_class_stats(counts)

    def before_train(self, runner) -> None:
        """Push the counts into every module with ``set_class_stats``."""
        targets = self._targets(runner)
        if targets:
            loader = getattr(runner, 'train_dataloader', None)
            dataset = runner.train_dataloader.dataset if self.class_stats is None else (
                getattr(loader, 'dataset', None))
            self._push(targets, self._load(dataset))

    def _push_missing(self, runner) -> None:
        """Push the counts into the modules that have no statistics yet."""
        targets = [t for t in self._targets(runner)
                   if not getattr(t[1], 'has_class_stats', False)]
        if not targets:
            return
        dataset = None
        if self.class_stats is None and self._counts is None:
            try:
                dataset = runner.train_dataloader.dataset
            except RuntimeError:
                print_log('SetClassStatsHook: no class_stats file and no train dataloader; '
                          f'{", ".join(t[0] for t in targets)} keep no class statistics',
                          logger='current', level=30)
                return
        self._push(targets, self._load(dataset))

    def before_val(self, runner) -> None:
        """Fill modules without statistics before validation."""
        self._push_missing(runner)

    def before_test(self, runner) -> None:
        """Fill modules without statistics before testing."""
        self._push_missing(runner)
