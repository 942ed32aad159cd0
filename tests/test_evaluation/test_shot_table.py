"""format_shot_table: exact markdown output, '-' for undefined or missing values."""
import torch
from mmpretrain.structures import DataSample

from ltr_mm.evaluation.metrics.shot_accuracy import ShotAccuracy
from ltr_mm.evaluation.shot_table import format_shot_table


def test_table_from_metric_output():
    torch.manual_seed(0)
    metric = ShotAccuracy(class_counts=[500, 101, 100, 20, 5])
    pairs = [(0, 0), (0, 1), (0, 0), (1, 1), (2, 2), (3, 0), (4, 4), (4, 4), (4, 0)]
    metric.process(None, [DataSample().set_gt_label(g).set_pred_label(p) for g, p in pairs])
    metrics = metric.evaluate(len(pairs))
    # many: (2/3 + 1) / 2, medium: (1 + 0) / 2, few: 2/3; overall 6/9
    assert format_shot_table(metrics) == '\n'.join([
        '| split | classes | top-1 |',
        '| --- | --- | --- |',
        '| overall | 5 | 66.67 |',
        '| many | 2 | 83.33 |',
        '| medium | 2 | 50.00 |',
        '| few | 1 | 66.67 |',
    ])


def test_undefined_and_missing_values_show_dash():
    metrics = {'shot/top1': 91.256, 'shot/many': 93.0, 'shot/medium': 70.5, 'shot/few': -1.0,
               'shot/many_classes': 8, 'shot/medium_classes': 2, 'shot/few_classes': 0,
               'accuracy/top1': 1.0}
    assert format_shot_table(metrics).splitlines()[2:] == [
        '| overall | 10 | 91.26 |', '| many | 8 | 93.00 |', '| medium | 2 | 70.50 |',
        '| few | 0 | - |'
    ]
    rows = format_shot_table({'shot/top1': 'n/a', 'shot/many': None}).splitlines()[2:]
    assert rows == [f'| {s} | - | - |' for s in ('overall', 'many', 'medium', 'few')]


def test_custom_prefix_and_tensor_values():
    metrics = {'lt/top1': torch.tensor(12.5), 'lt/many': 3, 'lt/medium': 0.0, 'lt/few': 7.125,
               'lt/many_classes': 1, 'lt/medium_classes': 1, 'lt/few_classes': 1}
    assert format_shot_table(metrics, prefix='lt').splitlines()[2:] == [
        '| overall | 3 | 12.50 |', '| many | 1 | 3.00 |', '| medium | 1 | 0.00 |',
        '| few | 1 | 7.12 |'
    ]
    assert format_shot_table(metrics).splitlines()[2] == '| overall | - | - |'
