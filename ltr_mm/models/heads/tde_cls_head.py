"""TDE classification head: causal-norm classifier with counterfactual (TDE) inference."""
import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine import dist
from mmpretrain.models.heads import ClsHead
from mmpretrain.structures import DataSample
from torch import Tensor

from ltr_mm.models.functional.causal_norm import (
    causal_norm_logits,
    masked_sum_and_count,
    tde_logits,
    update_moving_average,
)
from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class TDEClsHead(ClsHead):
    """`TDE <https://arxiv.org/abs/2009.12991>`_ head: De-confound training, TDE inference.

    Training uses the multi-head causal-norm logits
    ``z_c = sum_k tau / K * <x_k / ||x_k||, w_ck / (||w_ck|| + gamma)>`` (no bias) and
    accumulates the moving-average feature ``mean_feat <- mu * mean_feat + batch_mean(x)``
    in :meth:`loss`; the batch mean is all-reduced, so every process holds the same buffer,
    and the buffer is saved in checkpoints. Prediction subtracts the counterfactual term along
    the per-head direction of ``mean_feat`` with strength ``test_cfg['alpha']``; ``alpha=0``
    is plain causal-norm ("De-confound") inference. ``mu`` may be changed during training by
    :meth:`set_tde_momentum` (``TDEMomentumHook``, the ImageNet-LT recipe).

    Args:
        num_classes: number of classes.
        in_channels: feature dimension ``D``; divisible by ``num_heads``.
        num_heads: number of heads ``K``. Defaults to 2.
        tau: logit scale. Defaults to 16.0.
        gamma: weight-norm offset. Defaults to 1/32.
        mu: moving-average momentum. Defaults to 0.9 (CIFAR-LT recipe).
        test_cfg: test-time options; ``alpha`` is the TDE strength. Defaults to
            ``dict(alpha=3.0)`` (ImageNet-LT; the paper uses 1.0 on CIFAR-10-LT and 1.5 on
            CIFAR-100-LT).
        init_cfg: initialisation. Defaults to the paper's
            ``uniform(-1/sqrt(D), 1/sqrt(D))`` on the classifier weight.
        **kwargs: ``loss``, ``topk`` and ``cal_acc`` of :class:`mmpretrain.models.ClsHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 num_heads: int = 2,
                 tau: float = 16.0,
                 gamma: float = 1.0 / 32,
                 mu: float = 0.9,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        if in_channels % num_heads:
            raise ValueError(f'TDEClsHead: in_channels={in_channels} is not divisible by '
                             f'num_heads={num_heads}')
        bound = 1.0 / math.sqrt(in_channels)
        if init_cfg is None:
            init_cfg = dict(type='Uniform', layer='Linear', a=-bound, b=bound)
        super().__init__(init_cfg=init_cfg, **kwargs)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.num_heads = num_heads
        self.tau = tau
        self.gamma = gamma
        self.mu = mu
        self.test_cfg = dict(alpha=3.0) if test_cfg is None else dict(test_cfg)
        self.fc = nn.Linear(in_channels, num_classes, bias=False)
        self.register_buffer('mean_feat', torch.zeros(in_channels))

    def set_tde_momentum(self, mu: float) -> None:
        """Set the moving-average momentum used by the next updates."""
        self.mu = float(mu)

    def forward(self, feats: Tuple[Tensor]) -> Tensor:
        """Causal-norm logits of shape ``(N, num_classes)``."""
        return causal_norm_logits(self.pre_logits(feats), self.fc.weight, self.num_heads,
                                  self.tau, self.gamma)

    @torch.no_grad()
    def update_mean_feat(self, feat: Tensor) -> None:
        """``mean_feat <- mu * mean_feat + mean(feat)``, mean taken over all processes.

        Args:
            feat: un-normalised features of shape ``(N, D)``.
        """
        mask = torch.ones(feat.size(0), dtype=torch.bool, device=feat.device)
        total, count = masked_sum_and_count(feat.detach().float(), mask)
        stats = torch.cat([total, count.view(1)])
        dist.all_reduce(stats, op='sum')
        if stats[-1] > 0:
            batch_mean = (stats[:-1] / stats[-1]).to(self.mean_feat.dtype)
            self.mean_feat.copy_(update_moving_average(self.mean_feat, batch_mean, self.mu))

    def loss(self, feats: Tuple[Tensor], data_samples: List[DataSample], **kwargs) -> dict:
        """Update ``mean_feat`` with the batch, then the usual classification loss."""
        self.update_mean_feat(self.pre_logits(feats))
        return super().loss(feats, data_samples, **kwargs)

    def predict(self,
                feats: Tuple[Tensor],
                data_samples: Optional[List[Optional[DataSample]]] = None
                ) -> List[DataSample]:
        """TDE prediction with ``alpha = test_cfg['alpha']``; scores are softmax once."""
        cls_score = tde_logits(self.pre_logits(feats), self.fc.weight, self.mean_feat,
                               float(self.test_cfg.get('alpha', 0.0)), self.num_heads,
                               self.tau, self.gamma)
        return self._get_predictions(cls_score, data_samples)
