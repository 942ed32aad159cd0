"""Learnable weight scaling (LWS) classifier layer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ltr_mm.registry import SHARED_MODELS, register


@register(*SHARED_MODELS)
class LWSLinear(nn.Module):
    """Frozen linear classifier with one learnable scale per class.

    Learnable weight scaling of `Decoupling <https://arxiv.org/abs/1910.09217>`_:
    ``z_c = f_c * (w_c . x + b_c)``, where ``w`` and ``b`` come from the stage-1 classifier and
    stay fixed, and only ``f`` (initialised to 1) is trained. ``weight`` and ``bias`` are
    buffers, not parameters, so no optimizer or freeze pattern can train them; they keep the
    ``nn.Linear`` state-dict keys (``fc.weight``, ``fc.bias``), so a stage-1 checkpoint with a
    plain linear classifier loads into this layer unchanged.

    Args:
        in_features (int): Feature width ``D``.
        out_features (int): Number of classes ``C``.
        bias (bool): Whether the frozen classifier has a bias. Defaults to True.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        bound = 1 / math.sqrt(in_features)
        self.register_buffer('weight',
                             torch.empty(out_features, in_features).uniform_(-bound, bound))
        if bias:
            self.register_buffer('bias', torch.zeros(out_features))
        else:
            self.bias = None
        self.scales = nn.Parameter(torch.ones(out_features))

    def forward(self, x: Tensor) -> Tensor:
        """Logits of shape ``(N, C)`` from features of shape ``(N, D)``."""
        return self.scales * F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        """Shown by ``print(module)``."""
        return (f'in_features={self.in_features}, out_features={self.out_features}, '
                f'bias={self.bias is not None}')
