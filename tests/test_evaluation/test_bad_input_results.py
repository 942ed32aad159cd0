"""Results with image ids the annotation file does not have: errors naming the results file,
the field and the values (FastLVISMetric, tools/eval_lvis.py, the functional check)."""
import json
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest

import ltr_mm  # noqa: F401
from ltr_mm.evaluation.functional import RESULTS_FORMAT, check_result_image_ids
from ltr_mm.evaluation.metrics import FastLVISMetric

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', 'test_datasets'))
from bad_input_data import lvis_dict, write_lvis  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _detection(img_id, cat=1):
    return dict(image_id=img_id, category_id=cat, bbox=[2, 3, 10, 8], score=0.9)


def _eval_tool(ann, results):
    return subprocess.run([sys.executable, 'tools/eval_lvis.py', ann, results, '--eval', 'bbox'],
                          cwd=REPO, capture_output=True, text=True)


def test_check_result_image_ids():
    check_result_image_ids(lvis_dict(), [1, 3, 3], 'res.json', 'ann.json')
    with pytest.raises(ValueError) as info:
        check_result_image_ids(lvis_dict(), [1, 7, 2, 9, 7], 'res.json', 'ann.json')
    assert str(info.value) == (
        'res.json: field "image_id" = 7 (record [1]) is not an image of ann.json; 3 of 5 '
        'records name 2 unknown image ids [7, 9] (results and annotation file must be of the '
        'same split)')


def test_eval_tool_json_with_unknown_image_ids(tmp_path):
    ann = write_lvis(tmp_path, images=False)
    results = tmp_path / 'results.json'
    results.write_text(json.dumps([_detection(1), _detection(2), _detection(42)]))
    proc = _eval_tool(ann, str(results))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f'eval_lvis.py: error: {results}: field "image_id" = 42 (record [2]) is not an image of '
        f'{ann}; 1 of 3 records name 1 unknown image ids [42] (results and annotation file must '
        'be of the same split)']


def test_eval_tool_raw_pickle_with_unknown_image_ids(tmp_path):
    ann = write_lvis(tmp_path, images=False)
    records = [dict(img_id=i, bboxes=np.array([[2., 3., 12., 11.]]), scores=np.array([0.9]),
                    labels=np.array([0])) for i in (1, 5)]
    results = tmp_path / 'results.pkl'
    with open(results, 'wb') as f:
        pickle.dump(dict(format=RESULTS_FORMAT, ann_file=ann, label_to_cat_id=[1, 2, 3],
                         results=records), f)
    proc = _eval_tool(ann, str(results))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f'eval_lvis.py: error: {results}: field "img_id" = 5 (record [1]) is not an image of '
        f'{ann}; 1 of 2 records name 1 unknown image ids [5] (results and annotation file must '
        'be of the same split)']


def test_eval_tool_accepts_known_ids(tmp_path):
    ann = write_lvis(tmp_path, images=False)
    results = tmp_path / 'results.json'
    results.write_text(json.dumps([_detection(1), _detection(3, cat=2)]))
    proc = _eval_tool(ann, str(results))
    assert proc.returncode == 0, proc.stderr


def test_fast_lvis_metric_with_unknown_image_ids(tmp_path):
    ann = write_lvis(tmp_path, images=False)
    metric = FastLVISMetric(ann_file=ann)
    metric.dataset_meta = dict(classes=('cat', 'dog', 'emu'))
    results = [dict(img_id=i, bboxes=np.array([[2., 3., 12., 11.]]), scores=np.array([0.9]),
                    labels=np.array([0])) for i in (3, 8, 1)]
    with pytest.raises(ValueError) as info:
        metric.compute_metrics(results)
    assert str(info.value) == (
        f'FastLVISMetric results: field "img_id" = 8 (record [1]) is not an image of {ann}; 1 '
        'of 3 records name 1 unknown image ids [8] (results and annotation file must be of the '
        'same split)')
