"""FastLVISMetric through mmengine's process() / evaluate() with DetDataSample-like dicts."""
import os.path as osp
from collections import defaultdict
from typing import Dict, List

import numpy as np
import pytest
import torch
from faster_coco_eval.core import mask as mask_utils
from lvis_reference import KEYS, TOL, lvis_api
from lvis_synth import make_detections, make_lvis_gt, restrict_gt, write_json
from mmdet.registry import METRICS

from ltr_mm.evaluation.functional import (
    LVISGroundTruth,
    evaluate_lvis,
    evaluate_proposals,
    load_detections,
    load_raw_results,
    results_segm_area,
)
from ltr_mm.evaluation.metrics import FastLVISMetric


@pytest.fixture(scope='module')
def data(tmp_path_factory) -> dict:
    gt = make_lvis_gt(num_images=24, num_cats=16, seed=21, size_range=(40, 90))
    dets = make_detections(gt, seed=22, mean_dets=25, crowded_frac=0.1, crowded_dets=310)
    folder = tmp_path_factory.mktemp('lvis')
    return dict(gt=gt, dets=dets, ann=write_json(gt, str(folder / 'lvis_val.json')))


def data_samples(gt: dict, dets: List[dict], label_zero: bool = False) -> List[dict]:
    """What mmdet's test loop hands to metrics: one dict per image with tensors."""
    label = {c['id']: i for i, c in enumerate(gt['categories'])}
    by_img: Dict[int, List[dict]] = defaultdict(list)
    for det in dets:
        by_img[det['image_id']].append(det)
    samples = []
    for img in gt['images']:
        items = by_img[img['id']]
        xywh = np.array([d['bbox'] for d in items], dtype=np.float32).reshape(-1, 4)
        masks = [mask_utils.decode(d['segmentation']) for d in items]
        samples.append(dict(img_id=img['id'], ori_shape=(img['height'], img['width']),
                            pred_instances=dict(
                                bboxes=torch.from_numpy(np.concatenate(
                                    [xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], 1)),
                                scores=torch.tensor([d['score'] for d in items],
                                                    dtype=torch.float32),
                                labels=torch.tensor([0 if label_zero else label[
                                    d['category_id']] for d in items], dtype=torch.int64),
                                masks=torch.from_numpy(
                                    np.stack(masks).astype(bool) if masks else
                                    np.zeros((0, img['height'], img['width']), bool)))))
    return samples


def as_results(samples: List[dict], gt: dict) -> List[dict]:
    """The same predictions as an LVIS results list, converted the way mmdet does."""
    cat_ids = [c['id'] for c in gt['categories']]
    out = []
    for s in samples:
        p = s['pred_instances']
        for box, score, label, mask in zip(p['bboxes'].numpy().tolist(), p['scores'].tolist(),
                                           p['labels'].tolist(), p['masks'].numpy()):
            rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
            out.append(dict(image_id=s['img_id'], category_id=cat_ids[label], score=score,
                            bbox=[box[0], box[1], box[2] - box[0], box[3] - box[1]],
                            segmentation=dict(size=rle['size'],
                                              counts=rle['counts'].decode())))
    return out


def run_metric(samples: List[dict], **kwargs) -> dict:
    metric = FastLVISMetric(**kwargs)
    metric.dataset_meta = dict(classes=tuple(f'c{i}' for i in range(16)))
    for i in range(0, len(samples), 4):
        metric.process({}, samples[i:i + 4])
    return metric.evaluate(len(samples))


def test_process_and_evaluate_equal_lvis_api(data, monkeypatch, tmp_path):
    samples = data_samples(data['gt'], data['dets'])
    out = run_metric(samples, ann_file=data['ann'], metric=['bbox', 'segm'])
    results = as_results(samples, data['gt'])
    for iou_type in ('bbox', 'segm'):
        # segm results keep their boxes, as mmdet writes them: sizes split by box area
        ref, _ = lvis_api(monkeypatch, tmp_path, data['gt'],
                          [{k: v for k, v in d.items() if iou_type == 'segm' or
                            k != 'segmentation'} for d in results], iou_type)
        for key in KEYS:
            assert abs(out[f'lvis/{iou_type}_{key}'] - ref[key]) <= TOL, key
    assert out['lvis/segm_area'] == 'box'


