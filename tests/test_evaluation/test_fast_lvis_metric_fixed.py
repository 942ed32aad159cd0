"""FastLVISMetric under the fixed and challenge2021 protocols, against the slow reference."""
from collections import defaultdict
from typing import Dict, List

import numpy as np
import pytest
import torch
from faster_coco_eval.core import mask as mask_api
from lvis_slow_reference import reference_eval
from lvis_synth import make_detections, make_lvis_gt, write_json

from ltr_mm.evaluation.metrics import FastLVISMetric

TOL = 1e-9


@pytest.fixture(scope='module')
def data(tmp_path_factory) -> dict:
    gt = make_lvis_gt(num_images=20, num_cats=12, seed=41, size_range=(40, 90))
    dets = make_detections(gt, seed=42, mean_dets=30, crowded_frac=0.1, crowded_dets=320)
    folder = tmp_path_factory.mktemp('lvis_fixed')
    return dict(gt=gt, dets=dets, ann=write_json(gt, str(folder / 'lvis_val.json')))


def samples_and_results(gt: dict, dets: List[dict]):
    """mmdet-style data samples (float32 tensors) and the results file mmdet would write."""
    label = {c['id']: i for i, c in enumerate(gt['categories'])}
    by_img: Dict[int, List[dict]] = defaultdict(list)
    for det in dets:
        by_img[det['image_id']].append(det)
    samples, results = [], []
    for img in gt['images']:
        items = by_img[img['id']]
        xywh = np.array([d['bbox'] for d in items], dtype=np.float32).reshape(-1, 4)
        boxes = np.concatenate([xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], 1)
        scores = np.array([d['score'] for d in items], dtype=np.float32)
        masks = np.stack([mask_api.decode(d['segmentation']) for d in items]).astype(bool) \
            if items else np.zeros((0, img['height'], img['width']), bool)
        samples.append(dict(img_id=img['id'], ori_shape=(img['height'], img['width']),
                            pred_instances=dict(
                                bboxes=torch.from_numpy(boxes), scores=torch.from_numpy(scores),
                                labels=torch.tensor([label[d['category_id']] for d in items],
                                                    dtype=torch.int64),
                                masks=torch.from_numpy(masks))))
        for d, box, score in zip(items, boxes.tolist(), scores.tolist()):
            results.append(dict(image_id=img['id'], category_id=d['category_id'], score=score,
                                bbox=[box[0], box[1], box[2] - box[0], box[3] - box[1]],
                                segmentation=d['segmentation']))
    return samples, results


def run_metric(samples: List[dict], **kwargs) -> dict:
    metric = FastLVISMetric(**kwargs)
    metric.dataset_meta = dict(classes=tuple(f'c{i}' for i in range(12)))
    for i in range(0, len(samples), 3):
        metric.process({}, samples[i:i + 3])
    assert metric.results == [] and metric._topk is not None
    return metric.evaluate(len(samples))


@pytest.mark.parametrize('protocol,caps,types', [
    ('fixed', dict(max_dets_per_cat=9), ('bbox', 'segm')),
    ('fixed', dict(max_dets=40, max_dets_per_cat=12), ('bbox', 'segm')),
    ('challenge2021', dict(max_dets_per_cat=9), ('bbox', 'boundary')),
])
def test_fixed_protocols_equal_the_reference(data, protocol, caps, types):
    samples, results = samples_and_results(data['gt'], data['dets'])
    out = run_metric(samples, ann_file=data['ann'], metric=['bbox', 'segm'],
                     protocol=protocol, **caps)
    im, cat = caps.get('max_dets', -1), caps['max_dets_per_cat']
    suffix = f'{cat}/cat' if im == -1 else f'{im}/im,{cat}/cat'
    for iou_type in types:
        ref, _ = reference_eval(data['gt'], results, iou_type, im, cat, 'box')
        assert f'AR@{suffix}' in ref
        for key, value in ref.items():
            assert abs(out[f'lvis/{iou_type}_{key}'] - value) <= TOL, (iou_type, key)
    assert out[f'lvis/{types[1]}_area'] == 'box'


def test_fixed_ap_keeps_only_the_top_k_per_category(data):
    samples, _ = samples_and_results(data['gt'], data['dets'])
    metric = FastLVISMetric(ann_file=data['ann'], metric='bbox', protocol='fixed',
                            max_dets_per_cat=5)
    for sample in samples:
        metric.process({}, [sample])
    metric._topk.merge()
    records = metric._topk.records()
    labels = np.concatenate([r['labels'] for r in records])
    assert np.bincount(labels).max() == 5
    assert [r['img_id'] for r in records] == [img['id'] for img in data['gt']['images']]
