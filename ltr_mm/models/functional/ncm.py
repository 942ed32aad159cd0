"""Nearest class mean (NCM) classifier maths of Decoupling (pure torch).

`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020), Sec. 4: the class means of the
stage-1 features of the training images, then nearest-mean prediction by Euclidean distance or
cosine similarity on L2-normalised features.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

NCM_FEAT_NORMS = ('cl2n', 'l2n', 'none')
NCM_DISTANCES = ('l2', 'cos')


def ncm_features(feats: Tensor, feat_norm: str = 'cl2n',
                 feat_mean: Optional[Tensor] = None, eps: float = 1e-12) -> Tensor:
    """Features as the NCM classifier compares them.

    Args:
        feats: features ``(N, D)``.
        feat_norm: ``'cl2n'``: centred by the training-set mean feature, then L2-normalised
            (the Decoupling code's default); ``'l2n'``: L2-normalised; ``'none'``: as they are.
            Defaults to ``'cl2n'``.
        feat_mean: training-set mean feature ``(D,)``, needed for ``'cl2n'``.
        eps: lower bound of the norm. Defaults to 1e-12.

    Returns:
        Tensor: ``(N, D)``.
    """
    if feat_norm not in NCM_FEAT_NORMS:
        raise ValueError(f'feat_norm must be one of {NCM_FEAT_NORMS}, got {feat_norm!r}')
    if feat_norm == 'cl2n':
        if feat_mean is None:
            raise ValueError("feat_norm='cl2n' needs the training-set mean feature")
        feats = feats - feat_mean.to(feats)
    if feat_norm == 'none':
        return feats
    return F.normalize(feats, dim=1, eps=eps)


def ncm_logits(feats: Tensor, class_means: Tensor, distance: str = 'l2',
               eps: float = 1e-12) -> Tensor:
    """Nearest-class-mean scores (higher is nearer).

    Args:
        feats: transformed features ``(N, D)`` (:func:`ncm_features`).
        class_means: mean transformed training feature of every class ``(C, D)``.
        distance: ``'l2'``: ``-||x - m_c||^2``; ``'cos'``: cosine similarity
            ``x . m_c / (||x|| ||m_c||)``, i.e. the distance to the L2-normalised means
            (``-||x - m_c / ||m_c||||^2 = 2 cos - 2`` for unit ``x``). Defaults to ``'l2'``.
        eps: lower bound of the norms for ``'cos'``. Defaults to 1e-12.

    Returns:
        Tensor: ``(N, C)``.
    """
    if distance not in NCM_DISTANCES:
        raise ValueError(f'distance must be one of {NCM_DISTANCES}, got {distance!r}')
    means = class_means.to(feats)
    if distance == 'cos':
        return F.normalize(feats, dim=1, eps=eps) @ F.normalize(means, dim=1, eps=eps).t()
    # ||x||^2 + ||m||^2 - 2 x.m, the expansion the Decoupling code uses; clamped at 0.
    sq = feats.pow(2).sum(1, keepdim=True) + means.pow(2).sum(1) - 2 * feats @ means.t()
    return -sq.clamp_min(0)


def class_sums(feats: Tensor, labels: Tensor, num_classes: int) -> Tensor:
    """Per-class sums of ``feats``: row ``c`` is the sum of the rows with label ``c``.

    Args:
        feats: ``(N, D)``.
        labels: ``(N,)`` integer labels in ``[0, num_classes)``.
        num_classes: ``C``.

    Returns:
        Tensor: float64 ``(C, D)``.
    """
    labels = labels.reshape(-1).long()
    if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f'labels must be in [0, {num_classes}), got '
                         f'[{int(labels.min())}, {int(labels.max())}]')
    sums = feats.new_zeros((num_classes, feats.size(1)), dtype=torch.float64)
    return sums.index_add_(0, labels.to(feats.device), feats.double())
