"""Multiply-accumulate (MAC) counting for RIDE models, with and without expert routing.

MACs of ``Conv2d`` and ``Linear`` layers and of the cosine classifier of ``RIDEHead``
(``E * C * D`` per sample) are counted with forward hooks; BN, activations, pooling and
normalisation are ignored. Following the RIDE code (and thop), these MACs are reported as
"GFLOPs" by ``tools/analysis_tools/get_flops.py``.
"""
from typing import Callable, Dict, Sequence

import torch
import torch.nn as nn


def count_macs(module: nn.Module, fn: Callable[[], object]) -> int:
    """MACs spent in ``module``'s conv / linear / RIDE-head layers while ``fn()`` runs.

    Args:
        module: the model (or part) whose sub-modules are hooked.
        fn: a call that runs (part of) the model, e.g. ``lambda: model(x, mode='tensor')``.

    Returns:
        int: total MACs for the whole batch of that call.
    """
    total = [0]

    def conv_hook(m: nn.Conv2d, _inputs, output) -> None:
        kh, kw = m.kernel_size
        total[0] += output.numel() * (m.in_channels // m.groups) * kh * kw

    def linear_hook(m: nn.Linear, _inputs, output) -> None:
        total[0] += output.numel() * m.in_features

    def ride_head_hook(m: nn.Module, _inputs, output) -> None:
        total[0] += output.size(0) * m.weight.numel()

    handles = []
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
        elif type(m).__name__ == 'RIDEHead':
            handles.append(m.register_forward_hook(ride_head_hook))
    try:
        with torch.no_grad():
            fn()
    finally:
        for handle in handles:
            handle.remove()
    return total[0]


def ride_macs(model: nn.Module, shape: Sequence[int]) -> Dict[str, int]:
    """Per-part MACs of a RIDE classifier for one input of ``shape`` (C, H, W).

    Returns:
        dict[str, int]: ``trunk``, ``expert`` (one expert branch), ``classifier`` (one
        expert's classifier), ``router`` (one router evaluation, 0 without a router),
        ``num_experts`` and ``all_experts`` (the static model: trunk + E experts).
    """
    backbone, head = model.backbone, model.head
    was_training = model.training
    model.eval()
    x = torch.zeros(1, *shape, device=next(model.parameters()).device)
    with torch.no_grad():
        trunk_out = backbone.forward_trunk(x)
        feat = backbone.forward_expert(0, trunk_out)
        logits = head.expert_logits(feat, 0)
    parts = dict(
        trunk=count_macs(backbone, lambda: backbone.forward_trunk(x)),
        expert=count_macs(backbone, lambda: backbone.forward_expert(0, trunk_out)),
        classifier=head.num_classes * head.in_channels,
        router=0, num_experts=backbone.num_experts)
    router = getattr(model, 'router', None)
    if router is not None:
        parts['router'] = count_macs(router, lambda: router(0, feat, logits))
    parts['all_experts'] = parts['trunk'] + parts['num_experts'] * (
        parts['expert'] + parts['classifier'])
    model.train(was_training)
    return parts


def routed_macs(parts: Dict[str, int], share: Sequence[float]) -> float:
    """Expected MACs per sample when a fraction ``share[k-1]`` of samples uses k experts.

    A sample using k experts pays the trunk, k expert branches and classifiers and
    ``min(k, E - 1)`` router evaluations. ``share`` is normalised to sum 1 (so percentages
    work).
    """
    num_experts = parts['num_experts']
    if len(share) != num_experts or sum(share) <= 0 or min(share) < 0:
        raise ValueError(f'need {num_experts} non-negative shares, got {list(share)}')
    total = float(sum(share))
    cost = 0.0
    for k, q in enumerate(share, start=1):
        per_sample = parts['trunk'] + k * (parts['expert'] + parts['classifier']) + min(
            k, num_experts - 1) * parts['router']
        cost += q / total * per_sample
    return cost
