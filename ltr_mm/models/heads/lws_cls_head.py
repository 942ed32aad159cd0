"""Learnable weight scaling (LWS) head for decoupled classifier re-balancing."""
from typing import Optional

import torch.nn.functional as F
from torch import Tensor

from ltr_mm.models.layers import LWSLinear
from ltr_mm.registry import CLS_MODELS, register

from .lt_linear_cls_head import LTLinearClsHead


@register(CLS_MODELS)
class LWSClsHead(LTLinearClsHead):
    """Stage-2 head of `Decoupling <https://arxiv.org/abs/1910.09217>`_ LWS.

    The classifier is an :class:`LWSLinear`: ``z_c = f_c * (w_c . x + b_c)`` with ``w`` and
    ``b`` frozen buffers loaded from the stage-1 checkpoint (same ``head.fc.weight`` /
    ``head.fc.bias`` keys as a ``LinearClsHead``) and only the per-class scales ``f``
    (``head.fc.scales``, initialised to 1) trained, usually with class-balanced sampling.
    The ``test_cfg`` options of :class:`LTLinearClsHead` still apply; tau-norm acts on the
    frozen weights before the scales.

    Args:
        num_classes (int): Number of classes ``C``.
        in_channels (int): Feature width ``D``.
        bias (bool): Whether the frozen stage-1 classifier has a bias. Defaults to True.
        init_cfg (dict, optional): Initialisation; the frozen weights come from ``load_from``,
            so none is needed. Defaults to None.
        **kwargs: ``class_counts``, ``test_cfg``, ``loss``, ``topk`` and ``cal_acc`` of
            :class:`LTLinearClsHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 bias: bool = True,
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, cosine=False, init_cfg=init_cfg, **kwargs)
        self.fc = LWSLinear(in_channels, num_classes, bias=bias)

    def _linear(self, x: Tensor, weight: Tensor, bias: Optional[Tensor]) -> Tensor:
        """Scaled frozen classifier applied with the given weight and bias."""
        return self.fc.scales * F.linear(x, weight, bias)
