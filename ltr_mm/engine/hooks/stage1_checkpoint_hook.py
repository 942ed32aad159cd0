"""Two-stage methods: refuse a stage-1 checkpoint that does not fit the stage-2 model."""
import os.path as osp
from typing import Any, List, Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from mmengine.runner import CheckpointLoader, find_latest_checkpoint

from ltr_mm.engine.checkpoint_loader import weights_only_checkpoints
from ltr_mm.engine.state_dict_diff import (
    diff_shapes,
    format_diff,
    key_matches,
    state_shapes,
    unused_patterns,
)
from ltr_mm.registry import SHARED_HOOKS, register
from ltr_mm.utils.bad_input import field_error


def config_value(runner: Any, field: str) -> Any:
    """The value of the dotted config ``field`` (``load_from`` is the runner's own)."""
    if field == 'load_from' and hasattr(runner, '_load_from'):
        return runner._load_from
    node = runner.cfg
    for part in field.split('.'):
        try:
            node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
        except (KeyError, IndexError, TypeError, ValueError):
            raise ValueError(f'Stage1CheckpointHook: config field "{field}" not found') from None
    return node


def resume_source(runner: Any) -> Optional[str]:
    """The checkpoint ``runner.train()`` will resume from, or None if it will not resume."""
    if not getattr(runner, '_resume', False):
        return None
    return getattr(runner, '_load_from', None) or find_latest_checkpoint(runner.work_dir)


@register(*SHARED_HOOKS)
class Stage1CheckpointHook(Hook):
    """Raise before training when the stage-1 checkpoint does not fit the stage-2 model.

    mmengine loads ``load_from`` (and a ``Pretrained`` ``init_cfg``) non-strictly: missing
    keys, unexpected keys and shape mismatches are only logged as warnings and the affected
    weights silently keep their random initialisation. A two-stage method (BAGS stage 2, cRT,
    LWS, RIDE routing) given the checkpoint of another model would then train on a partly
    random network. This hook reads the checkpoint named by the config ``field`` and compares
    its keys and shapes with the model's state dict, leaving out exactly the keys the method
    adds (``allow_new``) or re-initialises (``allow_reinit``). Any other difference raises a
    ``ValueError`` that names the file, the config field, the missing keys, the unexpected
    keys and the mismatched keys with both shapes (each list cut after a few keys, with the
    count). A missing file raises ``FileNotFoundError`` naming the path and the field.

    When it runs: ``before_run`` of a training run (the optim wrapper is built), once. That is
    before mmengine initialises the weights (where a ``Pretrained`` ``init_cfg`` loads) and
    before ``load_or_resume`` loads ``load_from``, so a bad checkpoint is never loaded. The
    field is read from the runner's config at that point, so ``--cfg-options`` overrides
    (``load_from=...``, ``model.backbone.init_cfg.checkpoint=...``) are what is checked.
    Validation and test runs are left alone.

    Resuming: when the run resumes (``--resume`` with a checkpoint, or one found in the work
    dir) the weights come from that stage-2 checkpoint, which this model wrote, so the
    stage-1 check is skipped (logged). ``load_from`` is then not loaded at all; a
    ``Pretrained`` ``init_cfg`` (cRT) is still read by mmengine's weight initialisation before
    the resumed weights replace it, so that file must still exist. A ``--resume`` that finds
    nothing to resume loads nothing either (``tools/train.py`` sets ``load_from`` to None),
    which the hook reports as an unset stage-1 checkpoint instead of training stage 2 from
    random weights.

    Args:
        field: dotted config path of the stage-1 checkpoint, e.g. ``'load_from'`` or
            ``'model.backbone.init_cfg.checkpoint'`` (the whole model is compared even
            where only a prefix is loaded). Defaults to 'load_from'.
        allow_new: fnmatch patterns of model keys (module names cover their keys) that the
            checkpoint may lack, e.g. ``['router']``. Defaults to ().
        allow_reinit: patterns of keys stage 2 re-initialises: the checkpoint may lack them,
            give them other shapes or hold more keys under them, e.g.
            ``['roi_head.bbox_head.fc_cls']``. Defaults to ().

    Each pattern must match a key of the model (a typo raises ``ValueError``).

    Example::

        default_hooks = dict(check_stage1=dict(
            type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.loss_cls'],
            allow_reinit=['roi_head.bbox_head.fc_cls']))
    """

    priority = 'VERY_HIGH'

    def __init__(self, field: str = 'load_from', allow_new: Sequence[str] = (),
                 allow_reinit: Sequence[str] = ()) -> None:
        for name, value in (('allow_new', allow_new), ('allow_reinit', allow_reinit)):
            if isinstance(value, str):
                raise field_error('Stage1CheckpointHook', name, value,
                                  'is a string; it must be a list of patterns', TypeError)
        self.field = field
        self.allow_new: List[str] = list(allow_new)
        self.allow_reinit: List[str] = list(allow_reinit)
        self.checked = False

    def before_run(self, runner: Any) -> None:
        """Check once, in a training run, unless the run resumes."""
        if self.checked or not isinstance(getattr(runner, 'optim_wrapper', None), OptimWrapper):
            return
        self.checked = True
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        shapes = state_shapes(model.state_dict())
        unused = unused_patterns(shapes, self.allow_new + self.allow_reinit)
        if unused:
            raise ValueError(f'Stage1CheckpointHook: patterns {unused} match no key of the model '
                             f'({type(model).__name__}); keys look like {list(shapes)[:3]}')
        resumed = resume_source(runner)
        if resumed:
            runner.logger.info(f'Stage1CheckpointHook: resuming from {resumed}, a stage-2 '
                               'checkpoint; the stage-1 check is skipped')
            return
        path = self.stage1_path(runner)
        with weights_only_checkpoints():
            checkpoint = CheckpointLoader.load_checkpoint(path, map_location='cpu')
        state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else {}
        loaded = state_shapes(state)
        del checkpoint, state
        diff = diff_shapes(shapes, loaded, self.allow_new, self.allow_reinit)
        if diff:
            raise ValueError(
                f'Stage1CheckpointHook: the stage-1 checkpoint {path} (config field '
                f'"{self.field}") does not fit the model ({type(model).__name__}):\n'
                f'{format_diff(diff)}\nallowed to differ: new {self.allow_new}, '
                f're-initialised {self.allow_reinit}')
        new = sum(k not in loaded and any(key_matches(k, p) for p in self.allow_new)
                  for k in shapes)
        reinit = sum(any(key_matches(k, p) for p in self.allow_reinit) for k in shapes)
        runner.logger.info(f'Stage1CheckpointHook: {path} fits the model ({len(shapes)} keys; '
                           f'{new} new, {reinit} to re-initialise)')

    def stage1_path(self, runner: Any) -> str:
        """The configured stage-1 checkpoint; raises if it is unset or not on disk."""
        path = config_value(runner, self.field)
        if not path:
            hint = ''
            if getattr(runner, '_resume', False):
                hint = (f'; --resume found no checkpoint to resume from in {runner.work_dir}: '
                        'start stage 2 without --resume')
            raise ValueError(f'Stage1CheckpointHook: config field "{self.field}" is {path!r}, '
                             f'but stage 2 starts from a stage-1 checkpoint{hint}')
        if '://' not in path and not osp.isfile(osp.expanduser(path)):
            raise FileNotFoundError(
                f'Stage1CheckpointHook: stage-1 checkpoint not found: {path} (config field '
                f'"{self.field}"); train stage 1 first or point "{self.field}" at its '
                'checkpoint')
        return path
