"""Effective class-margins (pure torch, no OpenMMLab import).

`Long-tail detection with effective class-margins <https://arxiv.org/abs/2301.09724>`_ (Cho and
Krähenbühl, ECCV 2022). With ``n_c`` the training frequency of class ``c`` (images containing
it), the background given ``n_bg = r * sum_c n_c`` (``r`` the foreground-to-background RoI
ratio, 6.3313 for Mask R-CNN) and ``N = sum_c n_c + n_bg``, class ``c`` has ``n+ = n_c``
positives and ``n- = N - n_c`` negatives. Its binary classifier uses the margins

    m+_c = -log(n-^(1/4) / (n+^(1/4) + n-^(1/4))),
    m-_c = -log(n+^(1/4) / (n+^(1/4) + n-^(1/4))),

``p+ = exp(z + m+) / (exp(z + m+) + exp(-z + m-))``, and the loss term of class ``c`` is
weighted by ``w_c = a_c * log((1 + a_c) / a_c)`` with ``a_c = n- / n+``.
"""
from typing import Tuple

import torch
from torch import Tensor

from .class_weights import Counts, as_counts


def ecm_frequencies(counts: Counts, fg_bg_ratio: float = 6.3313) -> Tensor:
    """Frequencies ``(C + 1,)`` in float64: the counts, then ``fg_bg_ratio * sum(counts)``."""
    if fg_bg_ratio <= 0:
        raise ValueError(f'fg_bg_ratio must be positive, got {fg_bg_ratio}')
    n = as_counts(counts)
    return torch.cat([n, n.sum().reshape(1) * fg_bg_ratio])


def ecm_margins(freq: Tensor, power: float = 0.25) -> Tuple[Tensor, Tensor]:
    """Positive and negative margins ``(m+, m-)`` of every column of ``freq``.

    Args:
        freq: frequencies ``(K,)`` (:func:`ecm_frequencies`); negatives are ``sum - n``.
        power: exponent of the effective counts. Defaults to 0.25.

    Returns:
        tuple[Tensor, Tensor]: float64 ``(K,)`` each.
    """
    n_pos = freq.double()
    n_neg = n_pos.sum() - n_pos
    pos, neg = n_pos.pow(power), n_neg.pow(power)
    return torch.log((pos + neg) / neg), torch.log((pos + neg) / pos)


def ecm_class_weights(freq: Tensor) -> Tensor:
    """Per-column weights ``w = a * log((1 + a) / a)``, ``a = (sum - n) / n``, float64."""
    n = freq.double()
    a = (n.sum() - n) / n
    return a * torch.log1p(1 / a)
