"""Detections held as flat numpy arrays.

One :class:`LVISDetections` holds every detection of a run in a few arrays (image id,
category id, score, ``xywh`` box) plus one list of compressed-RLE ``counts`` strings, so
600k detections cost tens of megabytes instead of a dict each. Subsets made with
:meth:`LVISDetections.take` share the RLE strings with the original: masks are never copied.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Union

import numpy as np

RLECounts = Union[str, bytes]


@dataclass
class LVISDetections:
    """Detections of many images in flat arrays.

    Attributes:
        image_ids: (N,) int64 image id of each detection.
        category_ids: (N,) int64 dataset category id.
        scores: (N,) float64 confidence.
        bboxes: (N, 4) float64 boxes as ``[x, y, w, h]``, or ``None``.
        masks: N compressed-RLE ``counts`` (``str`` or ``bytes``), or ``None``.
        mask_sizes: (N, 2) int64 ``[height, width]`` of each RLE, or ``None``.
    """

    image_ids: np.ndarray
    category_ids: np.ndarray
    scores: np.ndarray
    bboxes: Optional[np.ndarray] = None
    masks: Optional[List[RLECounts]] = None
    mask_sizes: Optional[np.ndarray] = None

    def __len__(self) -> int:
        return len(self.image_ids)

    def take(self, index: np.ndarray) -> 'LVISDetections':
        """The detections at ``index`` (integer indices), sharing the RLE strings."""
        index = np.asarray(index, dtype=np.int64)
        masks = self.masks
        return LVISDetections(
            self.image_ids[index], self.category_ids[index], self.scores[index],
            None if self.bboxes is None else self.bboxes[index],
            None if masks is None else [masks[i] for i in index.tolist()],
            None if self.mask_sizes is None else self.mask_sizes[index])

    def with_scores(self, scores: np.ndarray) -> 'LVISDetections':
        """The same detections ranked by other ``scores`` (e.g. mask scores)."""
        return LVISDetections(self.image_ids, self.category_ids,
                              np.asarray(scores, dtype=np.float64), self.bboxes, self.masks,
                              self.mask_sizes)


def concat_detections(parts: Sequence[LVISDetections]) -> LVISDetections:
    """Concatenate detections of several images (all parts must carry the same fields)."""
    if not parts:
        return empty_detections()

    def cat(name: str) -> Optional[np.ndarray]:
        """Field ``name`` of all parts, concatenated (``None`` if the parts lack it)."""
        arrays = [getattr(p, name) for p in parts]
        return None if arrays[0] is None else np.concatenate(arrays)

    masks = None
    if parts[0].masks is not None:
        masks = [m for p in parts for m in p.masks]
    return LVISDetections(cat('image_ids'), cat('category_ids'), cat('scores'), cat('bboxes'),
                          masks, cat('mask_sizes'))


def empty_detections(with_bbox: bool = True, with_masks: bool = False) -> LVISDetections:
    """No detections, with the requested fields present."""
    return LVISDetections(
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64),
        np.zeros((0, 4), np.float64) if with_bbox else None, [] if with_masks else None,
        np.zeros((0, 2), np.int64) if with_masks else None)


def top_k_per_image(image_ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest-scoring detections of every image, in input order.

    Ties keep the earlier detection, as a stable descending sort does.
    """
    if len(image_ids) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-scores, image_ids))  # by image, then score descending, stable
    img_sorted = image_ids[order]
    starts = np.flatnonzero(np.r_[True, img_sorted[1:] != img_sorted[:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, counts)
    return np.sort(order[rank < k])
