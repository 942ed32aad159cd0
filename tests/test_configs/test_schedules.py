"""Learning-rate schedules of the configs, stepped the way mmengine's runner steps them.

A MultiStepLR milestone m means: the lr drops at the start of 0-based epoch m (the 1-based
epoch m + 1), as "x0.01 at epochs 160 and 180" means in the LDAM / RIDE / BagofTricks-LT code.
mmengine counts milestones from the scheduler's ``begin``, so a MultiStepLR that begins after
the warm-up would shift every drop by the warm-up length; this pins the absolute epochs.
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import PARAM_SCHEDULERS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _specs(cfg: Config) -> list:
    specs = cfg.get('param_scheduler') or []
    return list(specs) if isinstance(specs, (list, tuple)) else [specs]


def lr_at_epoch_starts(cfg: Config, epoch_length: int = 3) -> list:
    """The lr of the first iteration of every epoch, schedulers stepped as by the runner:
    iteration-based ones after every iteration, epoch-based ones after every epoch."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = OptimWrapper(torch.optim.SGD([param], lr=cfg.optim_wrapper.optimizer.lr))
    specs = _specs(cfg)
    schedulers = [PARAM_SCHEDULERS.build(
        dict(spec), default_args=dict(optimizer=optimizer, epoch_length=epoch_length))
        for spec in specs]
    lrs = []
    for _ in range(cfg.train_cfg.max_epochs):
        lrs.append(optimizer.param_groups[0]['lr'])
        for _ in range(epoch_length):
            for scheduler in schedulers:
                if not scheduler.by_epoch:
                    scheduler.step()
        for scheduler in schedulers:
            if scheduler.by_epoch:
                scheduler.step()
    return lrs


def test_cifar_lt_recipe_by_hand():
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/schedules/cifar-lt_sgd-200e.py'))
    lrs = lr_at_epoch_starts(cfg, epoch_length=4)
    assert lrs[0] == pytest.approx(0.02)  # warm-up from 0.2 * lr, per iteration
    # mmengine's LinearLR reaches the full lr after end - begin - 1 = 19 iteration steps
    assert lrs[1] == pytest.approx(0.02 + 0.08 * 4 / 19)
    assert lrs[5] == lrs[159] == pytest.approx(0.1)
    assert lrs[160] == lrs[179] == pytest.approx(1e-3)  # the 161st epoch, as LDAM / RIDE
    assert lrs[180] == lrs[199] == pytest.approx(1e-5)


def _check_milestones(cfg: Config) -> None:
    """The lr is the base lr after the warm-up and drops by gamma exactly at the milestones."""
    specs = _specs(cfg)
    (step, ) = [s for s in specs if s.type == 'MultiStepLR']
    warmup_end = max([s.get('end', 0) for s in specs if s.type == 'LinearLR'] or [0])
    lrs = lr_at_epoch_starts(cfg)
    assert lrs[warmup_end] == pytest.approx(cfg.optim_wrapper.optimizer.lr)
    drops = [e for e in range(warmup_end + 1, len(lrs))
             if lrs[e] != pytest.approx(lrs[e - 1])]
    expected = [m for m in step.milestones if m < cfg.train_cfg.max_epochs]
    assert drops == expected
    for m in expected:
        assert lrs[m] == pytest.approx(lrs[m - 1] * step.gamma)


def test_every_classification_multistep_schedule():
    """Each distinct MultiStepLR schedule of the classification configs, checked once."""
    checked = {}
    paths = sorted(glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True))
    for path in paths:
        if '/_base_/' in path or 'lvis' in osp.basename(path):  # detection: mmdet's bases
            continue
        cfg = Config.fromfile(path)
        specs = _specs(cfg)
        if cfg.default_scope != 'mmpretrain' or not any(s.type == 'MultiStepLR'
                                                        for s in specs):
            continue
        key = repr((specs, cfg.train_cfg.max_epochs, cfg.optim_wrapper.optimizer.lr))
        if key not in checked:
            try:
                _check_milestones(cfg)
            except AssertionError as err:
                raise AssertionError(f'{osp.relpath(path, REPO)}: {err}') from None
        checked.setdefault(key, []).append(path)
    assert sum(map(len, checked.values())) >= 60  # every CIFAR / ImageNet-LT / iNat recipe
    assert len(checked) >= 6
