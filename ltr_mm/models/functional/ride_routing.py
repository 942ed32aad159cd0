"""Expert assignment (routing) of `RIDE <https://arxiv.org/abs/2010.01809>`_, pure torch.

Router i (0-based, ``i < E - 1``) decides whether a sample that has used experts 0..i also
runs expert i+1. Its inputs are expert i's pooled feature and the mean logits of experts 0..i.
"""
from typing import Callable, Tuple

import torch
from torch import Tensor


def cumulative_mean_logits(expert_logits: Tensor) -> Tensor:
    """Mean logits of experts 0..i for every i.

    Args:
        expert_logits: (N, E, C) logits of every expert.

    Returns:
        Tensor: (N, E, C); entry ``[:, i]`` is the mean over experts 0..i.
    """
    steps = torch.arange(1, expert_logits.size(1) + 1, device=expert_logits.device)
    return expert_logits.cumsum(dim=1) / steps.to(expert_logits).view(1, -1, 1)


def router_targets(expert_logits: Tensor, label: Tensor) -> Tensor:
    """Targets of the E-1 routers.

    Router i's target is 1 when the ensemble of experts 0..i is wrong (argmax != label) and
    the ensemble of experts 0..j is right for some j > i; otherwise 0.

    Args:
        expert_logits: (N, E, C) logits of every expert.
        label: (N,) integer labels.

    Returns:
        Tensor: (N, E - 1) float targets.
    """
    correct = cumulative_mean_logits(expert_logits).argmax(-1) == label.view(-1, 1)
    # later_correct[:, i] = any(correct[:, j] for j > i)
    flipped = correct.flip(1).int().cummax(dim=1).values.flip(1).bool()
    later_correct = torch.zeros_like(correct)
    later_correct[:, :-1] = flipped[:, 1:]
    return (~correct[:, :-1] & later_correct[:, :-1]).float()


def dynamic_expert_inference(
        first_feat: Tensor, first_logits: Tensor, num_experts: int,
        run_expert: Callable[[int, Tensor], Tuple[Tensor, Tensor]],
        route: Callable[[int, Tensor, Tensor], Tensor],
        threshold: float = 0.5) -> Tuple[Tensor, Tensor]:
    """Add experts one by one, per sample, until the router says stop.

    Every sample runs expert 0. For ``i = 1..E-1`` the samples still active are scored by
    router ``i-1`` on (expert i-1 feature, current mean logits); those with
    ``sigmoid(score) > threshold`` run expert i, the others stop for good. The loop ends
    early when no sample is active.

    Args:
        first_feat: (N, D) pooled feature of expert 0.
        first_logits: (N, C) logits of expert 0.
        num_experts: number of experts E.
        run_expert: ``run_expert(i, index)`` returns (feature, logits) of expert i for the
            samples ``index`` (a 1-D long tensor).
        route: ``route(i, feat, mean_logits)`` returns router i's (M,) raw scores.
        threshold: probability above which one more expert is used. Defaults to 0.5.

    Returns:
        tuple[Tensor, Tensor]: (N, C) mean logits of the experts each sample used and (N,)
        long number of experts used.
    """
    n = first_logits.size(0)
    logit_sum = first_logits.clone()
    used = torch.ones(n, dtype=torch.long, device=first_logits.device)
    active = torch.arange(n, device=first_logits.device)
    feat = first_feat
    for i in range(1, num_experts):
        mean_logits = logit_sum[active] / used[active].unsqueeze(1).to(logit_sum)
        keep = torch.sigmoid(route(i - 1, feat, mean_logits)) > threshold
        active, feat = active[keep], feat[keep]
        if active.numel() == 0:
            break
        feat, logits = run_expert(i, active)
        logit_sum[active] += logits
        used[active] += 1
    return logit_sum / used.unsqueeze(1).to(logit_sum), used

