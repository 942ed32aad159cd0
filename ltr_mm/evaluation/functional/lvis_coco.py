"""Run faster-coco-eval's LVIS mode on category groups, each over only its own images.

``COCOeval_faster`` scores every (image, category) pair of its ``imgIds x catIds`` grid, and
at LVIS scale (20k images x 1.2k categories) building and walking that grid costs far more
than the evaluation itself. A category's precision and recall depend only on the images
holding its ground truth or its (kept) detections, so the categories are split into groups,
each group is evaluated on the union of its categories' images, and the per-category
precision/recall slices are stitched back together. The result equals one run over the full
grid; faster-coco-eval's own ``summarize`` then produces the summary numbers. Timings of
the evaluator are in ``docs/benchmarks.md`` ("LVIS evaluation").
"""
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from faster_coco_eval import COCO, COCOeval_faster
from faster_coco_eval.core.cocoeval import Params

from .lvis_boundary import DILATION_RATIO
from .lvis_boundary_eval import BoundaryCOCOeval

Json = Dict[str, Any]
#: Upper bound on (image, category) pairs per group: small enough that no group walks a
#: large empty grid, large enough that the fixed cost per group stays negligible.
GROUP_PAIR_BUDGET = 2000


def silent(*args: Any, **kwargs: Any) -> None:
    """Print function that swallows faster-coco-eval's progress lines."""


def make_coco(images: List[Json], categories: List[Json], annotations: List[Json]) -> COCO:
    """A faster-coco-eval ``COCO`` built from records already in memory (no json trip)."""
    coco = COCO(print_function=silent)
    coco.dataset = dict(images=images, categories=categories, annotations=annotations)
    coco.createIndex()
    return coco


def category_groups(cat_index: np.ndarray, img_index: np.ndarray, num_cats: int,
                    budget: Optional[int] = None) -> List[Tuple[np.ndarray, np.ndarray]]:
    """Split categories into groups whose ``images x categories`` grid stays small.

    Args:
        cat_index: category index of every relevant (image, category) occurrence
            (ground truth and kept detections).
        img_index: image index of the same occurrences.
        num_cats: number of categories.
        budget: largest ``images x categories`` grid of a group (one category with more
            images than ``budget`` forms a group of its own). Defaults to
            :data:`GROUP_PAIR_BUDGET`.

    Returns:
        ``(category indices, image indices)`` per group, both sorted; every category that
        occurs appears in exactly one group.
    """
    budget = GROUP_PAIR_BUDGET if budget is None else budget
    num_imgs = int(img_index.max()) + 1 if len(img_index) else 1
    pairs = np.unique(cat_index.astype(np.int64) * num_imgs + img_index)
    pair_cat = pairs // num_imgs
    cats, starts, sizes = np.unique(pair_cat, return_index=True, return_counts=True)
    groups, current, total = [], [], 0
    for k in np.argsort(-sizes, kind='stable').tolist():
        if current and (total + sizes[k]) * (len(current) + 1) > budget:
            groups.append(current)
            current, total = [], 0
        current.append(k)
        total += int(sizes[k])
    if current:
        groups.append(current)
    out = []
    for group in groups:
        idx = np.sort(np.array(group))
        imgs = np.concatenate([pairs[starts[k]:starts[k] + sizes[k]] % num_imgs for k in idx])
        out.append((cats[idx], np.unique(imgs)))
    return out


def coco_iou_type(iou_type: str) -> str:
    """faster-coco-eval's iou type: ``boundary`` runs as ``segm`` with its own IoU."""
    return 'segm' if iou_type == 'boundary' else iou_type


