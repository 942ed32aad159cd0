"""Per-sample cross-entropy with class weights and soft targets (pure torch).

Targets are dense ``(N, K)`` rows (one-hot for hard labels), so hard labels, mixed / soft
labels and mmdet's background column share one code path. For a hard label ``y`` the softmax
form equals ``F.cross_entropy(z, y, weight=w, reduction='none')``.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor


def dense_targets(label: Tensor, num_classes: int, num_columns: int,
                  softmax: bool = True) -> Tensor:
    """Turn labels into dense targets with ``num_classes + 1`` columns (background last).

    Args:
        label: hard labels ``(N,)`` in ``[0, num_classes]`` (``num_classes`` = background), or
            soft targets ``(N, num_classes)`` / ``(N, num_classes + 1)``.
        num_classes: number of foreground classes ``C``.
        num_columns: columns of the classifier output, ``C`` or ``C + 1``.
        softmax: whether the targets feed a softmax, which needs a background column for
            background labels; sigmoid classifiers with ``C`` columns read a background
            label as all-zero targets. Defaults to True.

    Returns:
        Tensor: float targets of shape ``(N, C + 1)``; the last column is the background.

    Raises:
        ValueError: on labels out of range or soft targets of the wrong width.
    """
    if label.dim() == 2:
        if label.size(1) not in (num_classes, num_classes + 1):
            raise ValueError(f'soft targets have {label.size(1)} columns, expected '
                             f'{num_classes} or {num_classes + 1}')
        return F.pad(label.float(), (0, num_classes + 1 - label.size(1)))
    label = label.reshape(-1).long()
    if label.numel() and (label.min() < 0 or label.max() > num_classes):
        raise ValueError(f'labels must be in [0, {num_classes}], got '
                         f'[{int(label.min())}, {int(label.max())}]')
    if softmax and num_columns == num_classes and label.numel() and label.max() == num_classes:
        raise ValueError(f'label {num_classes} (background) needs {num_classes + 1} columns, '
                         f'the classifier has {num_columns}')
    return F.one_hot(label, num_classes + 1).float()


def softmax_ce(cls_score: Tensor, targets: Tensor,
               class_weight: Optional[Tensor] = None) -> Tensor:
    """Per-sample ``-sum_c w_c t_c log softmax(z)_c``.

    Args:
        cls_score: logits ``(N, K)``.
        targets: dense targets ``(N, K)``.
        class_weight: per-column weights ``(K,)``. Defaults to None (all one).

    Returns:
        Tensor: shape ``(N,)``.
    """
    targets = targets.to(cls_score.dtype)
    if class_weight is not None:
        targets = targets * class_weight.to(cls_score.dtype)
    return -(targets * F.log_softmax(cls_score, dim=1)).sum(dim=1)


def mean_sample_weight(targets: Tensor, class_weight: Tensor,
                       row_weight: Optional[Tensor] = None) -> Tensor:
    """Batch mean of the class weight of each sample, over the rows that count.

    The class weight of sample ``i`` is ``s_i = sum_c t_ic w_c`` (``w_{y_i}`` for a hard label).
    The mean is weighted by the per-sample weights ``r_i``: ``sum_i r_i s_i / sum_i r_i``, so
    rows with ``r_i = 0`` (ignored samples) do not count; without ``row_weight`` it is the plain
    mean. Dividing ``sum_i r_i s_i l_i / sum_i r_i`` by it gives the weighted mean
    ``sum_i r_i s_i l_i / sum_i r_i s_i``, which for hard labels and ``r = 1`` is
    ``F.cross_entropy(z, y, weight=w)``.

    Args:
        targets: dense targets ``(N, K)``.
        class_weight: per-column weights ``(K,)``.
        row_weight: per-sample weights ``(N,)`` (any shape with ``N`` elements). Defaults to
            None (all one).

    Returns:
        Tensor: a detached scalar; 1 when no row counts (an empty batch or all ``r_i = 0``,
        where the loss is zero anyway).
    """
    targets = targets.detach().float()
    sample_weight = targets @ class_weight.detach().float().to(targets.device)
    rows = torch.ones_like(sample_weight) if row_weight is None else \
        row_weight.detach().reshape(-1).float().to(targets.device)
    total = rows.sum()
    if sample_weight.numel() == 0 or total <= 0:
        return sample_weight.new_ones(())
    return ((rows * sample_weight).sum() / total).clamp_min(1e-12)


def sigmoid_focal_ce(cls_score: Tensor, targets: Tensor, gamma: float = 0.0) -> Tensor:
    """Per-sample sum over classes of binary cross-entropy with a focal factor.

    ``sum_c BCE(z_c, t_c) * |t_c - sigmoid(z_c)| ** gamma``; for 0/1 targets the factor is
    ``(1 - p_t) ** gamma`` (`Focal Loss <https://arxiv.org/abs/1708.02002>`_); ``gamma = 0``
    is plain sigmoid cross-entropy.

    Args:
        cls_score: logits ``(N, K)``.
        targets: dense targets ``(N, K)`` in ``[0, 1]``.
        gamma: focusing parameter. Defaults to 0.0.

    Returns:
        Tensor: shape ``(N,)``.
    """
    targets = targets.to(cls_score.dtype)
    bce = F.binary_cross_entropy_with_logits(cls_score, targets, reduction='none')
    if gamma:
        bce = bce * (targets - torch.sigmoid(cls_score)).abs().pow(gamma)
    return bce.sum(dim=1)
