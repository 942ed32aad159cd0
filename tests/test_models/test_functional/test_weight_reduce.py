"""ltr_mm's weight_reduce_loss is mmdet's (shared losses no longer import mmdet for it)."""
import pytest
import torch

from ltr_mm.models.functional import weight_reduce_loss
from ltr_mm.models.functional.weight_reduce import AVG_FACTOR_EPS

LOSS = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.5, 0.0]])
WEIGHT = torch.tensor([[1.0], [0.0], [2.0]])


def test_closed_form():
    assert weight_reduce_loss(LOSS).item() == pytest.approx(10.5 / 6)
    assert weight_reduce_loss(LOSS, WEIGHT, 'sum').item() == pytest.approx(3.0 + 1.0)
    torch.testing.assert_close(weight_reduce_loss(LOSS, WEIGHT, 'none'), LOSS * WEIGHT)
    assert weight_reduce_loss(LOSS, WEIGHT, avg_factor=2).item() == pytest.approx(
        4.0 / (2 + AVG_FACTOR_EPS))
    assert weight_reduce_loss(LOSS, avg_factor=0).item() == pytest.approx(10.5 / AVG_FACTOR_EPS)
    torch.testing.assert_close(weight_reduce_loss(LOSS, reduction='none', avg_factor=3), LOSS)
    with pytest.raises(ValueError, match='avg_factor'):
        weight_reduce_loss(LOSS, reduction='sum', avg_factor=2)
    with pytest.raises(ValueError, match="'max'"):
        weight_reduce_loss(LOSS, reduction='max')


@pytest.mark.parametrize('reduction, avg_factor', [('mean', None), ('sum', None),
                                                   ('none', None), ('mean', 2.5),
                                                   ('none', 2.5)])
def test_same_as_mmdet(reduction, avg_factor):
    mmdet_utils = pytest.importorskip('mmdet.models.losses.utils')
    for weight in (None, WEIGHT):
        torch.testing.assert_close(
            weight_reduce_loss(LOSS, weight, reduction, avg_factor),
            mmdet_utils.weight_reduce_loss(LOSS, weight, reduction, avg_factor),
            rtol=0, atol=0)
