"""Linear classification head with test-time classifier balancing."""
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.structures import DataSample
from torch import Tensor

from ltr_mm.models.functional import adjust_logits, cosine_logits, log_prior, tau_normalize
from ltr_mm.models.layers import CosineLinear
from ltr_mm.registry import CLS_MODELS, register
from ltr_mm.utils.class_stats import ClassStats, as_class_stats

Counts = Union[Sequence[int], Tensor]
DEFAULT_TEST_CFG: Dict[str, Any] = dict(tau_norm=0.0, keep_bias=True, logit_adjust=0.0)


@register(CLS_MODELS)
class LTLinearClsHead(LinearClsHead):
    """Linear (or cosine) head whose test-time scoring can be re-balanced from ``test_cfg``.

    Training is plain ``LinearClsHead`` training. At prediction two post-hoc corrections can be
    switched on, so one checkpoint serves a sweep through ``--cfg-options
    model.head.test_cfg.tau_norm=1.0`` and friends:

    - ``tau_norm=p``: `Decoupling <https://arxiv.org/abs/1910.09217>`_ tau-normalisation,
      logits from ``w_c / ||w_c|| ** p`` (:func:`tau_normalize`); ``p = 0`` is off.
      ``keep_bias=True`` keeps the stage-1 bias as BagofTricks-LT does; ``False`` drops it as
      Decoupling and RIDE do. Neither option changes training. A cosine classifier has unit
      weights already, so ``tau_norm`` leaves its logits unchanged.
    - ``logit_adjust=tau``: post-hoc `logit adjustment <https://arxiv.org/abs/2007.07314>`_,
      ``z_c - tau * log pi_c`` with ``pi`` the training class prior (zero counts count as one);
      ``0`` is off. The counts come from :meth:`set_class_stats` (``SetClassStatsHook``;
      ``has_class_stats`` tells whether they are set) or the ``class_counts`` argument.

    ``pred_score`` is the softmax of the corrected logits.

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Feature width ``D``.
        cosine (bool): Use :class:`CosineLinear` (no bias) instead of ``nn.Linear``.
            Defaults to False.
        scale (float): Logit scale of the cosine classifier. Defaults to 16.0.
        class_counts (Sequence[int], optional): Training counts per class. Defaults to None.
        test_cfg (dict, optional): ``tau_norm`` (float, defaults to 0.0), ``keep_bias`` (bool,
            defaults to True) and ``logit_adjust`` (float, defaults to 0.0). Defaults to None
            (all off).
        init_cfg (dict, optional): Initialisation. Defaults to
            ``dict(type='Normal', layer='Linear', std=0.01)`` (the cosine layer keeps its
            uniform init).
        **kwargs: ``loss``, ``topk`` and ``cal_acc`` of ``mmpretrain.models.ClsHead``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 cosine: bool = False,
                 scale: float = 16.0,
                 class_counts: Optional[Counts] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = dict(type='Normal', layer='Linear', std=0.01),
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, init_cfg=init_cfg, **kwargs)
        if cosine:
            self.fc = CosineLinear(in_channels, num_classes, scale=scale)
        unknown = set(test_cfg or {}) - set(DEFAULT_TEST_CFG)
        if unknown:
            raise ValueError(f'{type(self).__name__}: unknown test_cfg keys {sorted(unknown)}; '
                             f'allowed {sorted(DEFAULT_TEST_CFG)}')
        self.test_cfg = {**DEFAULT_TEST_CFG, **(test_cfg or {})}
        self.register_buffer('log_prior', torch.zeros(num_classes), persistent=False)
        self.class_stats: Optional[ClassStats] = None
        if class_counts is not None:
            self.set_class_stats(ClassStats.from_counts(class_counts))

    @property
    def has_class_stats(self) -> bool:
        """Whether :meth:`set_class_stats` has been called."""
        return self.class_stats is not None

    def set_class_stats(self, stats: ClassStats) -> None:
        """Keep the training statistics and fill the ``log_prior`` buffer from their counts."""
        stats = as_class_stats(stats, type(self).__name__)
        if stats.num_classes != self.num_classes:
            raise ValueError(f'{type(self).__name__}: {stats.describe()} has '
                             f'{stats.num_classes} class counts for '
                             f'num_classes={self.num_classes}')
        self.log_prior.copy_(log_prior(stats.counts).to(self.log_prior.device))
        self.class_stats = stats

    def _current_log_prior(self) -> Tensor:
        """Log prior for logit adjustment."""
        if not self.has_class_stats:
            raise RuntimeError(f'{type(self).__name__}: logit_adjust needs class counts; add '
                               'SetClassStatsHook or pass class_counts')
        return self.log_prior

    def _linear(self, x: Tensor, weight: Tensor, bias: Optional[Tensor]) -> Tensor:
        """The classifier of this head applied with the given weight and bias."""
        if isinstance(self.fc, CosineLinear):
            logits = cosine_logits(x, weight, self.fc.scale, self.fc.eps)
            return logits if bias is None else logits + bias
        return F.linear(x, weight, bias)

    def test_logits(self, feats: Tuple[Tensor, ...]) -> Tensor:
        """Logits with the test-time tau-norm / bias options, before logit adjustment."""
        x = self.pre_logits(feats)
        tau, keep_bias = float(self.test_cfg['tau_norm']), bool(self.test_cfg['keep_bias'])
        if tau == 0 and keep_bias:
            return self.fc(x)
        bias = self.fc.bias if keep_bias else None
        return self._linear(x, tau_normalize(self.fc.weight, tau), bias)

    def predict(self,
                feats: Tuple[Tensor, ...],
                data_samples: Optional[List[Optional[DataSample]]] = None) -> List[DataSample]:
        """Predict with the ``test_cfg`` corrections; see the class docstring."""
        return self._get_predictions(self.test_logits(feats), data_samples)

    def _get_predictions(self, cls_score: Tensor,
                         data_samples: Optional[List[Optional[DataSample]]]) -> List[DataSample]:
        """Post-hoc logit adjustment (if ``test_cfg.logit_adjust``), then softmax and argmax."""
        tau = float(self.test_cfg['logit_adjust'])
        if tau != 0:
            cls_score = adjust_logits(cls_score, self._current_log_prior(), -tau)
        return super()._get_predictions(cls_score, data_samples)
