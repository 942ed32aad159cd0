"""Loss terms of `RIDE <https://arxiv.org/abs/2010.01809>`_ as pure torch functions.

Notation: E experts, N samples, C classes, ``n_c`` training images of class c. Expert logits
``z_i`` are already multiplied by the cosine scale s (30 in RIDE).
"""
from typing import Optional, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from .class_weights import Counts, as_counts


def diversity_temperatures(counts: Counts, base_temperature: float = 1.0,
                           reweight_factor: float = 0.05) -> Tensor:
    """Per-class diversity temperatures ``T_c = T_base * v_c`` of the re-weighted RIDE loss.

    ``v_c = (C * pi_c * g + 1 - g) / max_j (C * pi_j * g + 1 - g)`` with ``pi_c = n_c / N`` and
    ``g = reweight_factor``: head classes get the highest temperature (``T_base``).

    Args:
        counts: training images per class.
        base_temperature: temperature of the most frequent class. Defaults to 1.0.
        reweight_factor: ``g`` above. Defaults to 0.05.

    Returns:
        Tensor: (C,) float32 temperatures.
    """
    counts = as_counts(counts)
    prior = counts / counts.sum()
    v = counts.numel() * prior * reweight_factor + 1.0 - reweight_factor
    return (base_temperature * v / v.max()).float()


def ldam_cross_entropy(logits: Tensor, label: Tensor, margins: Optional[Tensor],
                       scale: float = 30.0) -> Tensor:
    """Per-sample CE after subtracting ``scale * m_y`` from the target logit only.

    Args:
        logits: (N, C) logits, already multiplied by ``scale``.
        label: (N,) integer labels.
        margins: (C,) margins in cosine units, or None for plain CE.
        scale: cosine scale s. Defaults to 30.0.

    Returns:
        Tensor: (N,) unweighted cross-entropy values.
    """
    if margins is not None:
        onehot = F.one_hot(label, logits.size(-1)).to(logits.dtype)
        logits = logits - onehot * (scale * margins.to(logits))[label].unsqueeze(1)
    return F.cross_entropy(logits, label, reduction='none')


def diversity_kl(expert_logits: Tensor, temperature: Union[float, Tensor]) -> Tensor:
    """``T_bar^2 * KL(softmax(z_mean / T) || softmax(z_i / T))`` per sample and expert.

    The target ``z_mean`` is the mean over all experts (expert i included) and is detached.

    Args:
        expert_logits: (N, E, C) expert logits.
        temperature: a scalar or a (C,) per-class temperature dividing the logits column-wise;
            ``T_bar`` is its mean.

    Returns:
        Tensor: (N, E) KL values summed over classes.
    """
    t = torch.as_tensor(temperature, dtype=expert_logits.dtype, device=expert_logits.device)
    log_p = F.log_softmax(expert_logits / t, dim=-1)
    with torch.no_grad():
        target = F.softmax(expert_logits.mean(dim=1, keepdim=True) / t, dim=-1)
    kl = (target * (torch.log(target.clamp_min(1e-30)) - log_p)).sum(-1)
    return kl * t.mean()**2


def distill_kl(student: Tensor, teacher: Tensor, temperature: float = 1.5) -> Tensor:
    """``T^2 * KL(softmax(teacher / T) || softmax(student / T))`` per sample.

    Args:
        student: (N, C) student logits.
        teacher: (N, C) teacher logits (no gradient flows into them).
        temperature: distillation temperature T. Defaults to 1.5.

    Returns:
        Tensor: (N,) KL values summed over classes.
    """
    log_p = F.log_softmax(student / temperature, dim=-1)
    target = F.softmax(teacher.detach() / temperature, dim=-1)
    kl = (target * (torch.log(target.clamp_min(1e-30)) - log_p)).sum(-1)
    return kl * temperature**2
