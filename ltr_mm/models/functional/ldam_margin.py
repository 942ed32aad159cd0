"""LDAM margins computed from class counts (pure torch, no OpenMMLab import)."""
from torch import Tensor

from .class_weights import Counts, as_counts


def ldam_margins(counts: Counts, max_m: float = 0.5) -> Tensor:
    """Label-distribution-aware margins ``m_c = K / n_c ** (1/4)`` with ``max_c m_c = max_m``.

    `LDAM <https://arxiv.org/abs/1906.07413>`_: ``K`` is chosen so the rarest class gets
    exactly ``max_m``.

    Args:
        counts: training samples per class.
        max_m: largest margin (in cosine units). Defaults to 0.5.

    Returns:
        Tensor: float32 tensor of shape ``(C,)`` in ``(0, max_m]``.
    """
    inv = as_counts(counts).pow(-0.25)
    return (inv * (max_m / inv.max())).float()
