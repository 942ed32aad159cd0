"""Caps (order, ties, key names), presets, boundary masks and the running per-category top-K."""
import numpy as np
import pytest
from faster_coco_eval.core import mask as mask_api
from lvis_slow_reference import apply_caps, boundary_by_erosions, reference_eval

from ltr_mm.evaluation.functional import (
    LVISGroundTruth,
    boundary_width,
    cap_detections,
    evaluate_lvis,
    load_detections,
    mask_boundary,
    recall_suffix,
    resolve_protocol,
    rle_boundary,
    top_k_per_category,
)
from ltr_mm.evaluation.functional.lvis_topk import CategoryTopK


def _det(img, cat, score, box=(10.0, 10.0, 20.0, 20.0)):
    return dict(image_id=img, category_id=cat, score=score, bbox=list(box))


def _two_image_gt():
    images = [dict(id=i, width=100, height=100, neg_category_ids=[],
                   not_exhaustive_category_ids=[]) for i in (1, 2)]
    anns = [dict(id=1, image_id=1, category_id=1, bbox=[10, 10, 20, 20], area=400),
            dict(id=2, image_id=1, category_id=2, bbox=[50, 50, 20, 20], area=400),
            dict(id=3, image_id=2, category_id=2, bbox=[10, 10, 20, 20], area=400)]
    cats = [dict(id=1, frequency='r'), dict(id=2, frequency='f')]
    return dict(images=images, annotations=anns, categories=cats)


def test_per_image_cap_acts_before_the_per_category_cap():
    # per image first: image 1 keeps its 0.9 (cat 1), image 2 its 0.7 (cat 2); then one per
    # category keeps both. Per category first would keep 0.9 and 0.8, then image 1 only 0.9.
    dets = [_det(1, 1, 0.9), _det(1, 2, 0.8, (50, 50, 20, 20)), _det(2, 2, 0.7)]
    arrays = load_detections(dets)
    assert cap_detections(arrays.image_ids, arrays.category_ids, arrays.scores, 1,
                          1).tolist() == [0, 2]
    gt = _two_image_gt()
    ours = evaluate_lvis(LVISGroundTruth(gt), arrays, 'bbox', 'mask', 1, 1)
    ref, ref_cat = reference_eval(gt, dets, 'bbox', 1, 1)
    assert ours.metrics == pytest.approx(ref, abs=1e-12)
    # category 2 finds its image-2 object (recall 1/2, precision 1 up to recall 0.5)
    assert ref_cat.tolist() == pytest.approx([1.0, 51 / 101])
    reversed_order = [dets[0]]  # what per-category-first would leave
    assert reference_eval(gt, reversed_order, 'bbox', 1, 1)[0]['AP'] != ref['AP']
    assert set(ours.metrics) >= {'AR@1/im,1/cat', 'ARs@1/im,1/cat'}


def test_category_cap_ties_follow_the_per_image_regrouping():
    # equal scores of one category, interleaved over images A=1 and B=2
    dets = [_det(1, 1, 0.5), _det(2, 1, 0.5), _det(1, 1, 0.5), _det(2, 1, 0.9)]
    a = load_detections(dets)
    both = cap_detections(a.image_ids, a.category_ids, a.scores, 300, 2)
    only_cat = cap_detections(a.image_ids, a.category_ids, a.scores, -1, 2)
    assert both.tolist() == [0, 3]  # list regrouped by image: A's two 0.5s come first
    assert only_cat.tolist() == [0, 3]
    assert cap_detections(a.image_ids, a.category_ids, a.scores, -1, 3).tolist() == [0, 1, 3]
    assert cap_detections(a.image_ids, a.category_ids, a.scores, 300, 3).tolist() == [0, 2, 3]
    position = {id(d): i for i, d in enumerate(dets)}
    ids = lambda kept: sorted(position[id(d)] for d in kept)  # noqa: E731
    assert ids(apply_caps(dets, 300, 3)) == [0, 2, 3]
    assert ids(apply_caps(dets, -1, 3)) == [0, 1, 3]
    assert top_k_per_category(np.array([5, 5, 5]), np.array([0.1, 0.3, 0.3]),
                              1).tolist() == [1]


def test_recall_key_names_and_presets():
    assert recall_suffix(300, -1) == '300'
    assert recall_suffix(-1, 10000) == '10000/cat'
    assert recall_suffix(300, 10000) == '300/im,10000/cat'
    std, fixed, chal = (resolve_protocol(p) for p in ('standard', 'fixed', 'challenge2021'))
    assert (std.max_dets, std.max_dets_per_cat, std.boundary) == (300, -1, False)
    assert (fixed.max_dets, fixed.max_dets_per_cat, fixed.boundary) == (-1, 10000, False)
    assert (chal.max_dets, chal.max_dets_per_cat, chal.boundary) == (-1, 10000, True)
    assert chal.iou_types(['bbox', 'segm']) == ['bbox', 'boundary']
    assert fixed.iou_types(['segm', 'boundary']) == ['segm', 'boundary']
    custom = resolve_protocol('fixed', max_dets=300)
    assert (custom.name, custom.max_dets, custom.max_dets_per_cat) == ('custom', 300, 10000)
    assert resolve_protocol('standard', max_dets=300).name == 'standard'
    assert fixed.caps_text() == 'no per-image cap, 10000 detections per category'
    with pytest.raises(ValueError, match="protocol must be one of"):
        resolve_protocol('fixed-ap')
    with pytest.raises(ValueError, match='max_dets_per_cat must be -1 .* got 0'):
        resolve_protocol('fixed', max_dets_per_cat=0)


