"""Cosine (normalised) linear classifier layer."""
import math
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from ltr_mm.models.functional import cosine_logits
from ltr_mm.registry import SHARED_MODELS, register


@register(*SHARED_MODELS)
class CosineLinear(nn.Module):
    """Linear layer on L2-normalised features and weights, times a fixed scale.

    ``z_c = s * cos(x, w_c) (+ b_c)``: the cosine classifier of `Gidaris & Komodakis
    <https://arxiv.org/abs/1804.09458>`_ used by the long-tail literature (LDAM's normed FC,
    cRT/LWS variants). The weight norms cannot encode class frequency, so tau-norm has no
    effect on it. Argument names follow ``nn.Linear``, so mmdet heads can build it through
    ``cls_predictor_cfg=dict(type='CosineLinear', scale=16.)``.

    Args:
        in_features (int): Feature width ``D``.
        out_features (int): Number of classes ``C``.
        scale (float): The factor ``s``; logits lie in ``[-s, s]``. Defaults to 16.0.
        bias (bool): Add a learnable per-class bias after the scaled cosine.
            Defaults to False.
        eps (float): Lower bound of the norms. Defaults to 1e-12.
    """

    def __init__(self,
                 in_features: int,
                 out_features: int,
                 scale: float = 16.0,
                 bias: bool = False,
                 eps: float = 1e-12) -> None:
        super().__init__()
        if scale <= 0:
            raise ValueError(f'CosineLinear: scale must be > 0, got {scale}')
        self.in_features = in_features
        self.out_features = out_features
        self.scale = scale
        self.eps = eps
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.bias: Optional[nn.Parameter] = (
            nn.Parameter(torch.zeros(out_features)) if bias else None)
        nn.init.uniform_(self.weight, -1 / math.sqrt(in_features), 1 / math.sqrt(in_features))

    def forward(self, x: Tensor) -> Tensor:
        """Logits of shape ``(N, C)`` from features of shape ``(N, D)``."""
        logits = cosine_logits(x, self.weight, self.scale, self.eps)
        return logits if self.bias is None else logits + self.bias

    def extra_repr(self) -> str:
        """Shown by ``print(module)``."""
        return (f'in_features={self.in_features}, out_features={self.out_features}, '
                f'scale={self.scale}, bias={self.bias is not None}')
