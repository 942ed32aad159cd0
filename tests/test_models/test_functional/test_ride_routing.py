"""RIDE routing maths: router targets, dynamic inference and the expert share, by hand."""
import torch

from ltr_mm.evaluation.metrics import ExpertShareMetric
from ltr_mm.models.functional.ride_routing import (
    cumulative_mean_logits,
    dynamic_expert_inference,
    router_targets,
)

expert_share = ExpertShareMetric.calculate


def test_router_targets_hand_example():
    # 3 experts, 2 classes. cumulative means per sample (argmax):
    # s0: e0 [0,1]->1 wrong, e01 [1.5,.5]->0 right, e012 -> 1 wrong  => targets [1, 0]
    # s1: e0 wrong, e01 wrong, e012 right                               => targets [1, 1]
    # s2: e0 right                                                      => targets [0, 0]
    # s3: all wrong                                                     => targets [0, 0]
    z = torch.tensor([
        [[0., 1.], [3., 0.], [0., 5.]],
        [[0., 1.], [0., 1.], [9., 0.]],
        [[2., 0.], [0., 9.], [0., 9.]],
        [[0., 1.], [0., 1.], [0., 1.]],
    ])
    y = torch.tensor([0, 0, 0, 0])
    assert torch.equal(cumulative_mean_logits(z)[0, 1], torch.tensor([1.5, 0.5]))
    assert router_targets(z, y).tolist() == [[1., 0.], [1., 1.], [0., 0.], [0., 0.]]


def test_dynamic_inference_stops_per_sample():
    # expert i gives logits (i+1) * [1, 0]; sample n continues while n >= router index
    num_experts, n = 3, 4
    feats = torch.arange(n, dtype=torch.float).view(n, 1)
    logits0 = torch.tensor([[1., 0.]]).repeat(n, 1)
    calls = []

    def run_expert(i, index):
        calls.append((i, index.tolist()))
        return feats[index], torch.tensor([[i + 1.0, 0.0]]).repeat(len(index), 1)

    def route(i, feat, mean_logits):
        return torch.where(feat[:, 0] > i, 10.0, -10.0)

    score, used = dynamic_expert_inference(feats, logits0, num_experts, run_expert, route)
    assert used.tolist() == [1, 2, 3, 3]
    assert calls == [(1, [1, 2, 3]), (2, [2, 3])]
    assert torch.allclose(score[:, 0], torch.tensor([1.0, 1.5, 2.0, 2.0]))
    assert expert_share(used, num_experts) == [0.25, 0.25, 0.5]


def test_dynamic_inference_early_exit_and_empty_share():
    calls = []

    def run_expert(i, index):
        calls.append(i)
        return torch.zeros(len(index), 1), torch.zeros(len(index), 2)

    score, used = dynamic_expert_inference(
        torch.zeros(3, 1), torch.ones(3, 2), 4, run_expert,
        lambda i, f, m: torch.full((f.size(0), ), -5.0))
    assert calls == [] and used.tolist() == [1, 1, 1]
    assert torch.equal(score, torch.ones(3, 2))
    assert expert_share(torch.zeros(0, dtype=torch.long), 3) == [0.0, 0.0, 0.0]
