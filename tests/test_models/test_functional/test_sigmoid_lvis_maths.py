"""Maths of the sigmoid-family LVIS losses against hand computations: the federated class
draw (closed-form inclusion probabilities over many draws), EQLv2's mapping and gradient
statistics, ECM's margins and weights."""
import math

import pytest
import torch

from ltr_mm.models.functional import (
    ecm_class_weights,
    ecm_frequencies,
    ecm_margins,
    eqlv2_class_weights,
    eqlv2_gradients,
    eqlv2_map,
    fed_class_mask,
    fed_class_weights,
    objectness_scores,
    sample_fed_classes,
    sigmoid_scores_with_bg,
)


def test_fed_weights_are_square_roots_of_counts():
    torch.testing.assert_close(fed_class_weights([100, 25, 4, 1, 0]),
                               torch.tensor([10., 5., 2., 1., 1.]))
    torch.testing.assert_close(fed_class_weights([8, 27], power=1 / 3), torch.tensor([2., 3.]))


def test_fed_keeps_present_classes_and_counts_background():
    weight = fed_class_weights([100, 25, 4, 1])  # C = 4, background label 4
    gen = torch.Generator().manual_seed(0)
    keep = sample_fed_classes(torch.tensor([4, 0, 4, 0]), weight, 3, gen)
    # present {0, 4} (background counted, as detectron2), one negative drawn from {1, 2, 3}
    assert keep[:2].tolist() == [0, 4] and keep.numel() == 3 and keep[2].item() in (1, 2, 3)
    assert sample_fed_classes(torch.tensor([2, 1, 0]), weight, 2, gen).tolist() == [0, 1, 2]
    mask = fed_class_mask(torch.tensor([3, 4]), weight, 2, gen)
    assert mask.tolist() == [0., 0., 0., 1.]  # background is not a column of the mask
    # more classes wanted than exist: every class, no error
    assert sorted(sample_fed_classes(torch.tensor([1]), weight, 50, gen).tolist()) == [0, 1, 2, 3]


def _inclusion_frequencies(labels, weight, num_fed, draws=10000):
    gen = torch.Generator().manual_seed(1)
    hits = torch.zeros(weight.numel())
    for _ in range(draws):
        hits += fed_class_mask(labels, weight, num_fed, gen)
    return hits / draws


def test_fed_one_draw_is_proportional_to_sqrt_frequency():
    """Present {0, bg}: one negative from {1, 2, 3} with P = 5/8, 2/8, 1/8."""
    weight = fed_class_weights([100, 25, 4, 1])
    freq = _inclusion_frequencies(torch.tensor([0, 4, 4]), weight, 3)
    expected = torch.tensor([1.0, 5 / 8, 2 / 8, 1 / 8])
    torch.testing.assert_close(freq, expected, atol=0.02, rtol=0)


def test_fed_two_draws_without_replacement():
    """Present {0}: two negatives from weights (5, 2, 1) without replacement; P(j in) =
    P(first j) + sum_i P(first i) * w_j / (8 - w_i)."""
    weight = fed_class_weights([100, 25, 4, 1])
    w = {1: 5, 2: 2, 3: 1}
    expected = [1.0] + [w[j] / 8 + sum(w[i] / 8 * w[j] / (8 - w[i]) for i in w if i != j)
                        for j in (1, 2, 3)]
    assert math.isclose(sum(expected), 3.0)
    freq = _inclusion_frequencies(torch.tensor([0, 0]), weight, 3)
    torch.testing.assert_close(freq, torch.tensor(expected), atol=0.02, rtol=0)


def test_eqlv2_map_and_weights():
    assert math.isclose(float(eqlv2_map(torch.tensor(0.8))), 0.5)
    ratio = torch.tensor([0.0, 0.5, 1.0])
    q = [1 / (1 + math.exp(-12 * (x - 0.8))) for x in ratio.tolist()]
    torch.testing.assert_close(eqlv2_map(ratio), torch.tensor(q))
    pos_w, neg_w = eqlv2_class_weights(ratio * 2, torch.full((3, ), 2.0), alpha=4.0)
    torch.testing.assert_close(neg_w, torch.tensor(q))
    torch.testing.assert_close(pos_w, torch.tensor([1 + 4 * (1 - x) for x in q]))


def test_eqlv2_gradients_are_weighted_sigmoid_residuals():
    z = torch.tensor([[0.0, 2.0], [-1.0, 1.0]])
    t = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    w = torch.tensor([[2.0, 1.0], [1.0, 3.0]])
    s = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    pos, neg = eqlv2_gradients(z, t, w)
    torch.testing.assert_close(pos, torch.tensor([2 * (1 - s(0)), 3 * (1 - s(1))]))
    torch.testing.assert_close(neg, torch.tensor([s(-1), s(2)]))


def test_ecm_margins_and_weights_by_hand():
    freq = ecm_frequencies([9, 1], fg_bg_ratio=1.0)  # background 1 * (9 + 1) = 10
    assert freq.tolist() == [9.0, 1.0, 10.0]
    pos, neg = ecm_margins(freq)
    weight = ecm_class_weights(freq)
    for k, n_pos in enumerate([9.0, 1.0, 10.0]):
        n_neg = 20.0 - n_pos
        s = n_pos ** 0.25 + n_neg ** 0.25
        assert math.isclose(pos[k].item(), -math.log(n_neg ** 0.25 / s), rel_tol=1e-12)
        assert math.isclose(neg[k].item(), -math.log(n_pos ** 0.25 / s), rel_tol=1e-12)
        assert math.isclose(pos[k].item() - neg[k].item(), 0.25 * math.log(n_pos / n_neg),
                            rel_tol=1e-12)
        a = n_neg / n_pos
        assert math.isclose(weight[k].item(), a * math.log((1 + a) / a), rel_tol=1e-12)
    # a rare class (large a) has weight close to 1, the background the smallest one
    assert weight[1] > weight[0] > weight[2]
    with pytest.raises(ValueError, match='fg_bg_ratio'):
        ecm_frequencies([1, 2], fg_bg_ratio=0.0)


def test_sigmoid_score_layouts():
    z = torch.tensor([[1.0, -2.0, 0.5]])
    p = z.sigmoid()
    torch.testing.assert_close(sigmoid_scores_with_bg(z),
                               torch.cat([p, (1 - p).prod(dim=1, keepdim=True)], dim=1))
    torch.testing.assert_close(objectness_scores(z),
                               torch.tensor([[p[0, 0] * (1 - p[0, 2]), p[0, 1] * (1 - p[0, 2]),
                                              p[0, 2]]]))
