"""Per-class weights computed from training counts (pure torch, no OpenMMLab import).

Every function takes the number of training samples of each class, ``counts[c] = n_c``, and
returns a float tensor of length ``C``. A class with zero samples is treated as having one, so
every weight stays finite.
"""
from typing import Sequence, Union

import torch
from torch import Tensor

Counts = Union[Sequence[int], Tensor]


def as_counts(counts: Counts) -> Tensor:
    """Validate class counts and return them as a float64 tensor, zeros raised to one.

    Args:
        counts: 1-D sequence of non-negative class counts.

    Returns:
        Tensor: shape ``(C,)``, dtype float64, every entry ``>= 1``.

    Raises:
        ValueError: if ``counts`` is empty, not 1-D, or has a negative or non-finite entry.
    """
    values = torch.as_tensor(counts, dtype=torch.float64).detach().cpu()
    if values.dim() != 1 or values.numel() == 0:
        raise ValueError(f'class counts must be a non-empty 1-D sequence, got shape '
                         f'{tuple(values.shape)}')
    if not torch.isfinite(values).all() or (values < 0).any():
        raise ValueError(f'class counts must be finite and non-negative, got {values.tolist()}')
    return values.clamp(min=1.0)


def effective_number_weights(counts: Counts, beta: float = 0.9999) -> Tensor:
    """Class-balanced weights from the effective number of samples.

    `Class-Balanced Loss <https://arxiv.org/abs/1901.05555>`_:
    ``w_c = (1 - beta) / (1 - beta ** n_c)``, then rescaled so that ``sum_c w_c = C``.
    ``beta = 0`` gives uniform weights (all one); ``beta -> 1`` tends to inverse frequency.

    Args:
        counts: training samples per class.
        beta: hyper-parameter in ``[0, 1)``. Defaults to 0.9999.

    Returns:
        Tensor: float32 weights of shape ``(C,)`` summing to ``C``.
    """
    if not 0.0 <= beta < 1.0:
        raise ValueError(f'beta must be in [0, 1), got {beta}')
    n = as_counts(counts)
    # 1 - beta**n computed as -expm1(n*log(beta)) stays accurate for beta close to 1.
    effective = -torch.expm1(n * torch.log(torch.tensor(beta, dtype=torch.float64))) \
        if beta > 0 else torch.ones_like(n)
    weights = (1.0 - beta) / effective
    return (weights * n.numel() / weights.sum()).float()


def cost_sensitive_weights(counts: Counts, gamma: float = 1.0) -> Tensor:
    """Cost-sensitive cross-entropy weights ``w_c = (n_min / n_c) ** gamma``.

    The CS_CE re-weighting of `Bag of Tricks for Long-Tailed Visual Recognition
    <https://cs.nju.edu.cn/wujx/paper/AAAI2021_Tricks.pdf>`_: ``gamma = 1`` is inverse
    frequency, ``gamma = 0.5`` the square-root variant. The rarest class has weight 1.

    Args:
        counts: training samples per class.
        gamma: exponent. Defaults to 1.0.

    Returns:
        Tensor: float32 weights of shape ``(C,)`` in ``(0, 1]``.
    """
    n = as_counts(counts)
    return (n.min() / n).pow(gamma).float()
