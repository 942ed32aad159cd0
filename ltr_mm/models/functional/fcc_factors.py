"""Per-class feature scales of FCC (Li et al., CVPR 2023), pure torch.

Paper:
https://openaccess.thecvf.com/content/CVPR2023/html/Li_FCC_Feature_Clusters_Compression_for_Long-Tailed_Visual_Recognition_CVPR_2023_paper.html
"""
from typing import Optional, Sequence, Union

import torch
from torch import Tensor

Counts = Union[Sequence[int], Tensor]


def fcc_factors(num_classes: int,
                gamma: float,
                counts: Optional[Counts] = None,
                order: str = 'rank',
                decimals: Optional[int] = 2) -> Tensor:
    """Equal-difference compression factors ``tau_c = 1 + gamma - k_c * (gamma / C)``.

    ``k_c`` is the position of class ``c``: its rank by training count (``order='rank'``, most
    frequent class ``k = 0``, ties broken by the lower class index) or the class index itself
    (``order='index'``, the original code, where class 0 is the head class). The most frequent
    class gets ``1 + gamma``, the rarest about ``1 + gamma / C``. The original rounds every
    factor to 2 decimals.

    Args:
        num_classes: number of classes ``C``.
        gamma: compression strength ``gamma >= 0``.
        counts: training samples per class, needed for ``order='rank'``. Defaults to None.
        order: ``'rank'`` or ``'index'``. Defaults to ``'rank'``.
        decimals: round the factors to this many decimals, None keeps them exact.
            Defaults to 2.

    Returns:
        Tensor: float32 factors of shape ``(C,)``, indexed by class index.

    Raises:
        ValueError: on a bad ``order``, a negative ``gamma`` or a counts length that is not
            ``num_classes``.
    """
    if order not in ('rank', 'index'):
        raise ValueError(f"order must be 'rank' or 'index', got {order!r}")
    if gamma < 0:
        raise ValueError(f'gamma must be >= 0, got {gamma}')
    if order == 'index':
        position = list(range(num_classes))
    else:
        if counts is None:
            raise ValueError("order='rank' needs the training counts of every class")
        n = torch.as_tensor(counts, dtype=torch.float64).flatten()
        if n.numel() != num_classes:
            raise ValueError(f'{n.numel()} counts for {num_classes} classes')
        by_frequency = torch.sort(-n, stable=True).indices.tolist()
        position = [0] * num_classes
        for k, c in enumerate(by_frequency):
            position[c] = k
    # Python floats, ``k * (gamma / C)`` and round(), in the original's order of operations:
    # ``k * gamma / C`` differs in the last bit at some decimal ties and then rounds the other
    # way (C = 100, gamma = 0.5: k = 47 gives 1.26 here, 1.27 the other way).
    step = gamma / num_classes
    factors = [1 + gamma - k * step for k in position]
    if decimals is not None:
        factors = [round(f, decimals) for f in factors]
    return torch.tensor(factors, dtype=torch.float32)
