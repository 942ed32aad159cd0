"""Balanced Group Softmax maths (pure torch, no OpenMMLab import).

`BAGS <https://arxiv.org/abs/2006.10408>`_ splits the foreground classes into groups by
their training instance count and trains one softmax per group plus a 2-way
foreground / background softmax. Layout of the classifier output used by ltr_mm (mmdet 3.x
labels: foreground ``0..C-1``, background ``C``)::

    [ G_1: others, classes of G_1 | ... | G_K: others, classes of G_K | G_bg: fg, bg ]

* Foreground group ``k`` (``k = 0..K-1`` for ``K = len(bins) + 1`` groups) holds the classes
  with ``bins[k-1] <= n_c < bins[k]`` (``bins[-1] = 0``, ``bins[K-1] = inf``), in ascending
  label order, after the "others" slot at in-group index 0.
* The background group comes last: index 0 = "any foreground", index 1 = background.
* Empty groups are kept (a slice holding only "others"): the width is then
  ``C + K + 2`` whatever the counts, as in the original layout
  (``num_fg_classes + num_fg_groups + 2``); such a group never has a positive RoI, so it adds
  zero loss and no score.

Tables (:class:`GroupTables`): ``label2binlabel[g, y]`` is the in-group target of global label
``y`` in group ``g`` (rows: fg groups then bg group; 0 = others), ``pred_slice[g]`` is
``(start, length)`` of group ``g`` in the logits, ``group_labels[k]`` the labels of fg group
``k``.
"""
import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

DEFAULT_BINS = (10, 100, 1000)


@dataclass
class GroupTables:
    """Group layout derived from per-class counts; see the module docstring."""

    bins: Tuple[float, ...]
    num_classes: int
    group_labels: List[List[int]]
    label2binlabel: Tensor
    pred_slice: Tensor

    @property
    def num_fg_groups(self) -> int:
        """Number of foreground groups ``K`` (empty ones included)."""
        return len(self.group_labels)

    @property
    def num_channels(self) -> int:
        """Width of the classifier output, ``C + K + 2``."""
        return int(self.pred_slice[-1].sum())

    def group_names(self) -> List[str]:
        """Names of the fg groups in the seed's ``valsplit`` style (``'(0, 10)'``, ...)."""
        edges = [0, *self.bins, None]
        names = []
        for k in range(self.num_fg_groups):
            lo, hi = edges[k], edges[k + 1]
            hi_s = '~' if hi is None else _fmt(hi)
            names.append(f'(0, {hi_s})' if k == 0 else f'[{_fmt(lo)}, {hi_s})')
        return names


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def check_bins(bins: Sequence[float]) -> Tuple[float, ...]:
    """Return ``bins`` as a tuple; ValueError unless they are positive and strictly rising."""
    bins = tuple(bins)
    if not bins or any(b <= 0 for b in bins) or any(
            b1 >= b2 for b1, b2 in zip(bins, bins[1:])):
        raise ValueError(f'bins must be positive and strictly increasing, got {bins}')
    return bins


def num_group_channels(num_classes: int, bins: Sequence[float] = DEFAULT_BINS) -> int:
    """Classifier width for ``num_classes`` classes: ``C + (len(bins) + 1) + 2``."""
    return num_classes + len(check_bins(bins)) + 3


def assign_groups(counts: Sequence[int], bins: Sequence[float] = DEFAULT_BINS) -> List[int]:
    """Foreground group of each class: ``k`` such that ``bins[k-1] <= n_c < bins[k]``.

    Args:
        counts: training instance count of each class (label order).
        bins: group edges. Defaults to ``(10, 100, 1000)`` (4 groups).

    Returns:
        list[int]: group index in ``0..len(bins)`` per class.
    """
    bins = check_bins(bins)
    out = []
    for i, n in enumerate(counts):
        if n < 0 or not math.isfinite(n):
            raise ValueError(f'counts[{i}] = {n!r} is not a non-negative count')
        out.append(bisect_right(bins, n))
    return out


