"""Per-category top-K of detections over a whole test set, with bounded memory.

Fixed AP scores the ``K`` (10,000) highest-scoring detections of every category over the
dataset, so a detector tested for it keeps far more than 300 detections per image. Holding
all of them until the end costs tens of gigabytes at LVIS scale; :class:`CategoryTopK` keeps
only what can still be among a category's top ``K``:

- survivors live in flat arrays (image id, label, score, box, arrival number); new
  detections are staged and merged in batches, each merge keeping the top ``K`` per
  category (ties: earlier arrival first, the order a results file would list them);
- after a merge, a category with ``K`` survivors gets a threshold, its ``K``-th score; a new
  detection at or below it can never enter (it would lose the tie), so it is dropped on
  arrival, before its mask is encoded: masks are RLE-encoded only for detections that pass.

With ``mask_scores`` (a mask-scoring head) a detection survives if it is in the top ``K``
by either score, so both the box and the mask evaluation find their top ``K``.

Memory is ``K x categories`` survivors plus one staged batch; the selection equals the
per-category cap of :func:`~.lvis_caps.cap_detections` applied to everything, in arrival
order.
"""
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

from .lvis_caps import check_cap

_FIELDS = ('img', 'label', 'score', 'mask_score', 'box', 'seq', 'size')


