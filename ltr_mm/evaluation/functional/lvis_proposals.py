"""Class-agnostic recall of region proposals on LVIS ground truth.

Every proposal competes for every ground-truth box of its image whatever the categories
(both sides are relabelled to one category), with the ``n`` best-scoring proposals per image
counting for ``AR@n``: the COCO proposal protocol. The federated rule does not apply, since
proposals have no category; recall only involves annotated objects, so it is well defined
on federated ground truth.
"""
from typing import Dict, Sequence

import numpy as np
from faster_coco_eval import COCOeval_faster

from .lvis_coco import make_coco, silent
from .lvis_detections import LVISDetections, top_k_per_image
from .lvis_gt import LVISGroundTruth
from .lvis_records import dt_records, gt_records


def evaluate_proposals(gt: LVISGroundTruth, dets: LVISDetections,
                       proposal_nums: Sequence[int] = (100, 300, 1000)) -> Dict[str, float]:
    """``AR@n`` for every ``n`` in ``proposal_nums`` and ``ARs/ARm/ARl@max(n)``.

    Args:
        gt: ground truth of the evaluated images.
        dets: proposals with boxes; their categories are ignored.
        proposal_nums: proposals per image that count.
    """
    if dets.bboxes is None or np.isnan(dets.bboxes).any():
        raise ValueError('proposal evaluation needs a "bbox" for every result')
    if not proposal_nums:
        raise ValueError('proposal_nums must name at least one proposal count')
    gt.check_ids(dets.image_ids, np.full(len(dets), gt.cat_ids[0]), 'results[].image_id')
    nums = sorted(int(n) for n in proposal_nums)
    dets = dets.take(top_k_per_image(dets.image_ids, dets.scores, nums[-1]))
    agnostic = int(gt.cat_ids[0])
    category = [dict(id=agnostic, name='object', frequency='f')]
    gts = gt_records(gt.annotations, np.arange(len(gt.annotations)), False, agnostic)
    dts = dt_records(dets, np.arange(len(dets)), 'bbox', category_id=agnostic,
                     area_filter=False)
    evaluator = COCOeval_faster(make_coco(gt.images, category, gts),
                                make_coco(gt.images, category, dts), 'bbox',
                                print_function=silent)
    evaluator.params.maxDets = nums
    evaluator.params.catIds = [agnostic]
    evaluator.evaluate()
    evaluator.accumulate()
    metrics = {f'AR@{n}': float(evaluator._summarize(0, maxDets=n)) for n in nums}
    for name, rng in (('ARs', 'small'), ('ARm', 'medium'), ('ARl', 'large')):
        metrics[f'{name}@{nums[-1]}'] = float(
            evaluator._summarize(0, areaRng=rng, maxDets=nums[-1]))
    return metrics
