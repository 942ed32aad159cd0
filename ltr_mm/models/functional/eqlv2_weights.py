"""Equalization loss v2 gradient statistics and weights (pure torch, no OpenMMLab import).

`Equalization Loss v2 <https://arxiv.org/abs/2012.08548>`_ (Tan et al., CVPR 2021) keeps, for
every class ``j``, the accumulated magnitude of the positive and negative gradients of its
sigmoid logit, ``P_j`` and ``N_j``, and re-weights the next step's binary cross-entropy terms
with ``q_j = f(P_j / N_j)`` on the negatives and ``r_j = 1 + alpha * (1 - q_j)`` on the
positives, ``f(x) = 1 / (1 + exp(-gamma * (x - mu)))``.
"""
from typing import Tuple

import torch
from torch import Tensor


def eqlv2_map(ratio: Tensor, gamma: float = 12.0, mu: float = 0.8) -> Tensor:
    """The mapping ``f(x) = 1 / (1 + exp(-gamma * (x - mu)))`` of the gradient ratio."""
    return torch.sigmoid(gamma * (ratio - mu))


def eqlv2_class_weights(pos_grad: Tensor, neg_grad: Tensor, gamma: float = 12.0,
                        mu: float = 0.8, alpha: float = 4.0,
                        eps: float = 1e-10) -> Tuple[Tensor, Tensor]:
    """Positive and negative weights of each class from the accumulated gradients.

    Args:
        pos_grad: accumulated positive gradient magnitude per class ``(C,)``.
        neg_grad: accumulated negative gradient magnitude per class ``(C,)``.
        gamma: steepness of the mapping. Defaults to 12.0.
        mu: centre of the mapping. Defaults to 0.8.
        alpha: strength of the positive up-weighting. Defaults to 4.0.
        eps: added to ``neg_grad`` in the ratio. Defaults to 1e-10.

    Returns:
        tuple[Tensor, Tensor]: ``(r, q)``, each ``(C,)``: ``q = f(P / (N + eps))`` and
        ``r = 1 + alpha * (1 - q)``.
    """
    neg_w = eqlv2_map(pos_grad / (neg_grad + eps), gamma, mu)
    return 1 + alpha * (1 - neg_w), neg_w


def eqlv2_gradients(cls_score: Tensor, targets: Tensor, weight: Tensor) -> Tuple[Tensor, Tensor]:
    """Positive and negative gradient magnitudes of one step, summed over the samples.

    The gradient of ``w * BCE(z, t)`` with respect to ``z`` has magnitude
    ``w * |sigmoid(z) - t|``; it is added to the positive sum of column ``j`` where
    ``t = 1`` and to the negative sum where ``t = 0``.

    Args:
        cls_score: logits ``(N, K)``.
        targets: 0/1 targets ``(N, K)``.
        weight: the weights the step's loss used, ``(N, K)``.

    Returns:
        tuple[Tensor, Tensor]: ``(pos, neg)``, each ``(K,)``, no gradient.
    """
    with torch.no_grad():
        targets = targets.to(cls_score.dtype)
        grad = (torch.sigmoid(cls_score) - targets).abs() * weight
        return (grad * targets).sum(dim=0), (grad * (1 - targets)).sum(dim=0)
