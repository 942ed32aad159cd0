"""Building blocks of ltr_mm's LVIS evaluation: reading, adapters, grouping, errors, tables."""
import json
import re

import numpy as np
import pytest
from lvis_synth import make_detections, make_lvis_gt, write_json

import ltr_mm.evaluation.functional.lvis_coco as lvis_coco
from ltr_mm.evaluation.functional import (
    LVISGroundTruth,
    dump_detections_json,
    evaluate_lvis,
    evaluate_proposals,
    iter_json_array,
    load_detections,
    top_k_per_image,
)
from ltr_mm.evaluation.functional.lvis_table import (
    HEADER,
    category_table,
    format_lvis_results,
    lvis_table,
    plot_ap_by_frequency,
    proposal_table,
    split_metrics,
)


@pytest.fixture(scope='module')
def gt_dict() -> dict:
    return make_lvis_gt(num_images=24, num_cats=20, seed=11)


@pytest.fixture(scope='module')
def dets(gt_dict) -> list:
    return make_detections(gt_dict, seed=12, mean_dets=30, crowded_frac=0.1, crowded_dets=320)


def test_top_k_per_image_keeps_best_and_earlier_ties():
    img = np.array([5, 5, 5, 7, 5, 7])
    score = np.array([0.1, 0.9, 0.5, 0.3, 0.5, 0.3])
    assert top_k_per_image(img, score, 2).tolist() == [1, 2, 3, 5]
    assert top_k_per_image(img, score, 3).tolist() == [1, 2, 3, 4, 5]
    assert top_k_per_image(img[:0], score[:0], 3).tolist() == []


@pytest.mark.parametrize('chunk', [7, 64, 1 << 20])
def test_streaming_reader_matches_json_load(tmp_path, dets, chunk):
    path = write_json(dets[:50], str(tmp_path / 'r.json'))
    assert list(iter_json_array(path, chunk_chars=chunk)) == json.load(open(path))


def test_reader_errors_name_file_and_record(tmp_path):
    path = tmp_path / 'bad.json'
    path.write_text('{"image_id": 1}')
    with pytest.raises(ValueError, match='bad.json: expected a json list'):
        load_detections(str(path))
    path.write_text('[{"image_id": 1, "category_id": 2, "score": 0.5, "bbox": [1, 2, 3, 4]},'
                    ' {"image_id": 1, "category_id": 2, "bbox": [1, 2, 3, 4]}]')
    with pytest.raises(ValueError, match=r'bad.json: record \[1\]: field "score" is missing'):
        load_detections(str(path))
    path.write_text('[{"image_id": 1, "category_id": 2, "score": 0.5, "bbox": [1, 2')
    with pytest.raises(ValueError, match=r'bad.json: record \[0\]: the file ends inside this '
                       r'record or before the closing "\]" \(truncated file\?\)'):
        load_detections(str(path))
    path.write_text('[{"image_id": 1, "category_id": 2, "score": 0.5}, {"image_id": 1,} ]')
    with pytest.raises(ValueError, match=r'bad.json: record \[1\]: invalid json near'):
        load_detections(str(path))
    path.write_text('[{"image_id": 1.5, "category_id": 2, "score": 0.5}]')
    with pytest.raises(ValueError, match=r'record \[0\]: field "image_id" must be an integer '
                       r"id, got float '1.5'"):
        load_detections(str(path))


def test_json_round_trip(tmp_path, dets):
    first = load_detections(dets, with_bbox=True, with_masks=True)
    path = dump_detections_json(first, str(tmp_path / 'out.json'), with_masks=True)
    again = load_detections(path, with_bbox=True, with_masks=True)
    for field in ('image_ids', 'category_ids', 'scores', 'bboxes', 'mask_sizes'):
        np.testing.assert_array_equal(getattr(first, field), getattr(again, field))
    assert again.masks == first.masks


def test_unknown_category_error_names_file_field_and_value(tmp_path, gt_dict, dets):
    ann = write_json(gt_dict, str(tmp_path / 'lvis_val.json'))
    bad = [dict(dets[0], category_id=9999)] + dets[1:5]
    with pytest.raises(ValueError) as err:
        evaluate_lvis(LVISGroundTruth.from_file(ann), load_detections(bad), 'bbox')
    msg = str(err.value)
    assert 'category_id 9999' in msg and 'lvis_val.json' in msg and 'results[]' in msg
    with pytest.raises(ValueError, match='image_id 123456789 is not an evaluated image'):
        evaluate_lvis(LVISGroundTruth.from_file(ann),
                      load_detections([dict(dets[0], image_id=123456789)]), 'bbox')


def test_annotation_file_errors(gt_dict):
    broken = dict(gt_dict, categories=[dict(c) for c in gt_dict['categories']])
    broken['categories'][2].pop('frequency')
    with pytest.raises(ValueError, match=r'x.json: categories\[2\] .* field "frequency"'):
        LVISGroundTruth(broken, source='x.json')
    with pytest.raises(ValueError, match='x.json: field "images" has no image with id -5'):
        LVISGroundTruth(gt_dict, source='x.json', img_ids=[-5])


def test_grouping_does_not_change_results(gt_dict, dets, monkeypatch):
    gt = LVISGroundTruth(gt_dict)
    dt = load_detections(dets, True, True)
    base = {t: evaluate_lvis(gt, dt, t) for t in ('bbox', 'segm')}
    for budget in (1, 10 ** 9):  # one category per group; one group for everything
        monkeypatch.setattr(lvis_coco, 'GROUP_PAIR_BUDGET', budget)
        for iou_type, ref in base.items():
            res = evaluate_lvis(gt, dt, iou_type)
            assert res.metrics == ref.metrics
            np.testing.assert_array_equal(res.per_category_ap, ref.per_category_ap)


