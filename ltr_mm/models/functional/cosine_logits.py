"""Cosine-similarity logits (pure torch, no OpenMMLab import)."""
import torch.nn.functional as F
from torch import Tensor


def cosine_logits(x: Tensor, weight: Tensor, scale: float = 16.0, eps: float = 1e-12) -> Tensor:
    """Scaled cosine similarity between features and class weights.

    ``z_c = s * <x / ||x||, w_c / ||w_c||>``, the normalised classifier of `cosine softmax
    <https://arxiv.org/abs/1804.09458>`_ and of the LDAM / long-tail literature.

    Args:
        x: features of shape ``(N, D)``.
        weight: class weights of shape ``(C, D)``.
        scale: the factor ``s``. Defaults to 16.0.
        eps: lower bound of the norms (all-zero vectors give zero logits). Defaults to 1e-12.

    Returns:
        Tensor: logits of shape ``(N, C)`` in ``[-s, s]``.
    """
    return scale * F.linear(F.normalize(x, dim=1, eps=eps), F.normalize(weight, dim=1, eps=eps))
