"""Causal-norm classifier and TDE inference maths (pure torch, no OpenMMLab import).

`Long-Tailed Classification by Keeping the Good and Removing the Bad Momentum Causal Effect
<https://arxiv.org/abs/2009.12991>`_ (TDE). A feature ``x`` (``D`` dims) and every class
weight ``w_c`` are split into ``K`` contiguous chunks (heads) of ``D / K`` dims:

* causal-norm logits: ``z_c = sum_k tau / K * <x_k / ||x_k||, w_ck / (||w_ck|| + gamma)>``;
* TDE logits: ``x_k`` is replaced by ``x^_k - alpha * cos_k * d^_k`` where ``d`` is the
  moving-average feature, ``d^_k = d_k / ||d_k||`` and ``cos_k = <x^_k, d^_k>``;
* moving average: ``d <- mu * d + batch_mean(x)`` (accumulation form, only the direction of
  ``d`` is used);
* background-exempted detection scores: ``bg = p_bg``, ``fg_i = (1 - p_bg) * q_i / (1 - q_bg)``
  with ``p = softmax(z)`` and ``q = softmax(z_tde)``.
"""
from typing import Tuple

import torch
from torch import Tensor


def split_heads(x: Tensor, num_heads: int) -> Tensor:
    """Split the last dimension into ``num_heads`` contiguous chunks.

    Args:
        x: tensor of shape ``(..., D)`` with ``D`` divisible by ``num_heads``.
        num_heads: number of heads ``K``.

    Returns:
        Tensor: view of shape ``(..., K, D / K)``.
    """
    dim = x.size(-1)
    if num_heads < 1 or dim % num_heads:
        raise ValueError(f'feature dim {dim} is not divisible by num_heads={num_heads}')
    return x.reshape(*x.shape[:-1], num_heads, dim // num_heads)


def normalize_heads(x: Tensor, num_heads: int, eps: float = 1e-9) -> Tensor:
    """Per-head L2 normalisation ``x_k / (||x_k|| + eps)``.

    A zero chunk (e.g. an all-ReLU-dead RoI feature, or a moving average that was never
    updated) stays zero instead of becoming NaN.

    Args:
        x: tensor of shape ``(..., D)``.
        num_heads: number of heads ``K``.
        eps: added to each chunk norm. Defaults to 1e-9.

    Returns:
        Tensor: shape ``(..., K, D / K)``, every non-zero chunk of unit norm.
    """
    chunks = split_heads(x, num_heads)
    return chunks / (chunks.norm(dim=-1, keepdim=True) + eps)


def causal_norm_weight(weight: Tensor, num_heads: int, gamma: float) -> Tensor:
    """Causal weight normalisation ``w_ck / (||w_ck|| + gamma)``.

    Args:
        weight: classifier weight of shape ``(C, D)``.
        num_heads: number of heads ``K``.
        gamma: added to each chunk norm; ``0`` gives plain cosine weights.

    Returns:
        Tensor: shape ``(C, K, D / K)``.
    """
    chunks = split_heads(weight, num_heads)
    return chunks / (chunks.norm(dim=-1, keepdim=True) + gamma)


def causal_norm_logits(feat: Tensor, weight: Tensor, num_heads: int = 2, tau: float = 16.0,
                       gamma: float = 1.0 / 32, eps: float = 1e-9) -> Tensor:
    """Multi-head causal-norm logits ``z_c = sum_k tau / K * <x^_k, w^_ck>``, no bias.

    Args:
        feat: features of shape ``(N, D)``.
        weight: classifier weight of shape ``(C, D)``.
        num_heads: number of heads ``K``. Defaults to 2.
        tau: logit scale. Defaults to 16.0.
        gamma: weight-norm offset. Defaults to 1/32.
        eps: feature-norm offset. Defaults to 1e-9.

    Returns:
        Tensor: logits of shape ``(N, C)``.
    """
    x_hat = normalize_heads(feat, num_heads, eps)
    w_hat = causal_norm_weight(weight, num_heads, gamma)
    return torch.einsum('nkd,ckd->nc', x_hat, w_hat) * (tau / num_heads)


def tde_logits(feat: Tensor, weight: Tensor, mean_feat: Tensor, alpha: float,
               num_heads: int = 2, tau: float = 16.0, gamma: float = 1.0 / 32,
               eps: float = 1e-9) -> Tensor:
    """Total-direct-effect logits ``sum_k tau / K * <x^_k - alpha cos_k d^_k, w^_ck>``.

    Equal to ``causal_norm_logits(...) - alpha * sum_k tau / K * cos_k <d^_k, w^_ck>``;
    ``alpha = 0`` (or a zero ``mean_feat``) gives the plain causal-norm logits.

    Args:
        feat: features of shape ``(N, D)``.
        weight: classifier weight of shape ``(C, D)``.
        mean_feat: moving-average feature ``d`` of shape ``(D,)``; only its per-head
            direction is used.
        alpha: strength of the counterfactual subtraction.
        num_heads: number of heads ``K``. Defaults to 2.
        tau: logit scale. Defaults to 16.0.
        gamma: weight-norm offset. Defaults to 1/32.
        eps: feature-norm offset. Defaults to 1e-9.

    Returns:
        Tensor: logits of shape ``(N, C)``.
    """
    x_hat = normalize_heads(feat, num_heads, eps)
    d_hat = normalize_heads(mean_feat.to(feat.dtype), num_heads, eps)
    cos = torch.einsum('nkd,kd->nk', x_hat, d_hat)
    x_tde = x_hat - alpha * cos.unsqueeze(-1) * d_hat
    w_hat = causal_norm_weight(weight, num_heads, gamma)
    return torch.einsum('nkd,ckd->nc', x_tde, w_hat) * (tau / num_heads)


def head_cosines(feat: Tensor, mean_feat: Tensor, num_heads: int = 2,
                 eps: float = 1e-9) -> Tensor:
    """Per-head cosine ``cos_k = <x^_k, d^_k>`` of each feature with the moving average.

    These are the coefficients that TDE inference multiplies by ``alpha``.

    Args:
        feat: features of shape ``(N, D)``.
        mean_feat: moving-average feature ``d`` of shape ``(D,)``.
        num_heads: number of heads ``K``. Defaults to 2.
        eps: norm offset. Defaults to 1e-9.

    Returns:
        Tensor: shape ``(N, K)``.
    """
    x_hat = normalize_heads(feat, num_heads, eps)
    d_hat = normalize_heads(mean_feat.to(feat.dtype), num_heads, eps)
    return torch.einsum('nkd,kd->nk', x_hat, d_hat)


def tde_logit_shift(weight: Tensor, mean_feat: Tensor, num_heads: int = 2, tau: float = 16.0,
                    gamma: float = 1.0 / 32, eps: float = 1e-9) -> Tensor:
    """Per-head logit shift ``s_ck = tau / K * <d^_k, w^_ck>`` of TDE inference.

    TDE lowers class ``c``'s logit by ``alpha * sum_k cos_k * s_ck``: classes whose weights
    point along the moving average (``s_ck > 0``) lose score, those pointing away gain, and a
    feature gains or loses in proportion to its cosines ``cos_k`` with the moving average.

    Args:
        weight: classifier weight of shape ``(C, D)``.
        mean_feat: moving-average feature ``d`` of shape ``(D,)``.
        num_heads: number of heads ``K``. Defaults to 2.
        tau: logit scale. Defaults to 16.0.
        gamma: weight-norm offset. Defaults to 1/32.
        eps: norm offset of ``d``. Defaults to 1e-9.

    Returns:
        Tensor: shape ``(C, K)``.
    """
    d_hat = normalize_heads(mean_feat.to(weight.dtype), num_heads, eps)
    w_hat = causal_norm_weight(weight, num_heads, gamma)
    return torch.einsum('kd,ckd->ck', d_hat, w_hat) * (tau / num_heads)


def heuristic_alpha(mean_cos: float) -> float:
    """The TDE authors' label-free choice of ``alpha``: ``alpha * mean(cos) = 1``.

    Args:
        mean_cos: mean of :func:`head_cosines` over the features of a held-out or test set
            (no labels are needed).

    Returns:
        float: ``1 / mean_cos``.
    """
    if not mean_cos > 0:
        raise ValueError(f'heuristic_alpha: the mean cosine must be positive, got {mean_cos}')
    return 1.0 / float(mean_cos)


def bg_exempted_log_probs(logits: Tensor, tde: Tensor) -> Tensor:
    """Log of the background-exempted TDE scores; the last column is the background.

    ``bg = p_bg`` and ``fg_i = (1 - p_bg) * q_i / (1 - q_bg)`` with ``p = softmax(logits)`` and
    ``q = softmax(tde)``: TDE re-ranks classes inside the foreground while the fg/bg split of
    the plain classifier is kept. Computed in log space, so the rows are exactly normalised
    and no ``1e-10`` guards are needed; ``softmax`` of the result gives the scores back.

    Args:
        logits: plain logits of shape ``(N, C + 1)``.
        tde: TDE logits of shape ``(N, C + 1)``.

    Returns:
        Tensor: log-probabilities of shape ``(N, C + 1)``.
    """
    log_p = logits.log_softmax(dim=-1)
    log_q = tde.log_softmax(dim=-1)
    log_p_fg = log_p[:, :-1].logsumexp(dim=-1, keepdim=True)
    log_q_fg = log_q[:, :-1].logsumexp(dim=-1, keepdim=True)
    return torch.cat([log_q[:, :-1] - log_q_fg + log_p_fg, log_p[:, -1:]], dim=-1)


def bg_exempted_probs(logits: Tensor, tde: Tensor) -> Tensor:
    """Background-exempted TDE probabilities, see :func:`bg_exempted_log_probs`.

    Args:
        logits: plain logits of shape ``(N, C + 1)``, background last.
        tde: TDE logits of shape ``(N, C + 1)``.

    Returns:
        Tensor: probabilities of shape ``(N, C + 1)``, rows summing to one.
    """
    return bg_exempted_log_probs(logits, tde).exp()


def masked_sum_and_count(feat: Tensor, mask: Tensor) -> Tuple[Tensor, Tensor]:
    """Sum and number of the selected rows, the parts of a mean that can be all-reduced.

    Args:
        feat: features of shape ``(N, D)``.
        mask: boolean mask of shape ``(N,)``.

    Returns:
        tuple[Tensor, Tensor]: feature sum ``(D,)`` and count (0-dim, same dtype as feat).
    """
    selected = feat[mask]
    return selected.sum(dim=0), feat.new_tensor(float(selected.size(0)))


def update_moving_average(mean_feat: Tensor, batch_mean: Tensor, mu: float) -> Tensor:
    """Accumulation step ``d <- mu * d + batch_mean`` (no ``1 - mu`` factor).

    Args:
        mean_feat: current moving average ``d`` of shape ``(D,)``.
        batch_mean: detached batch-mean feature of shape ``(D,)``.
        mu: momentum.

    Returns:
        Tensor: the new moving average (a new tensor; ``mean_feat`` is left untouched).
    """
    return mu * mean_feat + batch_mean
