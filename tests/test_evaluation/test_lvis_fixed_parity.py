"""ltr_mm's LVIS evaluator against the slow plain-loop reference: caps, boundary, area rule.

The generated data hits both caps (categories with more than K detections, images with
more than 300), has equal scores, not-exhaustive and negative categories, images without
detections and categories without ground truth.
"""
from collections import Counter, defaultdict
from typing import Any, Dict

import numpy as np
import pytest
from lvis_slow_reference import reference_eval, results_of
from lvis_synth import make_detections, make_lvis_gt

from ltr_mm.evaluation.functional import LVISGroundTruth, evaluate_lvis, load_detections

TOL = 1e-9
K = 30  # per-category cap of the tests: small enough that many categories exceed it
CAPS = [(300, -1), (-1, K), (120, 25)]


@pytest.fixture(scope='module')
def data() -> Dict[str, Any]:
    gt = make_lvis_gt(num_images=36, num_cats=24, seed=11, size_range=(80, 240))
    dets = make_detections(gt, seed=12, mean_dets=40, crowded_frac=0.15, crowded_dets=330)
    silent = {img['id'] for img in gt['images'][:3]}  # images without detections
    return dict(gt=gt, dets=[d for d in dets if d['image_id'] not in silent], silent=silent)


def test_generated_data_hits_both_caps_and_the_hard_cases(data):
    gt, dets = data['gt'], data['dets']
    per_img = Counter(d['image_id'] for d in dets)
    per_cat = Counter(d['category_id'] for d in dets)
    assert max(per_img.values()) > 300 and sum(n > 120 for n in per_img.values()) >= 3
    assert sum(n > K for n in per_cat.values()) >= 10
    assert data['silent'] and not data['silent'] & set(per_img)
    keys = [(d['category_id'], d['score']) for d in dets]
    assert len(keys) > len(set(keys)), 'equal scores within a category'
    pos = defaultdict(set)
    for ann in gt['annotations']:
        pos[ann['image_id']].add(ann['category_id'])
    neg = {img['id']: set(img['neg_category_ids']) for img in gt['images']}
    assert any(d['category_id'] in neg[d['image_id']] for d in dets)
    assert any(img['not_exhaustive_category_ids'] for img in gt['images'])
    assert {c['id'] for c in gt['categories']} - {a['category_id'] for a in gt['annotations']}


def _compare(data, iou_type, caps, segm_area):
    res = results_of(data['dets'], iou_type, segm_area)
    ref, ref_cat = reference_eval(data['gt'], res, iou_type, *caps, segm_area)
    ours = evaluate_lvis(LVISGroundTruth(data['gt']),
                         load_detections(res, True, iou_type != 'bbox'), iou_type,
                         segm_area, *caps)
    assert set(ours.metrics) == set(ref)
    diffs = {k: abs(ours.metrics[k] - ref[k]) for k in ref}
    assert max(diffs.values()) <= TOL, diffs
    np.testing.assert_allclose(ours.per_category_ap, ref_cat, atol=TOL, equal_nan=True)
    return ours


@pytest.mark.parametrize('caps', CAPS)
def test_bbox_equals_reference(data, caps):
    _compare(data, 'bbox', caps, 'mask')


@pytest.mark.parametrize('segm_area', ['mask', 'box'])
@pytest.mark.parametrize('caps', CAPS)
def test_segm_equals_reference(data, caps, segm_area):
    ours = _compare(data, 'segm', caps, segm_area)
    assert ours.segm_area == segm_area


@pytest.mark.parametrize('caps,segm_area', [(CAPS[0], 'mask'), (CAPS[1], 'mask'),
                                            (CAPS[2], 'box')])
def test_boundary_equals_reference(data, caps, segm_area):
    ours = _compare(data, 'boundary', caps, segm_area)
    segm = evaluate_lvis(LVISGroundTruth(data['gt']), load_detections(
        results_of(data['dets'], 'segm', segm_area), True, True), 'segm', segm_area, *caps)
    assert ours.metrics['AP'] < segm.metrics['AP'], 'boundary IoU is never above mask IoU'


def test_caps_change_the_answer_and_name_the_recall_keys(data):
    gt = LVISGroundTruth(data['gt'])
    dets = load_detections(results_of(data['dets'], 'bbox'))
    runs = {caps: evaluate_lvis(gt, dets, 'bbox', 'mask', *caps) for caps in CAPS}
    assert 'AR@300' in runs[CAPS[0]].metrics
    assert 'AR@30/cat' in runs[CAPS[1]].metrics
    assert 'ARl@120/im,25/cat' in runs[CAPS[2]].metrics
    assert len({r.metrics['AP'] for r in runs.values()}) == 3
    assert runs[CAPS[1]].num_detections <= K * len(gt.categories)
