"""Logit offsets and scales computed from class counts (pure torch, no OpenMMLab import).

``log_prior`` feeds Balanced Softmax and logit adjustment (``z_c + tau * log pi_c``) and
``cdt_scales`` feeds class-dependent temperatures (``z_c / a_c``).
"""
import torch
from torch import Tensor

from .class_weights import Counts, as_counts


def log_prior(counts: Counts) -> Tensor:
    """Log of the empirical class prior, ``log pi_c = log(n_c / sum_j n_j)``.

    Softmax is shift invariant, so ``z_c + log pi_c`` and ``z_c + log n_c`` (`Balanced Softmax
    <https://arxiv.org/abs/2007.10740>`_) give the same probabilities.

    Args:
        counts: training samples per class (zeros count as one).

    Returns:
        Tensor: float32 tensor of shape ``(C,)``, every entry ``<= 0``.
    """
    n = as_counts(counts)
    return (n / n.sum()).log().float()


def adjust_logits(cls_score: Tensor, log_pi: Tensor, tau: float = 1.0) -> Tensor:
    """`Logit adjustment <https://arxiv.org/abs/2007.07314>`_: ``z_c + tau * log pi_c``.

    Training-time loss form with ``tau > 0``; the post-hoc test-time correction is the same
    call with ``-tau``.

    Args:
        cls_score: logits of shape ``(N, C)``.
        log_pi: log prior of shape ``(C,)``.
        tau: scale of the adjustment. Defaults to 1.0.

    Returns:
        Tensor: adjusted logits, shape ``(N, C)``.
    """
    return cls_score + tau * log_pi.to(cls_score.dtype)


def cdt_scales(counts: Counts, gamma: float = 0.2) -> Tensor:
    """Class-dependent temperatures ``a_c = (n_max / n_c) ** gamma``.

    `CDT <https://arxiv.org/abs/2001.01385>`_ divides the logits by ``a_c`` during training;
    the most frequent class has ``a = 1`` and rarer classes larger temperatures.

    Args:
        counts: training samples per class.
        gamma: exponent. Defaults to 0.2.

    Returns:
        Tensor: float32 tensor of shape ``(C,)``, every entry ``>= 1``.
    """
    n = as_counts(counts)
    return (n.max() / n).pow(gamma).float()


def pad_classes(values: Tensor, num_columns: int, fill: float) -> Tensor:
    """Extend a per-class vector with a background entry when ``num_columns == C + 1``.

    mmdet classifiers output ``C + 1`` columns with background last; the background entry is
    the neutral value of the statistic (weight 1, offset 0, scale 1, margin 0).

    Args:
        values: per-class vector of shape ``(C,)``.
        num_columns: ``C`` or ``C + 1``.
        fill: value of the background entry.

    Returns:
        Tensor: shape ``(num_columns,)``.
    """
    extra = num_columns - values.numel()
    if extra == 0:
        return values
    if extra != 1:
        raise ValueError(f'{num_columns} columns for {values.numel()} classes; expected C or '
                         f'C + 1 (background last)')
    return torch.cat([values, values.new_full((1, ), fill)])
