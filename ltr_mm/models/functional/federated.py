"""Federated-loss class sampling (pure torch, no OpenMMLab import).

`Probabilistic two-stage detection <https://arxiv.org/abs/2103.07461>`_ (Zhou et al., 2021)
trains the per-class sigmoids of an LVIS detector only on a subset of the classes in each
batch: the classes of the batch's ground truth plus negatives drawn without replacement with
probability proportional to ``freq ** 0.5``, up to 50 classes in all (detectron2's
``USE_FED_LOSS``).
"""
from typing import Optional

import torch
from torch import Tensor

from .class_weights import Counts, as_counts


def fed_class_weights(counts: Counts, power: float = 0.5) -> Tensor:
    """Sampling weights ``n_c ** power`` of the negative classes.

    Args:
        counts: training images per class (LVIS ``image_count``); zeros count as one.
        power: exponent of the frequency. Defaults to 0.5.

    Returns:
        Tensor: float32 weights of shape ``(C,)``.
    """
    return as_counts(counts).pow(power).float()


def sample_fed_classes(labels: Tensor, class_weight: Tensor, num_fed_classes: int = 50,
                       generator: Optional[torch.Generator] = None) -> Tensor:
    """Classes the federated loss is computed on for one batch.

    The distinct labels of the batch, background (label ``C``) included when present as
    detectron2 counts it, then, if there are fewer than ``num_fed_classes``, foreground
    classes not among them drawn without replacement with probability proportional to
    ``class_weight`` until there are ``num_fed_classes`` in all (or no class is left).

    Args:
        labels: labels ``(N,)`` in ``[0, C]`` (``C`` = background).
        class_weight: sampling weights ``(C,)``, e.g. :func:`fed_class_weights`.
        num_fed_classes: classes kept per batch, background included. Defaults to 50.
        generator: random generator of the draw. Defaults to None (torch's global one).

    Returns:
        Tensor: long tensor of class indices in ``[0, C]``: the distinct labels (ascending),
        then the sampled negatives in drawing order.
    """
    num_classes = class_weight.numel()
    present = torch.unique(labels.reshape(-1).long())
    num_draw = num_fed_classes - present.numel()
    if num_draw <= 0:
        return present
    prob = torch.zeros(num_classes + 1, dtype=torch.float32, device=class_weight.device)
    prob[:num_classes] = class_weight.float()
    prob[present.to(prob.device)] = 0
    num_draw = min(num_draw, int((prob > 0).sum()))
    if num_draw == 0:
        return present
    drawn = torch.multinomial(prob, num_draw, replacement=False, generator=generator)
    return torch.cat([present, drawn.to(present.device)])


def fed_class_mask(labels: Tensor, class_weight: Tensor, num_fed_classes: int = 50,
                   generator: Optional[torch.Generator] = None) -> Tensor:
    """``(C,)`` float mask of the foreground classes :func:`sample_fed_classes` keeps."""
    num_classes = class_weight.numel()
    keep = sample_fed_classes(labels, class_weight, num_fed_classes, generator)
    mask = torch.zeros(num_classes + 1, dtype=torch.float32, device=class_weight.device)
    mask[keep.to(mask.device)] = 1.0
    return mask[:num_classes]
