"""TDE box head: causal-norm ``fc_cls`` and background-exempted TDE inference."""
import math
from typing import Optional, Tuple

import torch
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.utils import ConfigType
from mmengine import dist
from torch import Tensor

from ltr_mm.models.functional.causal_norm import (
    bg_exempted_log_probs,
    causal_norm_logits,
    masked_sum_and_count,
    tde_logits,
    update_moving_average,
)
from ltr_mm.models.roi_heads.bbox_heads.shared_fc import shared_fc_feat
from ltr_mm.registry import DET_MODELS, register


@register(DET_MODELS)
class TDEBBoxHead(Shared2FCBBoxHead):
    """`TDE <https://arxiv.org/abs/2009.12991>`_ box head (De-confound training, TDE test).

    ``fc_cls`` keeps its mmdet shape (a bias-free ``Linear`` with ``num_classes + 1`` rows,
    background last) but scores with the multi-head causal norm
    ``z_c = sum_k tau / K * <x_k / (||x_k|| + 1e-9), w_ck / (||w_ck|| + gamma)>``.
    During training :meth:`loss` accumulates the foreground RoI features
    (``labels < num_classes``) into the persistent buffer ``mean_feat``:
    ``mean_feat <- mu * mean_feat + fg_mean``, with the fg sum and count all-reduced over
    processes (no update when no process has a foreground RoI).

    In eval mode :meth:`forward` returns log-probabilities of the TDE scores with strength
    ``test_cfg['alpha']``. With ``test_cfg['bg_exempt']`` (default) the background score is
    the plain one and TDE only re-ranks the foreground:
    ``bg = p_bg``, ``fg_i = (1 - p_bg) * q_i / (1 - q_bg)``. mmdet's single softmax in
    ``predict_by_feat`` turns the log-probabilities back into exactly these scores, so
    probabilities are produced once. ``alpha = 0`` equals plain causal-norm inference.
    Each Cascade / HTC stage is its own head with its own buffer.

    Args:
        num_heads: number of heads ``K``; ``fc_out_channels`` must be divisible by it.
            Defaults to 2.
        tau: logit scale. Defaults to 16.0.
        gamma: weight-norm offset. Defaults to 1/32.
        mu: moving-average momentum. Defaults to 0.9998 (the paper's LVIS value).
        test_cfg: ``alpha`` (TDE strength) and ``bg_exempt`` (background-exempted
            inference). Defaults to ``dict(alpha=1.5, bg_exempt=True)``.
        cls_predictor_cfg: classifier weight holder. Defaults to a bias-free ``Linear``.
        init_cfg: initialisation. Defaults to mmdet's Shared2FC init with the paper's
            ``uniform(-1/sqrt(D), 1/sqrt(D))`` for ``fc_cls``.
        **kwargs: the arguments of :class:`mmdet.models.Shared2FCBBoxHead`.
    """

    def __init__(self,
                 *args,
                 num_heads: int = 2,
                 tau: float = 16.0,
                 gamma: float = 1.0 / 32,
                 mu: float = 0.9998,
                 test_cfg: Optional[ConfigType] = None,
                 cls_predictor_cfg: ConfigType = dict(type='Linear', bias=False),
                 init_cfg: Optional[ConfigType] = None,
                 **kwargs) -> None:
        super().__init__(*args, cls_predictor_cfg=cls_predictor_cfg, init_cfg=init_cfg,
                         **kwargs)
        feat_dim = self.cls_last_dim
        if feat_dim % num_heads:
            raise ValueError(f'TDEBBoxHead: classifier input dim {feat_dim} is not divisible '
                             f'by num_heads={num_heads}')
        if self.custom_cls_channels:
            raise ValueError('TDEBBoxHead needs a plain softmax loss_cls with C + 1 outputs')
        self.num_heads = num_heads
        self.tau = tau
        self.gamma = gamma
        self.mu = mu
        self.test_cfg = dict(alpha=1.5, bg_exempt=True)
        self.test_cfg.update(test_cfg or {})
        self.register_buffer('mean_feat', torch.zeros(feat_dim))
        self._train_feat: Optional[Tensor] = None
        if init_cfg is None:
            bound = 1.0 / math.sqrt(feat_dim)
            self.init_cfg = [cfg for cfg in self.init_cfg if cfg.get('type') != 'Normal'
                             or cfg.get('override', {}).get('name') != 'fc_cls']
            self.init_cfg.append(dict(type='Uniform', a=-bound, b=bound,
                                      override=dict(name='fc_cls')))

    def set_tde_momentum(self, mu: float) -> None:
        """Set the moving-average momentum used by the next updates."""
        self.mu = float(mu)

    def cls_feat(self, x: Tensor) -> Tensor:
        """Shared-FC feature of the RoIs, the input of both ``fc_cls`` and ``fc_reg``."""
        return shared_fc_feat(self, x)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Causal-norm logits (train) or TDE log-probabilities (eval), and box deltas.

        Args:
            x: RoI features of shape ``(N, in_channels, roi_feat_size, roi_feat_size)``.

        Returns:
            tuple[Tensor, Tensor]: ``cls_score`` of shape ``(N, num_classes + 1)`` and
            ``bbox_pred`` of shape ``(N, 4)`` or ``(N, 4 * num_classes)``.
        """
        feat = self.cls_feat(x)
        bbox_pred = self.fc_reg(feat) if self.with_reg else None
        weight = self.fc_cls.weight
        logits = causal_norm_logits(feat, weight, self.num_heads, self.tau, self.gamma)
        if self.training:
            self._train_feat = feat.detach()
            return logits, bbox_pred
        tde = tde_logits(feat, weight, self.mean_feat, float(self.test_cfg['alpha']),
                         self.num_heads, self.tau, self.gamma)
        if self.test_cfg.get('bg_exempt', True):
            return bg_exempted_log_probs(logits, tde), bbox_pred
        return tde.log_softmax(dim=-1), bbox_pred

    @torch.no_grad()
    def update_mean_feat(self, feat: Tensor, labels: Tensor) -> None:
        """``mean_feat <- mu * mean_feat + mean of the foreground rows``, over all processes.

        Args:
            feat: un-normalised RoI features of shape ``(N, D)``.
            labels: RoI labels of shape ``(N,)``; ``num_classes`` is the background.
        """
        is_fg = (labels >= 0) & (labels < self.num_classes)
        total, count = masked_sum_and_count(feat.float(), is_fg)
        stats = torch.cat([total, count.view(1)])
        dist.all_reduce(stats, op='sum')
        if stats[-1] > 0:
            fg_mean = (stats[:-1] / stats[-1]).to(self.mean_feat.dtype)
            self.mean_feat.copy_(update_moving_average(self.mean_feat, fg_mean, self.mu))

    def loss(self, cls_score: Tensor, bbox_pred: Tensor, rois: Tensor, labels: Tensor,
             label_weights: Tensor, bbox_targets: Tensor, bbox_weights: Tensor,
             reduction_override: Optional[str] = None) -> dict:
        """Update ``mean_feat`` from the features of the last training forward, then the
        losses of :class:`mmdet.models.BBoxHead` (same signature and keys)."""
        if self.training and self._train_feat is not None:
            if self._train_feat.size(0) != labels.size(0):
                raise RuntimeError(f'TDEBBoxHead: {labels.size(0)} labels for '
                                   f'{self._train_feat.size(0)} RoIs of the last forward')
            self.update_mean_feat(self._train_feat, labels)
            self._train_feat = None
        return super().loss(cls_score, bbox_pred, rois, labels, label_weights, bbox_targets,
                            bbox_weights, reduction_override=reduction_override)
