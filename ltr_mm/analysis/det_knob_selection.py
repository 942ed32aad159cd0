"""Choose TDE's ``alpha`` of a detector on a held-out split: LVIS AP of one checkpoint per value.

Each value is one full test pass of the runner (``runner.test()``) with ``test_cfg.alpha`` of
every ``TDEBBoxHead`` (all stages of a cascade) set to it; the checkpoint is loaded once. The
value with the highest mask AP (box AP for a detector without masks), the paper's headline
LVIS metric, wins; among equals the smallest.
"""
from typing import Any, Dict, List, Sequence

from torch import nn

from .knob_selection import best_value

DEFAULT_DET_ALPHAS = [0.5 * i for i in range(7)]  # 0, 0.5, ..., 3: one test pass each
LVIS_KEYS = ('AP', 'APr', 'APc', 'APf')


def lvis_percent(metrics: Dict[str, float]) -> Dict[str, float]:
    """``{'bbox_AP': 31.6, 'bbox_APr': 5.8, ...}`` in percent from ``FastLVISMetric``'s
    ``lvis/<iou>_<key>`` entries, for the iou types it scored."""
    out = {}
    for iou in ('bbox', 'segm'):
        if f'lvis/{iou}_AP' in metrics:
            for key in LVIS_KEYS:
                out[f'{iou}_{key}'] = 100.0 * float(metrics[f'lvis/{iou}_{key}'])
    if not out:
        raise KeyError(f'no LVIS AP in the test metrics {sorted(metrics)}; the test '
                       'evaluator must be a FastLVISMetric')
    return out


def tde_box_heads(model: nn.Module) -> List[nn.Module]:
    """The ``TDEBBoxHead`` of every stage of ``model.roi_head`` (a cascade has several)."""
    from ltr_mm.models.roi_heads.bbox_heads import TDEBBoxHead
    head = getattr(getattr(model, 'roi_head', None), 'bbox_head', None)
    heads = list(head) if isinstance(head, nn.ModuleList) else [head]
    found = [h for h in heads if isinstance(h, TDEBBoxHead)]
    if not found:
        raise TypeError(f'{type(model).__name__} has no TDEBBoxHead in roi_head.bbox_head '
                        f'(found {[type(h).__name__ for h in heads]}); alpha is a knob of the '
                        'TDE box head')
    return found


def sweep_det_alpha(runner, alphas: Sequence[float]) -> List[Dict[str, float]]:
    """LVIS AP / APr / APc / APf (percent) of ``runner.test()`` at every alpha.

    Returns:
        list[dict]: one row per alpha, ``value`` plus the :func:`lvis_percent` entries; the
        heads' alphas are restored afterwards.
    """
    heads = tde_box_heads(getattr(runner.model, 'module', runner.model))
    saved = [h.test_cfg.get('alpha') for h in heads]
    rows = []
    try:
        for alpha in alphas:
            for head in heads:
                head.test_cfg['alpha'] = float(alpha)
            rows.append(dict(value=float(alpha), **lvis_percent(runner.test())))
    finally:
        for head, alpha in zip(heads, saved):
            head.test_cfg['alpha'] = alpha
    return rows


def choose_det_alpha(runner, alphas: Sequence[float]) -> Dict[str, Any]:
    """Choose the alpha of the highest mask AP (box AP without masks) and set it on every head.

    Returns:
        dict: ``alpha``, ``key`` (the AP entry that decided) and ``sweep`` (the rows).
    """
    rows = sweep_det_alpha(runner, alphas)
    key = 'segm_AP' if 'segm_AP' in rows[0] else 'bbox_AP'
    alpha = best_value(rows, key)
    for head in tde_box_heads(getattr(runner.model, 'module', runner.model)):
        head.test_cfg['alpha'] = alpha
    return dict(alpha=alpha, key=key, sweep=rows)
