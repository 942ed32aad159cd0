"""Class-count maths: validation, zero counts, background padding, dense targets."""
import pytest
import torch

from ltr_mm.models.functional import (
    as_counts,
    dense_targets,
    effective_number_weights,
    pad_classes,
    sigmoid_focal_ce,
    softmax_ce,
)


def test_as_counts_validates_and_raises_zeros():
    assert as_counts([0, 3]).tolist() == [1.0, 3.0]
    for bad in ([], [[1, 2]], [1, -1], [1, float('nan')]):
        with pytest.raises(ValueError):
            as_counts(bad)
    with pytest.raises(ValueError, match='beta'):
        effective_number_weights([1, 2], beta=1.0)


def test_pad_classes():
    v = torch.tensor([0.5, 2.0])
    assert pad_classes(v, 2, 1.0) is v
    assert pad_classes(v, 3, 1.0).tolist() == [0.5, 2.0, 1.0]
    with pytest.raises(ValueError, match='4 columns for 2 classes'):
        pad_classes(v, 4, 1.0)


def test_dense_targets():
    hard = dense_targets(torch.tensor([0, 2]), 2, 3)
    assert hard.tolist() == [[1, 0, 0], [0, 0, 1]]
    soft = dense_targets(torch.tensor([[0.3, 0.7]]), 2, 2)
    assert soft[0].tolist() == pytest.approx([0.3, 0.7, 0.0])
    with pytest.raises(ValueError, match='background'):
        dense_targets(torch.tensor([2]), 2, 2)
    assert dense_targets(torch.tensor([2]), 2, 2, softmax=False).tolist() == [[0, 0, 1]]
    with pytest.raises(ValueError, match=r'\[0, 2\]'):
        dense_targets(torch.tensor([3]), 2, 3)


def test_saturated_losses():
    score = torch.tensor([[100.0, -100.0]])
    target = torch.tensor([[1.0, 0.0]])
    assert float(softmax_ce(score, target)) == pytest.approx(0.0, abs=1e-6)
    assert float(softmax_ce(score, target.flip(1))) == pytest.approx(200.0)
    assert float(softmax_ce(score, target.flip(1), torch.tensor([1.0, 0.5]))) == \
        pytest.approx(100.0)
    # focal factor |t - p| ** gamma vanishes for confident correct predictions
    assert float(sigmoid_focal_ce(score, target, gamma=2.0)) == pytest.approx(0.0, abs=1e-6)
