"""The official LVIS evaluator (lvis-api 0.5.3) as the reference of the parity tests.

lvis-api 0.5.3 uses ``np.float``, gone since numpy 1.24; :func:`lvis_api` puts it back with
pytest's ``monkeypatch``, so it exists only while one test runs (never in library code).
"""
import copy
from typing import List

import numpy as np
from lvis_synth import write_json

KEYS = ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf', 'AR@300', 'ARs@300',
        'ARm@300', 'ARl@300')
TOL = 1e-9


def lvis_api(monkeypatch, tmp_path, gt: dict, dets: List[dict], iou_type: str) -> tuple:
    """Official metrics and per-category AP (NaN where undefined)."""
    monkeypatch.setattr(np, 'float', float, raising=False)
    from lvis import LVIS, LVISEval, LVISResults
    lvis_gt = LVIS(write_json(gt, str(tmp_path / 'gt.json')))
    results = LVISResults(lvis_gt, copy.deepcopy(dets))
    evaluator = LVISEval(lvis_gt, results, iou_type)
    evaluator.run()
    prec = evaluator.eval['precision'][:, :, :, 0]
    valid = prec > -1
    per_cat = np.where(valid.any((0, 1)), np.where(valid, prec, 0).sum((0, 1)) /
                       np.maximum(valid.sum((0, 1)), 1), np.nan)
    return {k: float(v) for k, v in evaluator.results.items()}, per_cat