def build_group_tables(counts: Sequence[int],
                       bins: Sequence[float] = DEFAULT_BINS) -> GroupTables:
    """Build the BAGS label tables for ``C = len(counts)`` classes.

    Args:
        counts: training instance count of each class, in label order.
        bins: group edges. Defaults to ``(10, 100, 1000)``.

    Returns:
        GroupTables: ``label2binlabel`` (long, ``(K + 1, C + 1)``), ``pred_slice`` (long,
        ``(K + 1, 2)``) and the labels of each fg group.
    """
    bins = check_bins(bins)
    counts = [int(n) for n in counts]
    num_classes, num_groups = len(counts), len(bins) + 1
    group_of = assign_groups(counts, bins)
    group_labels: List[List[int]] = [[] for _ in range(num_groups)]
    for label, k in enumerate(group_of):
        group_labels[k].append(label)
    label2binlabel = torch.zeros(num_groups + 1, num_classes + 1, dtype=torch.long)
    for k, labels in enumerate(group_labels):
        for idx, label in enumerate(labels, start=1):
            label2binlabel[k, label] = idx
    label2binlabel[num_groups, num_classes] = 1  # bg group: 0 = any fg, 1 = background
    lengths = [1 + len(labels) for labels in group_labels] + [2]
    starts = [sum(lengths[:g]) for g in range(len(lengths))]
    pred_slice = torch.tensor(list(zip(starts, lengths)), dtype=torch.long)
    return GroupTables(bins, num_classes, group_labels, label2binlabel, pred_slice)


def sample_others(binlabels: Tensor, ratio: float, valid: Optional[Tensor] = None,
                  generator: Optional[torch.Generator] = None) -> Tensor:
    """Weights of one fg group: positives plus ``floor(ratio * #pos)`` random "others".

    Args:
        binlabels: in-group labels of the RoIs, shape ``(R,)`` (0 = others).
        ratio: others per positive (beta). ``k >= #others`` keeps every other.
        valid: RoIs that may be used (e.g. label weight > 0). Defaults to all.
        generator: torch generator for the draw. Defaults to torch's global one, so the
            runner seed makes it reproducible.

    Returns:
        Tensor: float weights ``(R,)`` in {0, 1}; all zero if the group has no positive.
    """
    valid = torch.ones_like(binlabels, dtype=torch.bool) if valid is None else valid.bool()
    pos = (binlabels > 0) & valid
    weights = pos.float()
    num_pos = int(pos.sum())
    if num_pos == 0:
        return weights
    others = torch.nonzero((binlabels == 0) & valid, as_tuple=False).squeeze(1)
    k = int(math.floor(num_pos * ratio))
    if k >= others.numel():
        weights[others] = 1.
    elif k > 0:
        perm = torch.randperm(others.numel(), generator=generator)[:k]
        weights[others[perm.to(others.device)]] = 1.
    return weights


def group_targets(labels: Tensor, tables: GroupTables, ratio: float,
                  label_weight: Optional[Tensor] = None,
                  generator: Optional[torch.Generator] = None) -> Tuple[Tensor, Tensor]:
    """In-group targets and weights of every group.

    Args:
        labels: mmdet 3.x labels ``(R,)``, background = ``C``.
        tables: group tables.
        ratio: others sampling ratio beta.
        label_weight: per-RoI weights ``(R,)``; RoIs with weight 0 are never used, the others
            are scaled by their weight. Defaults to ones.
        generator: torch generator for the others draw.

    Returns:
        tuple[Tensor, Tensor]: ``binlabels`` (long) and ``weights`` (float), both
        ``(K + 1, R)``; the bg group (last row) keeps every valid RoI.
    """
    l2b = tables.label2binlabel.to(labels.device)
    binlabels = l2b[:, labels.long()]
    if label_weight is None:
        label_weight = torch.ones(labels.shape, device=labels.device)
    label_weight = label_weight.float()
    valid = label_weight > 0
    rows = [
        sample_others(binlabels[g], ratio, valid, generator)
        for g in range(tables.num_fg_groups)
    ]
    rows.append(valid.float())
    weights = torch.stack(rows) * label_weight
    return binlabels, weights


def group_ce(cls_score: Tensor, binlabels: Tensor, tables: GroupTables) -> Tensor:
    """Softmax cross-entropy of each group's logit slice against its in-group target.

    Returns:
        Tensor: ``(K + 1, R)`` unweighted losses.
    """
    out = []
    for g, (start, length) in enumerate(tables.pred_slice.tolist()):
        logits = cls_score[:, start:start + length]
        out.append(F.cross_entropy(logits, binlabels[g], reduction='none'))
    return torch.stack(out) if out else cls_score.new_zeros(0, cls_score.size(0))


