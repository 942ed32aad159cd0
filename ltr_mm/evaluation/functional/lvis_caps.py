"""Detection caps of the LVIS protocols: per image, then per category over the dataset.

The standard protocol keeps the 300 highest-scoring detections of every image. Fixed AP
(Dave et al., 2021) drops the per-image cap and keeps, per category, the 10,000
highest-scoring detections over the whole dataset. When both caps are set the per-image cap
acts first, as in the official code.

Ties keep their input order in both caps. The per-image step of the official code also
regroups the detection list by image (images in order of first appearance), so when it is
active, equal scores of one category on different images are ordered by the first
appearance of their images before the per-category cap looks at them.
"""
from typing import Union

import numpy as np

from .lvis_detections import top_k_per_image

NO_CAP = -1


def check_cap(name: str, value: int) -> int:
    """``value`` as an int, if it is ``-1`` (no cap) or positive; ``ValueError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or (
            value != NO_CAP and value < 1):
        raise ValueError(f'{name} must be -1 (no cap) or a positive integer, got {value!r}')
    return int(value)


def first_appearance_rank(image_ids: np.ndarray) -> np.ndarray:
    """Rank of each detection's image in order of the images' first appearance."""
    if len(image_ids) == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, first, inverse = np.unique(image_ids, return_index=True, return_inverse=True)
    rank_of_uniq = np.empty(len(uniq), dtype=np.int64)
    rank_of_uniq[np.argsort(first, kind='stable')] = np.arange(len(uniq))
    return rank_of_uniq[inverse.reshape(-1)]


def top_k_per_category(category_ids: np.ndarray, scores: np.ndarray, k: int,
                       tie_key: Union[np.ndarray, None] = None) -> np.ndarray:
    """Indices of the ``k`` highest-scoring detections of every category, sorted.

    Args:
        category_ids: (N,) category of each detection.
        scores: (N,) scores.
        k: detections kept per category.
        tie_key: (N,) order among equal scores (smaller first); defaults to input order.
    """
    if len(category_ids) == 0:
        return np.zeros(0, dtype=np.int64)
    position = np.arange(len(scores)) if tie_key is None else tie_key
    order = np.lexsort((position, -scores, category_ids))
    cat_sorted = category_ids[order]
    starts = np.flatnonzero(np.r_[True, cat_sorted[1:] != cat_sorted[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return np.sort(order[rank < k])


def cap_detections(image_ids: np.ndarray, category_ids: np.ndarray, scores: np.ndarray,
                   max_dets: int = 300, max_dets_per_cat: int = NO_CAP) -> np.ndarray:
    """Indices (sorted) of the detections that survive both caps.

    Args:
        image_ids: (N,) image of each detection.
        category_ids: (N,) category of each detection.
        scores: (N,) scores.
        max_dets: detections kept per image, ``-1`` for no cap.
        max_dets_per_cat: detections kept per category over all images, ``-1`` for no cap.
    """
    max_dets = check_cap('max_dets', max_dets)
    max_dets_per_cat = check_cap('max_dets_per_cat', max_dets_per_cat)
    keep = np.arange(len(scores), dtype=np.int64)
    if max_dets != NO_CAP:
        keep = top_k_per_image(image_ids, scores, max_dets)
    if max_dets_per_cat != NO_CAP:
        tie_key = None
        if max_dets != NO_CAP:  # the per-image step regrouped the list by image
            tie_key = first_appearance_rank(image_ids)[keep] * (len(scores) + 1) + keep
        keep = keep[top_k_per_category(category_ids[keep], scores[keep], max_dets_per_cat,
                                       tie_key)]
    return keep


def recall_suffix(max_dets: int, max_dets_per_cat: int) -> str:
    """The suffix of the recall keys, named as the official code names them.

    ``300`` -> ``AR@300``; no per-image cap and 10,000 per category -> ``AR@10000/cat``;
    both -> ``AR@300/im,10000/cat``.
    """
    if max_dets_per_cat == NO_CAP:
        return f'{max_dets}'
    if max_dets == NO_CAP:
        return f'{max_dets_per_cat}/cat'
    return f'{max_dets}/im,{max_dets_per_cat}/cat'
