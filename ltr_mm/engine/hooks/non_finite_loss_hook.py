"""Stop a run at the first NaN / infinite loss, keeping the checkpoints already saved."""
import math
import os.path as osp
from typing import Any, List, Optional, Tuple

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import CheckpointHook, Hook
from mmengine.runner import EpochBasedTrainLoop

from ltr_mm.registry import SHARED_HOOKS, register
from ltr_mm.utils.bad_input import field_error


def non_finite_losses(outputs: Optional[dict]) -> List[Tuple[str, float]]:
    """``(key, value)`` of every loss entry (key containing ``'loss'``) that is NaN or inf."""
    bad = []
    for key, value in (outputs or {}).items():
        if 'loss' not in key:
            continue
        if isinstance(value, torch.Tensor):
            if value.numel() and not bool(torch.isfinite(value.detach()).all()):
                flat = value.detach().float().reshape(-1)
                bad.append((key, float(flat[~torch.isfinite(flat)][0])))
        elif isinstance(value, (int, float)) and not math.isfinite(value):
            bad.append((key, float(value)))
    return bad


def last_checkpoint(runner: Any) -> Optional[str]:
    """The checkpoint saved last by this run's ``CheckpointHook``, else the one it resumed
    from (``resume=True``: ``load_from`` or the work dir's ``last_checkpoint`` record)."""
    for hook in runner.hooks:
        if isinstance(hook, CheckpointHook) and getattr(hook, 'last_ckpt', None):
            return str(hook.last_ckpt)
    cfg = getattr(runner, 'cfg', None) or {}
    # a Runner built from arguments (not from a config) keeps them only as attributes
    if not (cfg.get('resume') or getattr(runner, '_resume', False)):
        return None
    load_from = cfg.get('load_from') or getattr(runner, '_load_from', None)
    if load_from:
        return str(load_from)
    record = osp.join(runner.work_dir, 'last_checkpoint')
    if osp.isfile(record):
        with open(record) as f:
            return f.read().strip() or None
    return None


@register(*SHARED_HOOKS)
class NonFiniteLossHook(Hook):
    """Raise ``RuntimeError`` after the first training iteration whose loss is NaN or inf.

    After every ``interval``-th iteration it looks at the parsed log variables the model
    returned (``outputs``: ``loss`` and every ``loss_*`` entry). On a non-finite value it
    raises before any later hook of that iteration runs; its priority (``VERY_HIGH``) puts it
    ahead of ``CheckpointHook`` (``VERY_LOW``), so the broken state is never saved and the
    checkpoints on disk are left as they are. The message names the iteration (and, for
    epoch-based loops, the epoch and batch; all 1-based as in the log), the loss keys and
    values, and the last saved checkpoint to
    resume from. Under DDP one flag is all-reduced per check (``mmengine.dist.all_reduce``, a
    no-op on one process), so every rank stops at the same iteration instead of the healthy
    ranks waiting forever for the stopped one.

    mmdet's ``CheckInvalidLossHook`` checks every 50 iterations with ``assert`` (skipped
    under ``python -O``) and reports neither the iteration nor a checkpoint.

    Args:
        interval (int): check every ``interval`` iterations; 0 switches the hook off.
            Defaults to 1.

    Example::

        default_hooks = dict(check_nonfinite_loss=dict(type='NonFiniteLossHook'))
    """

    priority = 'VERY_HIGH'

    def __init__(self, interval: int = 1) -> None:
        if not isinstance(interval, int) or interval < 0:
            raise field_error('NonFiniteLossHook', 'interval', interval,
                              'is not an integer >= 0')
        self.interval = interval

    def after_train_iter(self, runner: Any, batch_idx: int, data_batch: Any = None,
                         outputs: Optional[dict] = None) -> None:
        """Raise if a loss of this iteration is not finite (on any rank)."""
        if not self.interval or not self.every_n_train_iters(runner, self.interval):
            return
        bad = non_finite_losses(outputs)
        flag = torch.tensor([1.0 if bad else 0.0])
        all_reduce(flag)
        if flag.item() == 0:
            return
        where = f'iteration {runner.iter + 1}'
        if isinstance(runner.train_loop, EpochBasedTrainLoop):
            where += f' (epoch {runner.epoch + 1}, batch {batch_idx + 1} of the epoch)'
        found = (', '.join(f'"{key}" = {value}' for key, value in bad) if bad else
                 'another rank had a non-finite loss')
        ckpt = last_checkpoint(runner)
        keep = (f'the last good checkpoint is {ckpt} (resume from it with --resume {ckpt})'
                if ckpt else 'no checkpoint was saved before it')
        raise RuntimeError(f'NonFiniteLossHook: non-finite loss at {where}: {found}. The run '
                           f'stops without saving this state; {keep}.')
