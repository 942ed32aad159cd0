"""Feature Clusters Compression: label-dependent scaling of training features."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from torch import Tensor

from ltr_mm.models.functional import fcc_factors
from ltr_mm.registry import CLS_MODELS, register
from ltr_mm.utils.class_stats import ClassStats, as_class_stats

Counts = Union[Sequence[int], Tensor]


@register(CLS_MODELS)
class FeatureClusterCompression(nn.Module):
    """FCC (feature clusters compression, Li et al., CVPR 2023) feature transform.

    Paper:
    https://openaccess.thecvf.com/content/CVPR2023/html/Li_FCC_Feature_Clusters_Compression_for_Long-Tailed_Visual_Recognition_CVPR_2023_paper.html

    During training, the backbone feature of sample ``i`` with label ``y_i`` is multiplied by
    ``tau_{y_i} = round(1 + gamma - k * (gamma / C), 2)``, where ``k`` is the frequency rank of
    the class (``order='rank'``, most frequent class ``k = 0``; ranks come from the training
    counts) or its class index (``order='index'``, the original code, correct only when the
    classes are sorted by frequency, as in CIFAR-LT). The classifier thus learns on spread
    head-class features and is tested on unscaled ones: in eval mode the module is the
    identity. Only the last backbone output (``feats[-1]``) is scaled; because the factor is one
    scalar per sample, scaling before or after global average pooling is the same.

    Epochs are 1-based: FCC is active in epoch ``e`` when ``e > start_epoch`` (``SetEpochHook``
    calls :meth:`set_epoch` before each epoch). Counts come from ``class_counts`` or from
    :meth:`set_class_stats` (``SetClassStatsHook``; ``has_class_stats`` is true once the
    factors are known, at once for ``order='index'``). Used through
    ``LTImageClassifier(feat_transform=dict(type='FeatureClusterCompression', ...))``.

    Args:
        num_classes (int): Number of classes ``C``.
        gamma (float): Compression strength; the original uses 0.5 on CIFAR-10-LT, 1.0 on
            CIFAR-100-LT and 0.1 on ImageNet-LT / iNat18. Defaults to 0.5.
        start_epoch (int): Last 1-based epoch without FCC. Defaults to 50.
        order (str): ``'rank'`` or ``'index'``. Defaults to ``'rank'``.
        decimals (int, optional): Rounding of the factors; None keeps them exact.
            Defaults to 2.
        class_counts (Sequence[int], optional): Training counts per class; otherwise they are
            set by ``set_class_stats``. Defaults to None.
    """

    def __init__(self,
                 num_classes: int,
                 gamma: float = 0.5,
                 start_epoch: int = 50,
                 order: str = 'rank',
                 decimals: Optional[int] = 2,
                 class_counts: Optional[Counts] = None) -> None:
        super().__init__()
        if num_classes <= 0:
            raise ValueError(f'num_classes={num_classes} must be a positive integer')
        if start_epoch < 0:
            raise ValueError(f'start_epoch must be >= 0, got {start_epoch}')
        self.num_classes = num_classes
        self.gamma = gamma
        self.start_epoch = start_epoch
        self.order = order
        self.decimals = decimals
        self.epoch: Optional[int] = None
        self.register_buffer('factors', torch.ones(num_classes), persistent=False)
        self.has_class_stats = False
        self.class_stats: Optional[ClassStats] = None
        if order == 'index':
            self._set_factors(None)
        elif order == 'rank':
            if class_counts is not None:
                self.set_class_stats(ClassStats.from_counts(class_counts))
        else:
            raise ValueError(f"order must be 'rank' or 'index', got {order!r}")

    def _set_factors(self, counts: Optional[Sequence[int]]) -> None:
        """Recompute the per-class factor buffer."""
        factors = fcc_factors(self.num_classes, self.gamma, counts, self.order, self.decimals)
        self.factors.copy_(factors.to(self.factors.device))
        self.has_class_stats = True

    def set_class_stats(self, stats: ClassStats) -> None:
        """Keep the training statistics; their counts rank the classes (``order='rank'``)."""
        stats = as_class_stats(stats, type(self).__name__)
        if self.order == 'rank':
            self._set_factors(list(stats.counts))
        self.class_stats = stats

    def set_epoch(self, epoch: int) -> None:
        """Set the 1-based epoch about to run."""
        self.epoch = int(epoch)

    @property
    def active(self) -> bool:
        """Whether the next training forward scales the features."""
        if not self.training or self.gamma == 0:
            return False
        if self.start_epoch == 0:
            return True
        if self.epoch is None:
            raise RuntimeError('FeatureClusterCompression: epoch not set and start_epoch > 0; '
                               'add SetEpochHook to custom_hooks')
        return self.epoch > self.start_epoch

    def forward(self, feats: Tuple[Tensor, ...], labels: Tensor) -> Tuple[Tensor, ...]:
        """Scale ``feats[-1]`` per sample by the factor of its label when active.

        Args:
            feats: backbone outputs; the last one has shape ``(N, ...)``.
            labels: class index of every sample, shape ``(N,)``.

        Returns:
            tuple[Tensor]: ``feats`` with the last entry scaled (unchanged when inactive).
        """
        if not self.active:
            return feats
        if not self.has_class_stats:
            raise RuntimeError("FeatureClusterCompression: order='rank' needs class counts; "
                               'add SetClassStatsHook or pass class_counts')
        last = feats[-1]
        scale = self.factors[labels.to(self.factors.device).long()].to(last.dtype)
        scale = scale.view(-1, *([1] * (last.dim() - 1)))
        return tuple(feats[:-1]) + (last * scale, )

    def extra_repr(self) -> str:
        """Shown by ``print(module)``."""
        return (f'num_classes={self.num_classes}, gamma={self.gamma}, '
                f'start_epoch={self.start_epoch}, order={self.order!r}')