def test_category_groups_partition_categories():
    rng = np.random.default_rng(0)
    cats, imgs = rng.integers(0, 50, 400), rng.integers(0, 80, 400)
    groups = lvis_coco.category_groups(cats, imgs, 50, budget=60)
    seen = np.concatenate([g[0] for g in groups])
    assert sorted(seen.tolist()) == sorted(set(cats.tolist()))
    for cat_idx, img_idx in groups:
        need = np.unique(imgs[np.isin(cats, cat_idx)])
        assert np.array_equal(need, img_idx)


def test_proposals_are_class_agnostic_and_match_pycocotools(gt_dict, dets):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    gt = LVISGroundTruth(gt_dict)
    right = evaluate_proposals(gt, load_detections(dets))
    wrong = evaluate_proposals(gt, load_detections(
        [dict(d, category_id=gt_dict['categories'][0]['id']) for d in dets]))
    assert right == wrong and set(right) == {'AR@100', 'AR@300', 'AR@1000', 'ARs@1000',
                                             'ARm@1000', 'ARl@1000'}
    coco_gt = COCO()
    coco_gt.dataset = dict(images=gt_dict['images'], categories=gt_dict['categories'],
                           annotations=[dict(a, iscrowd=0) for a in gt_dict['annotations']])
    coco_gt.createIndex()
    ref = COCOeval(coco_gt, coco_gt.loadRes([dict(d) for d in dets]), 'bbox')
    ref.params.useCats, ref.params.maxDets = 0, [100, 300, 1000]
    ref.evaluate()
    ref.accumulate()
    for m, n in enumerate((100, 300, 1000)):
        recall = ref.eval['recall'][:, :, 0, m]  # [iou, category (1), area all, maxDets]
        assert abs(right[f'AR@{n}'] - recall[recall > -1].mean()) < 1e-9


def test_summary_table_layout():
    metrics = dict(AP=0.2596, AP50=0.4358, AP75=0.2715, APs=0.2026, APm=0.3281, APl=0.401,
                   APr=-1.0, APc=0.2575, APf=0.2955)
    metrics.update({'AR@300': 0.3476, 'ARs@300': 0.2477, 'ARm@300': 0.415, 'ARl@300': 0.5164})
    lines = lvis_table(metrics).splitlines()
    assert '\n'.join(lines[:2]) == HEADER and len(lines) == 15
    assert lines[2] == '|  (AP)  | 0.50:0.95 |    all | 300 |          all | 25.96% |'
    assert lines[3] == '|  (AP)  | 0.50      |    all | 300 |          all | 43.58% |'
    assert lines[8] == '|  (AP)  | 0.50:0.95 |    all | 300 |            r | n/a |'
    assert lines[14] == '|  (AR)  | 0.50:0.95 |      l | 300 |          all | 51.64% |'
    row = re.compile(r'^\|  \((AP|AR)\)  \| [0-9.:]+ +\| +(all|s|m|l) \| 300 \| +(all|r|c|f) '
                     r'\| (\d+\.\d\d%|n/a) \|$')
    assert all(row.match(line) for line in lines[2:])


def test_format_from_runner_metrics_states_segm_area(tmp_path):
    flat = {'lvis/bbox_AP': 0.5, 'lvis/segm_AP': 0.25, 'lvis/segm_APr': 0.1,
            'lvis/segm_area': 'mask', 'lvis/proposal_AR@100': 0.3, 'lvis/proposal_ARs@100': 0.2}
    nested = split_metrics(flat)
    assert nested['segm'] == {'AP': 0.25, 'APr': 0.1, 'area': 'mask'}
    text = format_lvis_results(flat)
    assert "by detection mask area, segm_area='mask'" in text
    assert 'LVIS bbox' in text and 'box area' in text and 'class-agnostic' in text
    assert '|  (AR)  | 0.50:0.95 |      s | 100 |     agnostic | 20.00% |' in proposal_table(
        nested['proposal'])
    png = plot_ap_by_frequency(nested, str(tmp_path / 'ap.png'))
    assert open(png, 'rb').read(8) == b'\x89PNG\r\n\x1a\n'


def test_category_table_lists_frequency_groups(gt_dict, dets):
    res = evaluate_lvis(LVISGroundTruth(gt_dict), load_detections(dets), 'bbox')
    text = category_table(res.categories, res.per_category_ap)
    lines = text.splitlines()[2:]
    assert len(lines) == len(gt_dict['categories'])
    assert all(re.match(r'^\| \d+ \| cat_\d+ \| [rcf] \| (\d+\.\d\d%|n/a) \|$', ln)
               for ln in lines)
    assert 'n/a' in text  # categories without val ground truth


def test_ground_truth_errors_name_the_annotation(gt_dict):
    bad = dict(gt_dict, annotations=[dict(a) for a in gt_dict['annotations']])
    bad['annotations'][1].pop('area')
    with pytest.raises(ValueError, match=r'v.json: annotations\[1\] needs a numeric "area"'):
        LVISGroundTruth(bad, source='v.json')
    bad['annotations'][1] = dict(gt_dict['annotations'][1], category_id=777)
    with pytest.raises(ValueError, match='annotations.*category_id 777 is not a category of '
                       'v.json'):
        LVISGroundTruth(bad, source='v.json')
