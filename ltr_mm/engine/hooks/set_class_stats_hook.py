"""The one provider of class statistics: model modules and evaluator metrics get one value."""
from typing import Any, List, Optional, Tuple

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ltr_mm.registry import SHARED_HOOKS, register
from ltr_mm.utils.class_counts import COUNT_TYPES
from ltr_mm.utils.class_stats import ClassStats
from ltr_mm.utils.class_stats_match import check_stats_match

from .check_num_classes_hook import base_dataset

#: (name, consumer, expected num_classes or None)
Target = Tuple[str, Any, Optional[int]]


@register(*SHARED_HOOKS)
class SetClassStatsHook(Hook):
    """Call ``set_class_stats(stats)`` on every model module and evaluator metric defining it.

    The statistics are one :class:`~ltr_mm.utils.class_stats.ClassStats`, built once and
    handed, as the same object, to every consumer: from ``class_stats`` (a class-stats JSON
    file, or an LVIS / COCO-format annotation file whose per-category instance counts are
    used) when given, else from ``profile`` (``ClassStats.from_profile`` arguments) when
    given, else from the training dataset (``ClassStats.from_dataset``; wrappers such as
    ``ClassBalancedDataset`` are unwrapped, so the counts are the true ones).

    Before training every model module gets them. Before validation / testing the model
    modules that still have none (``has_class_stats`` false or absent) get them (modules
    holding statistics, e.g. loaded from a checkpoint, are left alone), and so does every
    metric of the running evaluator.

    Before pushing, the number of counts is compared with the ``num_classes`` attribute of
    the module or of its nearest parent that has one (e.g. the head owning a loss); a
    mismatch raises ``ValueError`` naming the source and both numbers. Before training, a
    file must also have the training set's class names, in its order (``ValueError`` naming
    the file, the field and the value otherwise).

    Args:
        class_stats (str, optional): path of a class-stats JSON file or of an LVIS-format
            annotation file. Defaults to None.
        profile (dict, optional): ``n_max``, ``imb_factor``, ``num_classes`` (and optionally
            ``classes``) of a long-tail profile, for data that has neither a file nor
            labels to count cheaply. Defaults to None.
        count_type (str): what to count in the training dataset: ``'auto'`` (labels for
            classification, instances for detection), ``'label'``, ``'instance'`` or
            ``'image'``. Defaults to ``'auto'``.

    Example::

        custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]
        custom_hooks = [dict(type='SetClassStatsHook', class_stats='data/x/class_stats.json')]
    """

    priority = 'NORMAL'

    def __init__(self, class_stats: Optional[str] = None, profile: Optional[dict] = None,
                 count_type: str = 'auto') -> None:
        if count_type not in COUNT_TYPES:
            raise ValueError(f'SetClassStatsHook: count_type must be one of {COUNT_TYPES}, '
                             f'got {count_type!r}')
        if class_stats is not None and profile is not None:
            raise ValueError('SetClassStatsHook: give class_stats or profile, not both')
        self.class_stats = class_stats
        self.profile = dict(profile) if profile is not None else None
        self.count_type = count_type
        self.stats: Optional[ClassStats] = None

    @staticmethod
    def _model_targets(runner) -> List[Target]:
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

    @staticmethod
    def _metric_targets(loop: Any) -> List[Target]:
        """Every metric of ``loop``'s evaluator with ``set_class_stats``."""
        metrics = getattr(getattr(loop, 'evaluator', None), 'metrics', None) or []
        return [(type(m).__name__, m, None) for m in metrics
                if callable(getattr(m, 'set_class_stats', None))]

    def _build(self, dataset: Any) -> ClassStats:
        """The statistics (built on the first call, then cached)."""
        if self.stats is None:
            if self.class_stats is not None:
                stats = ClassStats.from_file(self.class_stats)
                if dataset is not None:
                    self._check_file(stats, dataset)
            elif self.profile is not None:
                stats = ClassStats.from_profile(**self.profile)
            elif dataset is None:
                raise RuntimeError('SetClassStatsHook: no class_stats file, no profile and no '
                                   'training dataset to count')
            else:
                stats = ClassStats.from_dataset(dataset, self.count_type)
            self.stats = stats
        return self.stats

    def _check_file(self, stats: ClassStats, dataset: Any) -> None:
        """The file must have the training data's classes, in its order."""
        data = base_dataset(dataset)
        classes = (getattr(data, 'metainfo', None) or {}).get('classes')
        if classes:
            source = getattr(data, 'ann_file', '') or getattr(data, 'data_root', '')
            check_stats_match(stats, f'the training data ({type(data).__name__}, file '
                              f'{source})', classes=classes)

    def _push(self, targets: List[Target], stats: ClassStats) -> None:
        """Check the class numbers, then call ``set_class_stats`` on each target."""
        for name, module, expected in targets:
            if expected is not None and expected != stats.num_classes:
                raise ValueError(f'SetClassStatsHook: {stats.describe()} gives '
                                 f'{stats.num_classes} class counts but {name} '
                                 f'({type(module).__name__}) expects num_classes={expected}')
        for _, module, _ in targets:
            module.set_class_stats(stats)

    def before_train(self, runner) -> None:
        """Push the statistics into every model module with ``set_class_stats``."""
        targets = self._model_targets(runner)
        if targets:
            loader = getattr(runner, 'train_dataloader', None)
            self._push(targets, self._build(getattr(loader, 'dataset', None)))

    def _push_evaluation(self, runner, loop: Any) -> None:
        """Push into the model modules without statistics and into the loop's metrics."""
        targets = [t for t in self._model_targets(runner)
                   if not getattr(t[1], 'has_class_stats', False)]
        targets += self._metric_targets(loop)
        if not targets:
            return
        dataset = None
        if self.class_stats is None and self.profile is None and self.stats is None:
            try:
                dataset = runner.train_dataloader.dataset
            except (AttributeError, RuntimeError):  # no train loop / dataloader in the config
                print_log('SetClassStatsHook: no class_stats file, no profile and no train '
                          f'dataloader; {", ".join(t[0] for t in targets)} get no class '
                          'statistics', logger='current', level=30)
                return
        self._push(targets, self._build(dataset))

    def before_val(self, runner) -> None:
        """Fill model modules without statistics and the val metrics before validation."""
        self._push_evaluation(runner, getattr(runner, 'val_loop', None))

    def before_test(self, runner) -> None:
        """Fill model modules without statistics and the test metrics before testing."""
        self._push_evaluation(runner, getattr(runner, 'test_loop', None))
