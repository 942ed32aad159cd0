"""Nearest class mean (NCM) head of Decoupling, with class means kept as buffers."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmpretrain.models.heads import ClsHead
from mmpretrain.structures import DataSample
from torch import Tensor

from ltr_mm.models.functional import NCM_DISTANCES, NCM_FEAT_NORMS, ncm_features, ncm_logits
from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class NCMClsHead(ClsHead):
    """Nearest-class-mean classifier of `Decoupling <https://arxiv.org/abs/1910.09217>`_.

    A test-time classifier on a stage-1 backbone: every class is represented by the mean of
    the transformed features of its training images, and an image is scored by its nearness to
    each mean. Features are transformed by ``feat_norm`` (:func:`ncm_features`): ``'cl2n'``
    (default, as the Decoupling code) subtracts the training-set mean feature and L2-normalises;
    ``'l2n'`` only L2-normalises; ``'none'`` keeps them. Scores (:func:`ncm_logits`) are
    ``-||x - m_c||^2`` (``distance='l2'``, default) or the cosine similarity to the mean
    (``'cos'``, equal in ranking to the Euclidean distance to the L2-normalised means);
    ``pred_score`` is their softmax.

    The means live in persistent buffers, so a checkpoint written after they are computed
    carries them: ``feat_mean`` ``(D,)``, ``class_means`` ``(C, D)`` and ``class_sizes``
    ``(C,)`` (training images behind each mean). ``NCMClassMeansHook`` fills them from the
    training set before testing (or validation) when they are still empty, e.g. after loading
    a stage-1 ``LinearClsHead`` checkpoint (whose ``head.fc`` keys this head does not use);
    :meth:`set_class_means` fills them directly. The head has no parameters and no training
    step.

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Feature width ``D``.
        feat_norm (str): ``'cl2n'``, ``'l2n'`` or ``'none'``. Defaults to ``'cl2n'``.
        distance (str): ``'l2'`` or ``'cos'``. Defaults to ``'l2'``.
        init_cfg (dict, optional): Unused (no parameters). Defaults to None.
        **kwargs: ``topk`` and ``cal_acc`` of ``mmpretrain.models.ClsHead``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 feat_norm: str = 'cl2n',
                 distance: str = 'l2',
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(init_cfg=init_cfg, **kwargs)
        if num_classes <= 0 or in_channels <= 0:
            raise ValueError(f'NCMClsHead: num_classes={num_classes} and '
                             f'in_channels={in_channels} must be positive')
        if feat_norm not in NCM_FEAT_NORMS:
            raise ValueError(f'NCMClsHead: feat_norm must be one of {NCM_FEAT_NORMS}, got '
                             f'{feat_norm!r}')
        if distance not in NCM_DISTANCES:
            raise ValueError(f'NCMClsHead: distance must be one of {NCM_DISTANCES}, got '
                             f'{distance!r}')
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.feat_norm = feat_norm
        self.distance = distance
        self.register_buffer('feat_mean', torch.zeros(in_channels))
        self.register_buffer('class_means', torch.zeros(num_classes, in_channels))
        self.register_buffer('class_sizes', torch.zeros(num_classes))

    @property
    def has_class_means(self) -> bool:
        """Whether the class means are set (some training image behind them)."""
        return bool(self.class_sizes.sum() > 0)

    def set_class_means(self, class_means: Tensor, class_sizes: Sequence[float],
                        feat_mean: Optional[Tensor] = None) -> None:
        """Store the class means of the transformed training features.

        Args:
            class_means: ``(C, D)`` means of :meth:`ncm_features` per class.
            class_sizes: ``(C,)`` training images behind each mean.
            feat_mean: ``(D,)`` training-set mean of the raw features (needed for
                ``feat_norm='cl2n'``). Defaults to None.
        """
        sizes = torch.as_tensor(class_sizes, dtype=torch.float32).reshape(-1)
        if tuple(class_means.shape) != tuple(self.class_means.shape) or \
                sizes.numel() != self.num_classes:
            raise ValueError(f'NCMClsHead: class means of shape {tuple(class_means.shape)} and '
                             f'{sizes.numel()} class sizes for num_classes={self.num_classes}, '
                             f'in_channels={self.in_channels}')
        if self.feat_norm == 'cl2n':
            if feat_mean is None or feat_mean.numel() != self.in_channels:
                raise ValueError("NCMClsHead: feat_norm='cl2n' needs the training-set mean "
                                 f'feature of width {self.in_channels}')
            self.feat_mean.copy_(feat_mean.reshape(-1))
        self.class_means.copy_(class_means)
        self.class_sizes.copy_(sizes)

    def ncm_features(self, feats: Tuple[Tensor, ...]) -> Tensor:
        """The head input (``pre_logits``) transformed by ``feat_norm``."""
        return ncm_features(self.pre_logits(feats), self.feat_norm, self.feat_mean)

    def forward(self, feats: Tuple[Tensor, ...]) -> Tensor:
        """Nearest-class-mean scores ``(N, C)``."""
        if not self.has_class_means:
            raise RuntimeError('NCMClsHead: class means not set; add NCMClassMeansHook to '
                               'custom_hooks (it computes them from the training set) or load '
                               'a checkpoint that has them')
        return ncm_logits(self.ncm_features(feats), self.class_means, self.distance)

    def loss(self, feats: Tuple[Tensor, ...], data_samples: List[DataSample],
             **kwargs) -> dict:
        """NCM has no training step."""
        raise RuntimeError('NCMClsHead has no training step: it is a test-time classifier on a '
                           'trained backbone (tools/test.py with the stage-1 checkpoint)')
