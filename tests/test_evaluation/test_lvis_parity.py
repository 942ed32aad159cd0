"""ltr_mm's LVIS evaluator against the official one (lvis-api 0.5.3) on generated data."""
import copy
from collections import defaultdict
from typing import Any, Dict, List

import numpy as np
import pytest
from lvis_reference import KEYS, TOL, lvis_api
from lvis_synth import make_detections, make_lvis_gt, restrict_gt

from ltr_mm.evaluation.functional import (
    LVISGroundTruth,
    empty_detections,
    evaluate_lvis,
    load_detections,
)


@pytest.fixture(scope='module')
def data() -> Dict[str, Any]:
    gt = make_lvis_gt(num_images=48, num_cats=36, seed=3)
    dets = make_detections(gt, seed=4, mean_dets=60, crowded_frac=0.15, crowded_dets=380)
    return dict(gt=gt, dets=dets)


def results_for(dets: List[dict], iou_type: str, segm_area: str = 'mask') -> List[dict]:
    """Results as the official evaluator must get them for the same protocol choice."""
    out = copy.deepcopy(dets)
    for det in out:
        if iou_type == 'bbox':
            det.pop('segmentation', None)
        elif segm_area == 'mask':
            det.pop('bbox', None)
    return out


def assert_same(ours: Dict[str, float], ref: Dict[str, float]) -> None:
    diffs = {k: abs(ours[k] - ref[k]) for k in KEYS}
    assert max(diffs.values()) <= TOL, (diffs, ours, ref)


def test_generated_data_has_the_hard_cases(data):
    gt, dets = data['gt'], data['dets']
    pos = defaultdict(set)
    for ann in gt['annotations']:
        pos[ann['image_id']].add(ann['category_id'])
    neg = {img['id']: set(img['neg_category_ids']) for img in gt['images']}
    per_img = defaultdict(int)
    on_neg = unrelated = 0
    for det in dets:
        per_img[det['image_id']] += 1
        on_neg += det['category_id'] in neg[det['image_id']]
        unrelated += det['category_id'] not in pos[det['image_id']] | neg[det['image_id']]
    assert max(per_img.values()) > 300 and on_neg > 0 and unrelated > 0
    assert any(not pos[i['id']] and not i['neg_category_ids'] for i in gt['images'])
    assert any(i['not_exhaustive_category_ids'] for i in gt['images'])
    with_gt = {a['category_id'] for a in gt['annotations']}
    assert {c['id'] for c in gt['categories']} - with_gt, 'some categories lack val gt'
    assert {c['frequency'] for c in gt['categories'] if c['id'] in with_gt} == {'r', 'c', 'f'}
    keys = [(d['image_id'], d['category_id'], d['score']) for d in dets]
    assert len(keys) > len(set(keys)), 'exact duplicates (score ties) are present'


@pytest.mark.parametrize('iou_type,segm_area', [('bbox', 'mask'), ('segm', 'mask'),
                                                ('segm', 'box')])
def test_equals_lvis_api(data, monkeypatch, tmp_path, iou_type, segm_area):
    dets = results_for(data['dets'], iou_type, segm_area)
    ref, ref_cat = lvis_api(monkeypatch, tmp_path, data['gt'], dets, iou_type)
    gt = LVISGroundTruth(data['gt'])
    ours = evaluate_lvis(gt, load_detections(data['dets'], True, iou_type == 'segm'),
                         iou_type, segm_area)
    assert_same(ours.metrics, ref)
    np.testing.assert_allclose(ours.per_category_ap, ref_cat, atol=TOL, equal_nan=True)
    assert ours.segm_area == (segm_area if iou_type == 'segm' else None)


def test_segm_area_choice_changes_only_the_size_split(data):
    gt = LVISGroundTruth(data['gt'])
    dets = load_detections(data['dets'], True, True)
    by_mask = evaluate_lvis(gt, dets, 'segm', 'mask').metrics
    by_box = evaluate_lvis(gt, dets, 'segm', 'box').metrics
    assert any(by_mask[k] != by_box[k] for k in ('APs', 'APm', 'APl'))


@pytest.mark.parametrize('iou_type', ['bbox', 'segm'])
def test_subset_equals_lvis_api_on_restricted_gt(data, monkeypatch, tmp_path, iou_type):
    img_ids = [img['id'] for img in data['gt']['images']][5:25]
    keep = set(img_ids)
    dets = [d for d in data['dets'] if d['image_id'] in keep]
    ref, _ = lvis_api(monkeypatch, tmp_path, restrict_gt(data['gt'], img_ids),
                      results_for(dets, iou_type), iou_type)
    gt = LVISGroundTruth(data['gt'], img_ids=img_ids)
    ours = evaluate_lvis(gt, load_detections(dets, True, iou_type == 'segm'), iou_type)
    assert_same(ours.metrics, ref)
    full = evaluate_lvis(LVISGroundTruth(data['gt']),
                         load_detections(dets, True, iou_type == 'segm'), iou_type)
    assert full.metrics['AR@300'] < ours.metrics['AR@300'], 'unseen images count as misses'


def test_empty_results_equal_lvis_api_with_nothing_to_score(data, monkeypatch, tmp_path):
    gt_dict = data['gt']
    pos = {(a['image_id'], a['category_id']) for a in gt_dict['annotations']}
    img = gt_dict['images'][0]
    cat = next(c['id'] for c in gt_dict['categories']
               if (img['id'], c['id']) not in pos and c['id'] not in img['neg_category_ids'])
    # lvis-api cannot load an empty list; one detection the federated rule drops is the same
    ignored = [dict(image_id=img['id'], category_id=cat, bbox=[1.0, 1.0, 5.0, 5.0], score=0.5)]
    ref, _ = lvis_api(monkeypatch, tmp_path, gt_dict, ignored, 'bbox')
    ours = evaluate_lvis(LVISGroundTruth(gt_dict), empty_detections(), 'bbox').metrics
    assert_same(ours, ref)
    assert ours['AP'] == 0.0 and ours['AR@300'] == 0.0
    segm = evaluate_lvis(LVISGroundTruth(gt_dict), empty_detections(True, True), 'segm')
    assert segm.metrics['AP'] == 0.0 and segm.num_detections == 0
