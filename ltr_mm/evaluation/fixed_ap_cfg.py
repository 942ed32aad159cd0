"""Test-time config for Fixed AP: the detector's per-image cap goes away.

The values come from ``configs/_base_/lvis_fixed_ap.py``, so the fragment stays the one
place that says how a detector is tested for Fixed AP.
"""
import os.path as osp
from typing import Any

from mmengine.config import Config


def fixed_ap_fragment_path() -> str:
    """``configs/_base_/lvis_fixed_ap.py`` of this checkout."""
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    return osp.join(root, 'configs', '_base_', 'lvis_fixed_ap.py')


def uncap_test_cfg(cfg: Any, config_path: str, fragment: str = '') -> Any:
    """Apply the fragment's ``model.test_cfg.rcnn`` to every R-CNN stage of ``cfg``.

    Args:
        cfg: the detector config (modified in place and returned).
        config_path: the config's file, named in errors.
        fragment: the fragment file; defaults to :func:`fixed_ap_fragment_path`.

    Raises:
        ValueError: ``cfg.model.test_cfg`` has no ``rcnn`` entry to uncap.
    """
    fragment = fragment or fixed_ap_fragment_path()
    if not osp.isfile(fragment):
        raise FileNotFoundError(f'Fixed AP config fragment not found: {fragment}')
    rcnn_update = dict(Config.fromfile(fragment).model['test_cfg']['rcnn'])
    test_cfg = cfg.model.get('test_cfg') or {}
    rcnn = test_cfg.get('rcnn')
    if not rcnn:
        raise ValueError(f'{config_path}: field "model.test_cfg.rcnn" is missing; Fixed AP '
                         'needs an R-CNN test_cfg whose per-image cap (max_per_img) can be '
                         'lifted')
    for stage in rcnn if isinstance(rcnn, (list, tuple)) else [rcnn]:
        stage.update(rcnn_update)
    return cfg