def test_subset_of_images_is_scored_honestly(data, monkeypatch, tmp_path):
    samples = data_samples(data['gt'], data['dets'])[3:15]
    out = run_metric(samples, ann_file=data['ann'], metric='bbox')
    img_ids = [s['img_id'] for s in samples]
    ref, _ = lvis_api(monkeypatch, tmp_path, restrict_gt(data['gt'], img_ids),
                      [{k: v for k, v in d.items() if k != 'segmentation'}
                       for d in as_results(samples, data['gt'])], 'bbox')
    for key in KEYS:
        assert abs(out[f'lvis/bbox_{key}'] - ref[key]) <= TOL, key


def test_registry_build_proposals_and_files(data, tmp_path):
    metric = METRICS.build(dict(type='mmdet.FastLVISMetric', ann_file=data['ann'],
                                metric=['proposal'], results_file=str(tmp_path / 'raw.pkl'),
                                outfile_prefix=str(tmp_path / 'res')))
    assert isinstance(metric, FastLVISMetric)
    samples = data_samples(data['gt'], data['dets'], label_zero=True)
    metric.process({}, samples)
    out = metric.evaluate(len(samples))
    ref = evaluate_proposals(LVISGroundTruth(data['gt']), load_detections(data['dets']))
    assert {f'lvis/proposal_{k}': v for k, v in ref.items()} == pytest.approx(out, abs=1e-12)
    records, label_map = load_raw_results(str(tmp_path / 'raw.pkl'), np.zeros(0, np.int64))
    assert [r['img_id'] for r in records] == [s['img_id'] for s in samples]
    assert label_map.tolist() == [c['id'] for c in data['gt']['categories']]


def test_format_only_writes_results_json(data, tmp_path):
    samples = data_samples(data['gt'], data['dets'])
    out = run_metric(samples, ann_file=data['ann'], metric=['bbox', 'segm'], format_only=True,
                     outfile_prefix=str(tmp_path / 'res'))
    assert out == {}
    gt = LVISGroundTruth(data['gt'])
    dets = load_detections(str(tmp_path / 'res.segm.json'), with_bbox=True, with_masks=True)
    direct = run_metric(samples, ann_file=data['ann'], metric='segm',
                        plot_file=str(tmp_path / 'ap.png'))
    # the written records carry boxes, so both sides split sizes by box area
    assert results_segm_area(dets) == direct['lvis/segm_area'] == 'box'
    assert evaluate_lvis(gt, dets, 'segm', 'box').metrics['AP'] == direct['lvis/segm_AP']
    assert osp.isfile(str(tmp_path / 'res.bbox.json')) and osp.isfile(str(tmp_path / 'ap.png'))


def test_mask_scores_rank_masks(data):
    samples = data_samples(data['gt'], data['dets'])
    for s in samples:
        s['pred_instances']['mask_scores'] = 1 - s['pred_instances']['scores']
    out = run_metric(samples, ann_file=data['ann'], metric=['bbox', 'segm'])
    base = run_metric(data_samples(data['gt'], data['dets']), ann_file=data['ann'],
                      metric=['bbox', 'segm'])
    assert out['lvis/bbox_AP'] == base['lvis/bbox_AP']
    assert out['lvis/segm_AP'] < base['lvis/segm_AP']


def test_empty_predictions_and_errors(data):
    samples = data_samples(data['gt'], [])
    out = run_metric(samples, ann_file=data['ann'], metric=['bbox', 'segm'])
    assert out['lvis/bbox_AP'] == 0.0 and out['lvis/segm_AR@300'] == 0.0
    bad = data_samples(data['gt'], data['dets'][:3])
    bad[0]['pred_instances']['labels'][:] = 99
    with pytest.raises(ValueError, match='field "labels" holds 99, but .*lvis_val.json has 16'):
        run_metric(bad, ann_file=data['ann'], metric='bbox')
    metric = FastLVISMetric(ann_file=data['ann'])
    metric.dataset_meta = dict(classes=('a', 'b'))
    metric.process({}, samples[:2])
    with pytest.raises(ValueError, match='lvis_val.json: field "categories" has 16 entries'):
        metric.evaluate(2)
    boxes_only = data_samples(data['gt'], data['dets'][:3])
    for s in boxes_only:
        s['pred_instances'].pop('masks')
    with pytest.raises(ValueError, match='field "masks" is missing'):
        run_metric(boxes_only, ann_file=data['ann'], metric=['bbox', 'segm'])
    with pytest.raises(ValueError, match="segm_area must be in"):
        FastLVISMetric(ann_file=data['ann'], segm_area='pixels')
