"""ECMClsLoss: C + 1 wide fc_cls, the loss by hand in the two-logit softmax form of the
authors, class statistics protocol, objectness scores."""
import math

import pytest
import torch
from sigmoid_lvis_helpers import build, head_losses, stock_head

from ltr_mm.utils.class_stats import ClassStats

COUNTS = [9, 1]


def ecm_by_hand(logits, labels, counts, ratio):
    """sum_k -w_k [t log p+ + (1 - t) log(1 - p+)] over RoIs / number of RoIs, with
    p+ = e^(z + m+) / (e^(z + m+) + e^(-z + m-))."""
    freq = list(counts) + [ratio * sum(counts)]
    total_n = sum(freq)
    total = 0.0
    for row, y in zip(logits, labels):
        for k, z in enumerate(row):
            n_pos, n_neg = freq[k], total_n - freq[k]
            s = n_pos ** 0.25 + n_neg ** 0.25
            m_pos, m_neg = math.log(s / n_neg ** 0.25), math.log(s / n_pos ** 0.25)
            e_pos, e_neg = math.exp(z + m_pos), math.exp(-z + m_neg)
            p_pos = e_pos / (e_pos + e_neg)
            a = n_neg / n_pos
            w = a * math.log((1 + a) / a)
            t = float(k == y)
            total += -w * (t * math.log(p_pos) + (1 - t) * math.log(1 - p_pos))
    return total / len(logits)


def test_loss_by_hand():
    loss = build(dict(type='ECMClsLoss', class_counts=COUNTS, fg_bg_ratio=1.0))
    assert loss.get_cls_channels(2) == 3
    logits = [[2.0, -1.0, 0.5], [-0.3, 1.2, -2.0], [0.1, 0.4, 3.0]]
    labels = [0, 1, 2]  # 2 = C: background, the objectness column
    got = loss(torch.tensor(logits), torch.tensor(labels), avg_factor=3.0)
    assert math.isclose(got.item(), ecm_by_hand(logits, labels, COUNTS, 1.0), rel_tol=1e-5)
    default = build(dict(type='ECMClsLoss', class_counts=COUNTS))
    got = default(torch.tensor(logits), torch.tensor(labels), avg_factor=3.0)
    assert math.isclose(got.item(), ecm_by_hand(logits, labels, COUNTS, 6.3313), rel_tol=1e-5)


def test_stats_protocol_and_errors():
    loss = build(dict(type='ECMClsLoss'))
    z, y = torch.randn(4, 3), torch.tensor([0, 1, 2, 2])
    with pytest.raises(RuntimeError, match='ECMClsLoss.*SetClassStatsHook'):
        loss(z, y)
    loss.set_class_stats(ClassStats.from_counts(COUNTS))
    assert loss.has_class_stats and list(loss.state_dict()) == []
    assert loss.pos_margin.shape == (3, ) and loss.class_weight.shape == (3, )
    with pytest.raises(ValueError, match='columns'):
        loss(torch.zeros(2, 2), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match='fg_bg_ratio'):
        build(dict(type='ECMClsLoss', fg_bg_ratio=-1.0))
    assert loss(z, y, reduction_override='none').shape == (4, )


def test_objectness_scores_and_accuracy():
    loss = build(dict(type='ECMClsLoss', class_counts=COUNTS))
    z = torch.tensor([[2.0, -1.0, -3.0], [0.0, 0.5, 2.0]])
    scores = loss.get_activation(z)
    p = z.sigmoid()
    torch.testing.assert_close(scores[:, :2], p[:, :2] * (1 - p[:, 2:]))
    torch.testing.assert_close(scores[:, 2], p[:, 2])
    acc = loss.get_accuracy(z, torch.tensor([1, 2]))
    assert acc['acc_objectness'].item() == 100.0 and acc['acc_classes'].item() == 0.0


def test_stock_head_with_cosine_classifier():
    head = stock_head(dict(type='ECMClsLoss', class_counts=[5, 4, 3, 2, 1]),
                      cls_predictor_cfg=dict(type='NormedLinear', tempearture=20))
    assert type(head.fc_cls).__name__ == 'NormedLinear' and head.fc_cls.out_features == 6
    _, losses = head_losses(head, [0, 5, 4, 5])
    assert set(losses) == {'loss_cls', 'acc_objectness', 'acc_classes', 'loss_bbox'}
    assert torch.isfinite(losses['loss_cls'])
