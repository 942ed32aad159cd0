"""EQLv2ClsLoss: C + 1 wide fc_cls, the loss and the gradient statistics of two steps by
hand, checkpointed statistics, objectness scores."""
import math

import pytest
import torch
from sigmoid_lvis_helpers import bce, build, head_losses, stock_head

S = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731


def eqlv2_step_by_hand(logits, labels, pos, neg, gamma=12.0, mu=0.8, alpha=4.0):
    """Loss (sum over RoIs / number of RoIs) and the updated statistics of one step."""
    num_classes = len(logits[0]) - 1
    if sum(neg) > 0:
        q = [1 / (1 + math.exp(-gamma * (p / (n + 1e-10) - mu))) for p, n in zip(pos, neg)]
    else:
        q = [1.0] * num_classes
    r = [1 + alpha * (1 - x) for x in q]
    q, r = q + [1.0], r + [1.0]  # objectness column: weight 1
    total, pos, neg = 0.0, list(pos), list(neg)
    for row, y in zip(logits, labels):
        for k, z in enumerate(row):
            t = float(k == y)
            w = r[k] if t else q[k]
            total += w * bce(z, t)
            if k < num_classes:
                if t:
                    pos[k] += w * (1 - S(z))
                else:
                    neg[k] += w * S(z)
    return total / len(logits), pos, neg


def test_two_steps_by_hand():
    loss = build(dict(type='EQLv2ClsLoss', num_classes=3))
    assert loss.get_cls_channels(3) == 4
    step1 = [[2.0, -1.0, 0.5, -2.0], [-0.3, 1.2, -2.0, 0.1], [0.1, 0.4, 3.0, -1.0],
             [-1.0, -0.5, -0.2, 2.0]]
    labels1 = [0, 1, 2, 3]  # 3 = C: background, trained on the objectness logit
    value, pos, neg = eqlv2_step_by_hand(step1, labels1, [0.0] * 3, [0.0] * 3)
    got = loss(torch.tensor(step1), torch.tensor(labels1), avg_factor=4.0)
    assert math.isclose(got.item(), value, rel_tol=1e-5)  # all weights 1 in the first step
    torch.testing.assert_close(loss.pos_grad, torch.tensor(pos))
    torch.testing.assert_close(loss.neg_grad, torch.tensor(neg))
    step2 = [[0.3, 0.2, -0.7, -1.5], [1.0, 1.0, 1.0, 0.0], [-2.0, 0.0, 0.4, 0.3]]
    labels2 = [0, 0, 3]
    value, pos, neg = eqlv2_step_by_hand(step2, labels2, pos, neg)
    got = loss(torch.tensor(step2), torch.tensor(labels2), avg_factor=3.0)
    assert math.isclose(got.item(), value, rel_tol=1e-5)
    torch.testing.assert_close(loss.pos_grad, torch.tensor(pos))
    torch.testing.assert_close(loss.neg_grad, torch.tensor(neg))
    # class 0 had two positives in step 2: its ratio, hence its negative weight, went up
    r, q = loss.column_weights()
    assert q[0] > q[2] and r[0] < r[2] and q[3] == 1 and r[3] == 1


def test_eval_mode_and_checkpoint():
    loss = build(dict(type='EQLv2ClsLoss', num_classes=3))
    z, y = torch.randn(6, 4), torch.tensor([0, 1, 2, 3, 3, 0])
    loss.eval()
    loss(z, y)
    assert loss.pos_grad.sum() == 0 and loss.neg_grad.sum() == 0  # nothing collected
    loss.train()
    loss(z, y)
    state = loss.state_dict()
    assert set(state) == {'pos_grad', 'neg_grad'}
    resumed = build(dict(type='EQLv2ClsLoss', num_classes=3))
    resumed.load_state_dict(state)
    torch.testing.assert_close(resumed(z, y), loss(z, y))


def test_reduction_weights_and_errors():
    loss = build(dict(type='EQLv2ClsLoss', num_classes=2))
    z, y = torch.randn(3, 3), torch.tensor([0, 2, 1])
    loss.eval()
    none = loss(z, y, reduction_override='none')
    assert none.shape == (3, )
    w = torch.tensor([1.0, 0.0, 2.0])
    torch.testing.assert_close(loss(z, y, w, reduction_override='sum'), (none * w).sum())
    torch.testing.assert_close(loss(z, y, w, avg_factor=2.0), (none * w).sum() / 2)
    empty = loss(torch.zeros(0, 3, requires_grad=True), torch.zeros(0, dtype=torch.long))
    assert empty.item() == 0.0
    with pytest.raises(ValueError, match='columns'):
        loss(torch.zeros(2, 2), torch.tensor([0, 1]))
    with pytest.raises(AssertionError):
        loss(z, y, reduction_override='avg')
    for bad in (0, 3.0, None):
        with pytest.raises((ValueError, TypeError)):
            build(dict(type='EQLv2ClsLoss', num_classes=bad))


def test_objectness_scores_and_accuracy():
    loss = build(dict(type='EQLv2ClsLoss', num_classes=2))
    z = torch.tensor([[2.0, -1.0, -3.0], [0.0, 0.5, 2.0]])
    scores = loss.get_activation(z)
    p = z.sigmoid()
    torch.testing.assert_close(scores[:, :2], p[:, :2] * (1 - p[:, 2:]))
    torch.testing.assert_close(scores[:, 2], p[:, 2])
    acc = loss.get_accuracy(z, torch.tensor([0, 2]))
    assert acc['acc_objectness'].item() == 100.0 and acc['acc_classes'].item() == 100.0


def test_stock_head():
    head = stock_head(dict(type='EQLv2ClsLoss', num_classes=5))
    assert head.fc_cls.out_features == 6
    _, losses = head_losses(head, [0, 5, 4, 5])
    assert set(losses) == {'loss_cls', 'acc_objectness', 'acc_classes', 'loss_bbox'}
    assert head.loss_cls.neg_grad.sum() > 0
