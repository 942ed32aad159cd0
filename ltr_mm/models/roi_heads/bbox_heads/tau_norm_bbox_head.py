"""tau-norm box head: Decoupling's classifier re-balancing as a test-time option of a detector."""
from typing import Any, Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.utils import ConfigType
from torch import Tensor, nn

from ltr_mm.models.functional.tau_norm import tau_normalize
from ltr_mm.models.roi_heads.bbox_heads.shared_fc import shared_fc_feat
from ltr_mm.registry import DET_MODELS, register

DEFAULT_TEST_CFG: Dict[str, Any] = dict(tau_norm=0.0, tau_norm_select=False, keep_bias=True)


@register(DET_MODELS)
class TauNormBBoxHead(Shared2FCBBoxHead):
    """``Shared2FCBBoxHead`` with `Decoupling <https://arxiv.org/abs/1910.09217>`_ tau-norm
    of ``fc_cls`` at prediction.

    Training is the stock head's (same modules, parameters, forward and loss), so the head
    scores any checkpoint of a ``Shared2FCBBoxHead`` detector. In eval mode the logits use
    re-scaled rows of the trained ``fc_cls`` (``C + 1`` rows, background row ``C`` last),
    chosen by ``test_cfg``:

    - ``tau_norm=p`` (every row): ``z_c = <x, w_c / ||w_c|| ** p> + b_c`` for all ``C + 1``
      rows, background included (:func:`tau_normalize`). ``p = 0`` is off.
    - ``tau_norm_select=True`` (foreground rows only): rows ``0..C-1`` are re-scaled as above;
      the background row keeps its trained weight and bias, so the background logit
      ``z_bg = <x, w_bg> + b_bg`` is exactly the trained detector's. The foreground logits
      change, so ``p(bg)`` after mmdet's softmax over the ``C + 1`` logits moves with them;
      what is kept is the background classifier, not the probability.
    - ``keep_bias`` (default True): keep the biases of the re-scaled rows; ``False`` drops them
      (with ``tau_norm_select`` the background bias is kept either way).

    ``tau_norm=0`` with ``keep_bias=True`` is the stock head exactly, whatever
    ``tau_norm_select`` says. The options live in this head's own ``test_cfg`` (not in the
    detector's ``test_cfg.rcnn``, which mmdet passes to ``predict_by_feat`` unchanged), so one
    checkpoint serves a sweep, e.g. ``--cfg-options
    model.roi_head.bbox_head.test_cfg.tau_norm=1.0``. Scores are mmdet's usual single softmax.

    Args:
        test_cfg: ``tau_norm`` (float), ``tau_norm_select`` (bool), ``keep_bias`` (bool).
            Defaults to ``dict(tau_norm=0.0, tau_norm_select=False, keep_bias=True)`` (off).
        **kwargs: the arguments of :class:`mmdet.models.Shared2FCBBoxHead`; ``loss_cls`` must
            be a plain ``C + 1`` softmax loss and ``fc_cls`` a plain ``Linear``.
    """

    def __init__(self, *args, test_cfg: Optional[ConfigType] = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.custom_cls_channels:
            raise ValueError('TauNormBBoxHead needs a plain softmax loss_cls with C + 1 outputs')
        if self.with_cls and type(self.fc_cls) is not nn.Linear:
            raise ValueError('TauNormBBoxHead needs cls_predictor_cfg=dict(type="Linear"), got '
                             f'{type(self.fc_cls).__name__}')
        unknown = set(test_cfg or {}) - set(DEFAULT_TEST_CFG)
        if unknown:
            raise ValueError(f'TauNormBBoxHead: unknown test_cfg keys {sorted(unknown)}; '
                             f'allowed {sorted(DEFAULT_TEST_CFG)}')
        self.test_cfg = {**DEFAULT_TEST_CFG, **(test_cfg or {})}

    @property
    def tau_norm_active(self) -> bool:
        """Whether the eval-mode classifier differs from the trained one."""
        return not (float(self.test_cfg['tau_norm']) == 0 and bool(self.test_cfg['keep_bias']))

    def tau_norm_params(self) -> Tuple[Tensor, Optional[Tensor]]:
        """Weight ``(C + 1, D)`` and bias ``(C + 1,)`` (or None) of the test-time classifier."""
        tau = float(self.test_cfg['tau_norm'])
        keep_bias = bool(self.test_cfg['keep_bias'])
        weight, bias = self.fc_cls.weight, self.fc_cls.bias
        if not self.test_cfg['tau_norm_select']:
            return tau_normalize(weight, tau), bias if keep_bias else None
        num_fg = self.num_classes
        weight = torch.cat([tau_normalize(weight[:num_fg], tau), weight[num_fg:]])
        if bias is not None and not keep_bias:
            bias = torch.cat([bias.new_zeros(num_fg), bias[num_fg:]])
        return weight, bias

    def forward(self, x: Tensor) -> Tuple[Optional[Tensor], Optional[Tensor]]:
        """Stock forward in training; tau-normed ``cls_score`` in eval mode.

        Args:
            x: RoI features of shape ``(N, in_channels, roi_feat_size, roi_feat_size)``.

        Returns:
            tuple[Tensor, Tensor]: ``cls_score`` of shape ``(N, num_classes + 1)`` and
            ``bbox_pred`` of shape ``(N, 4)`` or ``(N, 4 * num_classes)``.
        """
        if self.training or not self.with_cls or not self.tau_norm_active:
            return super().forward(x)
        feat = shared_fc_feat(self, x)
        weight, bias = self.tau_norm_params()
        bbox_pred = self.fc_reg(feat) if self.with_reg else None
        return F.linear(feat, weight, bias), bbox_pred