def bags_loss(cls_score: Tensor, labels: Tensor, tables: GroupTables, ratio: float = 8.0,
              label_weight: Optional[Tensor] = None, reduction: str = 'mean',
              generator: Optional[torch.Generator] = None) -> Tensor:
    """BAGS classification loss.

    ``mean``: ``sum_g sum_r w_gr CE_gr / max(sum_r w_gr, 1)`` (each group averaged over its
    own sampled RoIs, groups summed: the paper's loss). ``sum``: ``sum_g sum_r w_gr CE_gr``.
    ``none``: ``sum_g w_gr CE_gr`` per RoI, shape ``(R,)``. A group without positives has
    zero weight, so it adds zero loss while the graph stays connected.

    Args:
        cls_score: logits ``(R, C + K + 2)``.
        labels: mmdet 3.x labels ``(R,)``.
        tables: group tables.
        ratio: others sampling ratio beta. Defaults to 8.
        label_weight: per-RoI weights ``(R,)``. Defaults to ones.
        reduction: ``'none'``, ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        generator: torch generator for the others draw.
    """
    if cls_score.size(-1) != tables.num_channels:
        raise ValueError(f'cls_score has {cls_score.size(-1)} channels, the BAGS layout '
                         f'needs {tables.num_channels}')
    binlabels, weights = group_targets(labels, tables, ratio, label_weight, generator)
    weighted = group_ce(cls_score, binlabels, tables) * weights
    anchor = cls_score.sum() * 0.  # keeps a gradient path for empty batches
    if reduction == 'none':
        return weighted.sum(0) + anchor
    if reduction == 'sum':
        return weighted.sum() + anchor
    if reduction == 'mean':
        return (weighted.sum(1) / weights.sum(1).clamp(min=1.)).sum() + anchor
    raise ValueError(f'unknown reduction {reduction!r}')


def merge_group_scores(cls_score: Tensor, tables: GroupTables) -> Tensor:
    """Merge group logits into ``C + 1`` scores, background last (paper's inference rule).

    Score of class ``c`` in group ``g`` = ``p(fg) * softmax(slice_g)[idx_g(c)]``; "others"
    are dropped; background = ``p(bg)``. Probabilities are computed once (no re-softmax) and
    a row does not sum to 1; what holds for every group ``g`` is
    ``p(bg) + sum_{c in g} s_c + p(fg) * p_g(others) = 1``.

    Args:
        cls_score: logits ``(R, C + K + 2)``.
        tables: group tables.

    Returns:
        Tensor: ``(R, C + 1)`` scores.
    """
    slices = tables.pred_slice.tolist()
    start, length = slices[-1]
    p_bg_group = F.softmax(cls_score[:, start:start + length], dim=-1)
    p_fg, p_bg = p_bg_group[:, :1], p_bg_group[:, 1:]
    scores = cls_score.new_zeros(cls_score.size(0), tables.num_classes + 1)
    for (start, length), labels in zip(slices[:-1], tables.group_labels):
        if not labels:
            continue
        probs = F.softmax(cls_score[:, start:start + length], dim=-1)[:, 1:]
        index = torch.as_tensor(labels, device=cls_score.device)
        scores[:, index] = p_fg * probs
    scores[:, -1:] = p_bg
    return scores


def original_layout(tables: GroupTables) -> dict:
    """The seed's tables (mmdet v1 labels: background 0, class ``c`` is ``c + 1``).

    Returns:
        dict: ``label2binlabel`` ``(K + 1, C + 1)`` with the bg group first (row 0: 0 for
        background, 1 for every class), ``pred_slice`` ``(K + 1, 2)`` with the bg slice
        ``(0, 2)`` first, and ``valsplit``: group name -> v1 labels, plus ``'normal'``,
        ``'background'`` and ``'all'``.
    """
    num_classes, num_groups = tables.num_classes, tables.num_fg_groups
    l2b = torch.zeros(num_groups + 1, num_classes + 1, dtype=torch.long)
    l2b[0, 1:] = 1
    l2b[1:, 1:] = tables.label2binlabel[:num_groups, :num_classes]
    lengths = [2] + [1 + len(labels) for labels in tables.group_labels]
    starts = [sum(lengths[:g]) for g in range(len(lengths))]
    valsplit = {
        name: [label + 1 for label in labels]
        for name, labels in zip(tables.group_names(), tables.group_labels)
    }
    valsplit.update(normal=list(range(1, num_classes + 1)), background=[0],
                    all=list(range(num_classes + 1)))
    return dict(label2binlabel=l2b,
                pred_slice=torch.tensor(list(zip(starts, lengths)), dtype=torch.long),
                valsplit=valsplit)
