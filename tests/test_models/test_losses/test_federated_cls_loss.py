"""FederatedClsLoss: C-wide fc_cls, BCE over the kept classes by hand, the sampled classes are
exactly those that receive a gradient, class statistics protocol."""
import math

import pytest
import torch
from sigmoid_lvis_helpers import bce, build, head_losses, stock_head

from ltr_mm.utils.class_stats import ClassStats

COUNTS = [400, 100, 25, 9, 4, 1]  # sqrt: 20, 10, 5, 3, 2, 1


def _inputs():
    torch.manual_seed(0)
    logits = torch.randn(5, 6)
    labels = torch.tensor([0, 6, 2, 6, 0])  # 6 = C: background
    return logits, labels


def test_protocol_and_channels():
    loss = build(dict(type='FederatedClsLoss', class_counts=COUNTS))
    assert loss.custom_cls_channels and loss.custom_activation and loss.custom_accuracy
    assert loss.get_cls_channels(1203) == 1203
    assert loss.num_fed_classes == 50 and loss.freq_power == 0.5
    torch.testing.assert_close(loss.fed_weight, torch.tensor([20., 10., 5., 3., 2., 1.]))
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match='num_fed_classes'):
            build(dict(type='FederatedClsLoss', num_fed_classes=bad))


def test_all_classes_kept_is_plain_bce_by_hand():
    logits, labels = _inputs()
    loss = build(dict(type='FederatedClsLoss', class_counts=COUNTS, num_fed_classes=50))
    weights = torch.tensor([1.0, 1.0, 0.5, 1.0, 2.0])
    total = 0.0
    for row, y, w in zip(logits.tolist(), labels.tolist(), weights.tolist()):
        total += w * sum(bce(z, float(c == y)) for c, z in enumerate(row))
    value = loss(logits, labels, weights, avg_factor=5.0)
    assert math.isclose(value.item(), total / 5, rel_tol=1e-5)
    per_roi = loss(logits, labels, reduction_override='none')
    assert per_roi.shape == (5, )


def test_sampled_classes_are_the_trained_classes():
    """Present {0, 2, bg} and num_fed_classes 5: two negatives from {1, 3, 4, 5}; exactly the
    columns of {0, 2} and the two negatives get a gradient, and the loss is their BCE."""
    logits, labels = _inputs()
    loss = build(dict(type='FederatedClsLoss', class_counts=COUNTS, num_fed_classes=5))
    seen = set()
    for seed in range(30):
        torch.manual_seed(seed)
        z = logits.clone().requires_grad_()
        value = loss(z, labels, avg_factor=5.0)
        value.backward()
        trained = (z.grad.abs().sum(dim=0) > 0).nonzero().flatten().tolist()
        assert {0, 2} <= set(trained) and len(trained) == 4
        seen.update(set(trained) - {0, 2})
        total = sum(bce(row[c], float(c == y)) for row, y in
                    zip(logits.tolist(), labels.tolist()) for c in trained)
        assert math.isclose(value.item(), total / 5, rel_tol=1e-5)
    assert seen == {1, 3, 4, 5}


def test_activation_accuracy_and_errors():
    loss = build(dict(type='FederatedClsLoss', class_counts=COUNTS))
    logits, labels = _inputs()
    scores = loss.get_activation(logits)
    assert scores.shape == (5, 7)
    torch.testing.assert_close(scores[:, :6], logits.sigmoid())
    torch.testing.assert_close(scores[:, 6], (1 - logits.sigmoid()).prod(dim=1))
    assert set(loss.get_accuracy(logits, labels)) == {'acc_classes'}
    with pytest.raises(ValueError, match='columns'):
        loss(torch.zeros(2, 7), torch.tensor([0, 6]))
    unset = build(dict(type='FederatedClsLoss'))
    assert not unset.has_class_stats
    with pytest.raises(RuntimeError, match='FederatedClsLoss.*SetClassStatsHook'):
        unset(logits, labels)
    unset.set_class_stats(ClassStats.from_counts(COUNTS))
    assert unset.has_class_stats and list(unset.state_dict()) == []


def test_stock_head():
    head = stock_head(dict(type='FederatedClsLoss', class_counts=[5, 4, 3, 2, 1]))
    assert head.fc_cls.out_features == 5
    cls_score, losses = head_losses(head, [0, 5, 4, 5])
    assert set(losses) == {'loss_cls', 'acc_classes', 'loss_bbox'}
    expected = sum(bce(row[c], float(c == y)) for row, y in
                   zip(cls_score.tolist(), [0, 5, 4, 5]) for c in range(5)) / 4
    assert math.isclose(losses['loss_cls'].item(), expected, rel_tol=1e-5)