def _rect(h, w, y0, y1, x0, x1):
    mask = np.zeros((h, w), dtype=np.uint8)
    mask[y0:y1, x0:x1] = 1
    return mask


def test_boundary_width_rounds_the_diagonal():
    assert boundary_width(10, 10) == 1  # 0.28 -> at least 1
    assert boundary_width(300, 400) == 10
    assert boundary_width(400, 500) == 13  # 12.81
    assert boundary_width(30, 40, 0.05) == 2  # 2.5 rounds half to even, as Python does


@pytest.mark.parametrize('mask,expected', [
    # one-pixel object: all of it is boundary
    (_rect(10, 10, 4, 5, 6, 7), _rect(10, 10, 4, 5, 6, 7)),
    # d = 1 on a 6x6 image filled with ones: the image border is boundary, a 4x4 core not
    (np.ones((6, 6), np.uint8), np.ones((6, 6), np.uint8) - _rect(6, 6, 1, 5, 1, 5)),
    # d = 13 (400 x 500), rectangle touching the left and top border
    (_rect(400, 500, 0, 200, 0, 300),
     _rect(400, 500, 0, 200, 0, 300) - _rect(400, 500, 13, 187, 13, 287)),
    # d = 1, object touching the right border only
    (_rect(8, 9, 2, 7, 4, 9), _rect(8, 9, 2, 7, 4, 9) - _rect(8, 9, 3, 6, 5, 8)),
])
def test_boundary_masks_by_hand(mask, expected):
    assert np.array_equal(mask_boundary(mask), expected)
    assert np.array_equal(boundary_by_erosions(mask), expected)


def test_boundary_masks_equal_repeated_erosions_on_random_shapes():
    rng = np.random.default_rng(5)
    for trial in range(40):
        h, w = (int(v) for v in rng.integers(1, 120, 2))
        mask = (rng.random((h, w)) < rng.uniform(0.4, 0.95)).astype(np.uint8)
        ratio = float(rng.choice([0.02, 0.06, 0.15]))
        assert np.array_equal(mask_boundary(mask, ratio), boundary_by_erosions(mask, ratio)), trial
    empty = np.zeros((7, 5), np.uint8)
    assert not mask_boundary(empty).any()
    mask = _rect(50, 60, 5, 40, 10, 59)
    rle = mask_api.encode(np.asfortranarray(mask))
    assert np.array_equal(mask_api.decode(rle_boundary(rle)), mask_boundary(mask))


def test_category_top_k_equals_the_cap_over_everything_and_encodes_only_survivors():
    rng = np.random.default_rng(7)
    for trial in range(20):
        k, num_cls = int(rng.integers(1, 25)), int(rng.integers(1, 6))
        selector = CategoryTopK(k, merge_size=int(rng.integers(1, 40)))
        offered, encoded = [], []
        for img in range(int(rng.integers(1, 30))):
            n = int(rng.integers(0, 20))
            labels = rng.integers(0, num_cls, n)
            scores = np.round(rng.random(n), 1)  # many ties
            boxes = rng.random((n, 4))

            def encode(index, img=img):
                encoded.extend((img, i) for i in index.tolist())
                return [f'{img}/{i}' for i in index.tolist()]
            selector.add(100 + img, labels, scores, boxes, encode, (4, 5))
            offered += [(100 + img, i, int(c), float(s)) for i, (c, s) in
                        enumerate(zip(labels, scores))]
        keep = top_k_per_category(np.array([o[2] for o in offered], np.int64),
                                  np.array([o[3] for o in offered]), k)
        want = [offered[i] for i in keep.tolist()]
        records = selector.records()
        assert [r['img_id'] for r in records] == sorted({o[0] for o in offered} |
                                                        {100 + i for i in range(len(records))})
        got = [(r['img_id'], int(m.split('/')[1]), int(c), float(s)) for r in records
               for m, c, s in zip(r['masks'], r['labels'], r['scores'])]
        assert got == want, trial
        assert len(encoded) == len(set(encoded))
    # once a category holds k detections, one at or below its k-th score is never encoded
    calls = []
    selector = CategoryTopK(2, merge_size=1)
    for img, scores in ((1, [0.9, 0.8]), (2, [0.8, 0.5, 0.95])):
        selector.add(img, np.zeros(len(scores), np.int64), np.array(scores), np.zeros((3, 4)),
                     lambda idx, img=img: calls.append((img, idx.tolist())) or ['m'] * len(idx),
                     (3, 3))
    assert calls == [(1, [0, 1]), (2, [2])]
    assert [r['scores'].tolist() for r in selector.records()] == [[0.9], [0.95]]


def test_category_top_k_keeps_the_union_of_box_and_mask_score_rankings():
    selector = CategoryTopK(1)
    selector.add(1, np.array([0, 0]), np.array([0.9, 0.1]), np.zeros((2, 4)),
                 lambda idx: [f'm{i}' for i in idx.tolist()], (2, 2), np.array([0.1, 0.8]))
    selector.add(2, np.array([0]), np.array([0.5]), np.zeros((1, 4)),
                 lambda idx: [f'n{i}' for i in idx.tolist()], (2, 2), np.array([0.5]))
    records = selector.records()
    assert [r['masks'] for r in records] == [['m0', 'm1'], []]