def run_group(iou_type: str, images: List[Json], categories: List[Json], gts: List[Json],
              dts: List[Json], max_dets: int,
              dilation_ratio: float = DILATION_RATIO) -> Tuple[np.ndarray, np.ndarray]:
    """Evaluate one category group in faster-coco-eval's LVIS mode.

    Args:
        iou_type: ``'bbox'``, ``'segm'`` or ``'boundary'``.
        images: image records of the group (with ``neg_category_ids`` and
            ``not_exhaustive_category_ids``).
        categories: the group's category records (with ``frequency``).
        gts: ground-truth records of those categories on those images.
        dts: detection records, already through the three adapters.
        max_dets: detections per image and category that reach matching (at least the
            largest number of detections of one image).
        dilation_ratio: boundary width of ``boundary`` as a fraction of the image diagonal.

    Returns:
        precision ``[T, R, K, A]`` and recall ``[T, K, A]``, ``K`` the group's categories in
        id order.
    """
    gt_coco = make_coco(images, categories, gts)
    dt_coco = make_coco(images, categories, dts)
    if iou_type == 'boundary':
        evaluator = BoundaryCOCOeval(gt_coco, dt_coco, 'segm', lvis_style=True,
                                     print_function=silent, dilation_ratio=dilation_ratio)
    else:
        evaluator = COCOeval_faster(gt_coco, dt_coco, iou_type, lvis_style=True,
                                    print_function=silent)
    evaluator.params.maxDets = [max_dets]
    evaluator.params.imgIds = [img['id'] for img in images]
    evaluator.params.catIds = [cat['id'] for cat in categories]
    evaluator.evaluate()
    evaluator.accumulate()
    return evaluator.eval['precision'][..., -1], evaluator.eval['recall'][..., -1]


def evaluate_groups(iou_type: str, images: List[Json], categories: List[Json],
                    groups: Sequence[Tuple[np.ndarray, np.ndarray]],
                    group_records: Callable[[np.ndarray], Tuple[List[Json], List[Json]]],
                    max_dets: int, dilation_ratio: float = DILATION_RATIO
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Evaluate every group and stitch the per-category results together.

    Args:
        iou_type: ``'bbox'``, ``'segm'`` or ``'boundary'``.
        images: image records, indexed by the groups' image indices.
        categories: category records, indexed by the groups' category indices.
        groups: output of :func:`category_groups`.
        group_records: returns the ground-truth and detection records of the given
            category indices, built on demand so only one group is materialised at a time.
        max_dets: see :func:`run_group`.
        dilation_ratio: see :func:`run_group`.

    Returns:
        precision ``[T, R, K, A]`` and recall ``[T, K, A]`` over all categories,
        ``-1`` for categories in no group (no ground truth).
    """
    params = Params(iouType=coco_iou_type(iou_type))
    num_t, num_r, num_a = len(params.iouThrs), len(params.recThrs), len(params.areaRng)
    precision = -np.ones((num_t, num_r, len(categories), num_a))
    recall = -np.ones((num_t, len(categories), num_a))
    for cat_idx, img_idx in groups:
        gts, dts = group_records(cat_idx)
        prec, rec = run_group(iou_type, [images[i] for i in img_idx.tolist()],
                              [categories[k] for k in cat_idx.tolist()], gts, dts, max_dets,
                              dilation_ratio)
        precision[:, :, cat_idx] = prec
        recall[:, cat_idx] = rec
    return precision, recall


def summarize(iou_type: str, categories: List[Json], precision: np.ndarray,
              recall: np.ndarray, max_dets: int) -> Dict[str, float]:
    """faster-coco-eval's LVIS summary (``stats_as_dict``) of stitched results.

    Args:
        iou_type: ``'bbox'``, ``'segm'`` or ``'boundary'``.
        categories: every category record (frequency groups come from them).
        precision: ``[T, R, K, A]`` from :func:`evaluate_groups`.
        recall: ``[T, K, A]`` from :func:`evaluate_groups`.
        max_dets: the ``max_dets`` the groups ran with.
    """
    evaluator = COCOeval_faster(make_coco([], categories, []), None, coco_iou_type(iou_type),
                                lvis_style=True, print_function=silent)
    evaluator.params.maxDets = [max_dets]
    evaluator.params.catIds = [cat['id'] for cat in categories]
    evaluator.freq_groups = evaluator._prepare_freq_group()
    evaluator.eval = dict(precision=precision[..., None], recall=recall[..., None],
                          counts=list(precision.shape) + [1])
    evaluator.summarize()
    return evaluator.stats_as_dict