def _rank_in_group(group: np.ndarray, score: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Rank of every row within its group by score (descending), then ``seq``."""
    order = np.lexsort((seq, -score, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return rank


def _kth_scores(label: np.ndarray, score: np.ndarray, rank: np.ndarray, k: int,
                size: int) -> np.ndarray:
    """Per label: the score of rank ``k - 1`` (``-inf`` where fewer than ``k`` rows)."""
    out = np.full(size, -np.inf)
    at_k = rank == k - 1
    out[label[at_k]] = score[at_k]
    return out


class CategoryTopK:
    """The ``k`` highest-scoring detections of every label, fed one image at a time.

    Args:
        k: detections kept per label over all images.
        merge_size: staged detections that trigger a merge; a merge also waits until the
            staged batch is at least half the survivors, so merges stay few.
    """

    def __init__(self, k: int = 10000, merge_size: int = 1 << 20) -> None:
        self.k = check_cap('k', k)
        if self.k < 1:
            raise ValueError(f'CategoryTopK needs k >= 1, got {k}')
        self.merge_size = int(merge_size)
        self.thresholds = np.full(0, -np.inf)
        self.mask_thresholds = np.full(0, -np.inf)
        self.image_ids: List[int] = []
        self._kept: Dict[str, Any] = {}
        self._kept_masks: Optional[List[Any]] = None
        self._staged: Dict[str, List[np.ndarray]] = {f: [] for f in _FIELDS}
        self._staged_masks: List[Any] = []
        self._num_staged = 0
        self._seq = 0
        self.with_masks = False

    def __len__(self) -> int:
        """Detections held (survivors and staged)."""
        return len(self._kept.get('seq', ())) + self._num_staged

    def _grow(self, num_labels: int) -> None:
        if num_labels > len(self.thresholds):
            pad = np.full(num_labels - len(self.thresholds), -np.inf)
            self.thresholds = np.concatenate([self.thresholds, pad])
            self.mask_thresholds = np.concatenate([self.mask_thresholds, pad])

    def add(self, img_id: int, labels: np.ndarray, scores: np.ndarray, bboxes: np.ndarray,
            encode_masks: Optional[Callable[[np.ndarray], Sequence[Any]]] = None,
            mask_size: Optional[Sequence[int]] = None,
            mask_scores: Optional[np.ndarray] = None) -> int:
        """Offer the detections of one image; returns how many were staged.

        Args:
            img_id: the image.
            labels: (N,) dataset label of each detection (``0 .. num_classes - 1``).
            scores: (N,) scores.
            bboxes: (N, 4) boxes (any layout; kept as given).
            encode_masks: called with the indices of the detections that pass, returns
                their encoded masks (e.g. RLE ``counts``); ``None`` for box-only models.
            mask_size: ``(h, w)`` of the masks.
            mask_scores: (N,) mask scores, if the model has a mask-scoring head.
        """
        self.image_ids.append(int(img_id))
        self.with_masks |= encode_masks is not None
        labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        scores = np.asarray(scores, dtype=np.float64).reshape(-1)
        if len(labels) == 0:
            return 0
        if labels.min() < 0:
            raise ValueError(f'CategoryTopK: image {img_id} has label {int(labels.min())}')
        self._grow(int(labels.max()) + 1)
        passed = scores > self.thresholds[labels]
        mscores = None
        if mask_scores is not None:
            mscores = np.asarray(mask_scores, dtype=np.float64).reshape(-1)
            passed |= mscores > self.mask_thresholds[labels]
        index = np.flatnonzero(passed)
        n = len(index)
        seq = np.arange(self._seq, self._seq + len(labels))[index]
        self._seq += len(labels)
        if n == 0:
            return 0
        staged = self._staged
        staged['img'].append(np.full(n, int(img_id), dtype=np.int64))
        staged['label'].append(labels[index].astype(np.int32))
        staged['score'].append(scores[index])
        if mscores is not None:
            staged['mask_score'].append(mscores[index])
        staged['box'].append(np.asarray(bboxes).reshape(-1, 4)[index])
        staged['seq'].append(seq)
        if encode_masks is not None:
            staged['size'].append(np.tile(np.asarray(mask_size, dtype=np.int64), (n, 1)))
            self._staged_masks.extend(encode_masks(index))
        self._num_staged += n
        if self._num_staged >= max(self.merge_size, len(self._kept.get('seq', ())) // 2):
            self.merge()
        return n

    def merge(self) -> None:
        """Fold the staged detections into the survivors and raise the thresholds."""
        if self._num_staged == 0:
            return
        parts = {f: ([self._kept[f]] if f in self._kept else []) + self._staged[f]
                 for f in _FIELDS if self._staged[f]}
        cols = {f: np.concatenate(v) for f, v in parts.items()}
        masks = None
        if self._staged_masks:
            masks = (self._kept_masks or []) + self._staged_masks
        size = len(self.thresholds)
        rank = _rank_in_group(cols['label'], cols['score'], cols['seq'])
        keep = rank < self.k
        self.thresholds = _kth_scores(cols['label'], cols['score'], rank, self.k, size)
        if 'mask_score' in cols:
            mrank = _rank_in_group(cols['label'], cols['mask_score'], cols['seq'])
            keep |= mrank < self.k
            self.mask_thresholds = _kth_scores(cols['label'], cols['mask_score'], mrank,
                                               self.k, size)
        else:
            self.mask_thresholds = self.thresholds.copy()
        index = np.flatnonzero(keep)
        self._kept = {f: v[index] for f, v in cols.items()}
        self._kept_masks = None if masks is None else [masks[i] for i in index.tolist()]
        self._staged = {f: [] for f in _FIELDS}
        self._staged_masks = []
        self._num_staged = 0

    def records(self) -> List[Dict[str, Any]]:
        """Per-image raw results of the survivors, every offered image included.

        Records follow :mod:`.lvis_results_io` (``img_id``, ``bboxes``, ``scores``,
        ``labels`` and, with masks, ``masks``, ``mask_size``, ``mask_scores``), in the order
        the images were offered, detections in arrival order.
        """
        self.merge()
        kept = self._kept
        runs: Dict[int, List[np.ndarray]] = {}
        if kept:
            order = np.argsort(kept['seq'], kind='stable')  # arrival order: images in runs
            img_sorted = kept['img'][order]
            starts = np.flatnonzero(np.r_[True, img_sorted[1:] != img_sorted[:-1]])
            for lo, hi in zip(starts.tolist(), np.r_[starts[1:], len(order)].tolist()):
                runs.setdefault(int(img_sorted[lo]), []).append(order[lo:hi])
        out: List[Dict[str, Any]] = []
        for img_id in dict.fromkeys(self.image_ids):
            if img_id not in runs:
                rec = dict(img_id=img_id, bboxes=np.zeros((0, 4)), scores=np.zeros(0),
                           labels=np.zeros(0, dtype=np.int64))
                if self.with_masks:
                    rec.update(masks=[], mask_size=(0, 0), mask_scores=np.zeros(0))
                out.append(rec)
                continue
            idx = np.concatenate(runs[img_id])
            rec = dict(img_id=img_id, bboxes=kept['box'][idx], scores=kept['score'][idx],
                       labels=kept['label'][idx])
            if self.with_masks:
                rec['masks'] = [self._kept_masks[i] for i in idx.tolist()]
                rec['mask_size'] = tuple(int(v) for v in kept['size'][idx[0]])
                rec['mask_scores'] = kept.get('mask_score', kept['score'])[idx]
            out.append(rec)
        return out
