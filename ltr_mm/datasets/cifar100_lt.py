"""CIFAR-100-LT: long-tailed CIFAR-100 (Cao et al., LDAM, NeurIPS 2019 protocol)."""
from mmpretrain.datasets import CIFAR100

from ..registry import CLS_DATASETS, register
from .cifar_lt_mixin import CifarLTMixin


@register(CLS_DATASETS)
class CIFAR100LT(CifarLTMixin, CIFAR100):
    """`CIFAR-100-LT <https://arxiv.org/abs/1906.07413>`_ read from the python pickles.

    Class ``i`` keeps ``floor(n_max * (1 / IF) ** (i / 99))`` training images (IF 100: 500 ..
    5, 10,847 images), the first of a ``RandomState(seed)`` permutation of the class. Needs
    ``data_root/cifar-100-python/{train, test}``; never downloads.
    ``picked_indices`` holds the kept indices into the balanced train split;
    ``ClassStats.from_dataset(train)`` gives the per-class counts.

    Args:
        data_root: folder that holds ``cifar-100-python/``.
        split: ``'train'`` (long-tailed) or ``'test'`` (balanced 10,000). Defaults to 'train'.
        imb_factor: imbalance factor (>= 1). Defaults to 100.
        seed: seed of the per-class permutations. Defaults to 0.
        n_max: head-class size; ``None`` = 500 (the balanced class size). Defaults to None.
        **kwargs: other mmpretrain ``BaseDataset`` arguments.

    Example:
        >>> from ltr_mm.utils.class_stats import ClassStats
        >>> train = CIFAR100LT('data/cifar100', split='train', imb_factor=100)
        >>> ClassStats.from_dataset(train).counts[-1]
        5
    """
