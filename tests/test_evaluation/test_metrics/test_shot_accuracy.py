"""ShotAccuracy: hand-computed many / medium / few top-1, count sources and error messages."""
import shutil
import tempfile
from typing import List, Optional, Sequence
from unittest import TestCase

import pytest
import torch
from mmengine.evaluator import Evaluator
from mmpretrain.structures import DataSample

from ltr_mm.evaluation.metrics.shot_accuracy import ShotAccuracy
from ltr_mm.registry import CLS_METRICS
from ltr_mm.utils.class_stats import ClassStats, write_class_stats

# many: 500, 101 (> 100); medium: exactly 100 and exactly 20; few: 19, 3 (< 20)
COUNTS = [500, 101, 100, 20, 19, 3]
# (gt, pred) on an imbalanced test set; class 5 has no test sample.
# class 0: 3/4 = 75 %, class 1: 1/2 = 50 %, class 2: 1/1 = 100 %, class 3: 0/1 = 0 %,
# class 4: 1/2 = 50 %. Overall 6/10 = 60 %; class mean (75+50+100+0+50)/5 = 55 %.
PAIRS = [(0, 0), (0, 0), (0, 0), (0, 3), (1, 1), (1, 0), (2, 2), (3, 2), (4, 4), (4, 5)]
EXPECTED = {
    'shot/top1': 60.0,
    'shot/many': 62.5,  # (75 + 50) / 2
    'shot/medium': 50.0,  # (100 + 0) / 2: the 100- and 20-image classes are medium
    'shot/few': 50.0,  # class 4 only; class 5 has no test sample and is skipped
    'shot/mean_class_acc': 55.0,
    'shot/many_classes': 2,
    'shot/medium_classes': 2,
    'shot/few_classes': 2,
}


def samples(pairs: Sequence[tuple], num_classes: Optional[int] = 6,
            scores: bool = True) -> List[DataSample]:
    """DataSamples whose top-1 is ``pred``: random scores with the winner pushed up."""
    out = []
    for gt, pred in pairs:
        sample = DataSample().set_gt_label(gt)
        if scores:
            logits = torch.randn(num_classes)
            logits[pred] = logits.max() + 1.0
            sample.set_pred_score(logits.softmax(0)).set_pred_label(pred)
        else:
            sample.set_pred_label(pred)
        out.append(sample)
    return out


def evaluate(metric: ShotAccuracy, data_samples: List[DataSample]) -> dict:
    evaluator = Evaluator(metrics=metric)
    evaluator.process(data_samples=data_samples)
    return evaluator.evaluate(len(data_samples))


class TestShotAccuracy(TestCase):

    def setUp(self) -> None:
        torch.manual_seed(0)
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_hand_computed_values(self):
        metrics = evaluate(ShotAccuracy(class_counts=COUNTS), samples(PAIRS))
        self.assertEqual(metrics, EXPECTED)
        # overall top-1 and class mean differ on an imbalanced test set
        self.assertNotEqual(metrics['shot/top1'], metrics['shot/mean_class_acc'])

    def test_pred_label_only_and_direct_process(self):
        metric = ShotAccuracy(class_counts=COUNTS)
        metric.process(None, samples(PAIRS, scores=False))  # DataSample objects, no scores
        self.assertEqual(metric.evaluate(len(PAIRS)), EXPECTED)

    def test_per_class_output(self):
        metrics = evaluate(ShotAccuracy(class_counts=COUNTS, per_class=True), samples(PAIRS))
        self.assertEqual(metrics.pop('shot/per_class_acc'), [75.0, 50.0, 100.0, 0.0, 50.0, -1.0])
        self.assertEqual(metrics, EXPECTED)

    def test_balanced_test_set_top1_equals_class_mean(self):
        pairs = [(0, 0), (0, 1), (1, 1), (1, 1), (2, 0), (2, 0)]
        metrics = evaluate(ShotAccuracy(class_counts=[200, 50, 5]), samples(pairs, 3))
        self.assertEqual(metrics['shot/top1'], 50.0)
        self.assertEqual(metrics['shot/mean_class_acc'], 50.0)
        self.assertEqual((metrics['shot/many'], metrics['shot/medium'], metrics['shot/few']),
                         (50.0, 100.0, 0.0))

    def test_empty_group_reports_minus_one(self):
        # no medium or few class at all (CIFAR-10-LT IF10 case)
        metrics = evaluate(ShotAccuracy(class_counts=[500, 300]), samples([(0, 0), (1, 0)], 2))
        self.assertEqual(metrics['shot/many'], 50.0)
        self.assertEqual((metrics['shot/medium'], metrics['shot/few']), (-1.0, -1.0))
        self.assertEqual((metrics['shot/medium_classes'], metrics['shot/few_classes']), (0, 0))
        # few classes exist but none has a test sample
        metrics = evaluate(ShotAccuracy(class_counts=[500, 5]), samples([(0, 0)], 2))
        self.assertEqual((metrics['shot/few'], metrics['shot/few_classes']), (-1.0, 1))

    def test_thresholds_are_configurable(self):
        metric = ShotAccuracy(class_counts=COUNTS, many_thr=100, few_thr=19)
        self.assertEqual(metric.shots, {'many': [0, 1], 'medium': [2, 3, 4], 'few': [5]})
        metrics = evaluate(ShotAccuracy(class_counts=COUNTS, many_thr=19, few_thr=19),
                           samples(PAIRS))
        # many: n > 19 = classes 0..3, (75 + 50 + 100 + 0) / 4; medium: exactly 19 = class 4;
        # few: class 5, which has no test sample
        self.assertEqual(metrics['shot/many'], 56.25)
        self.assertEqual((metrics['shot/medium'], metrics['shot/few']), (50.0, -1.0))
        self.assertEqual(metrics['shot/few_classes'], 1)

    def test_counts_from_set_class_stats(self):
        tmp = self.tmp
        path = f'{tmp}/class_stats.json'
        write_class_stats(path, [f'c{i}' for i in range(6)], COUNTS, many=5, few=1)
        metric = ShotAccuracy()
        self.assertFalse(metric.has_class_stats)
        stats = ClassStats.from_file(path)
        metric.set_class_stats(stats)
        # the statistics are kept as given; the groups use the metric's thresholds, not the
        # file's
        self.assertIs(metric.class_stats, stats)
        self.assertEqual(evaluate(metric, samples(PAIRS)), EXPECTED)
        with pytest.raises(TypeError, match='takes a ClassStats'):
            metric.set_class_stats(COUNTS)

    def test_without_counts_evaluation_names_the_hook(self):
        metric = ShotAccuracy()
        metric.process(None, samples([(0, 0)]))
        with pytest.raises(RuntimeError, match='add SetClassStatsHook'):
            metric.evaluate(1)

    def test_build_from_registry(self):
        metric = CLS_METRICS.build(dict(type='ShotAccuracy', class_counts=COUNTS, prefix='lt'))
        self.assertIsInstance(metric, ShotAccuracy)
        self.assertEqual(evaluate(metric, samples(PAIRS))['lt/medium'], 50.0)

    def test_calculate_without_samples(self):
        shots = {'many': [0], 'medium': [], 'few': [1]}
        empty = torch.zeros(0, dtype=torch.long)
        metrics = ShotAccuracy.calculate(empty, empty, shots, 2)
        self.assertEqual([metrics[k] for k in ('top1', 'many', 'few', 'mean_class_acc')],
                         [-1.0] * 4)

    def test_error_class_stats_width_mismatch(self):
        tmp = self.tmp
        path = f'{tmp}/stats6.json'
        write_class_stats(path, [f'c{i}' for i in range(6)], COUNTS)
        metric = ShotAccuracy()
        metric.set_class_stats(ClassStats.from_file(path))
        metric.process(None, samples([(0, 0)], num_classes=5))
        with pytest.raises(ValueError, match=r"stats6\.json \(6 classes\).*\[5\] classes"):
            metric.evaluate(1)

    def test_error_labels_out_of_range(self):
        metric = ShotAccuracy(class_counts=COUNTS)
        metric.process(None, samples([(0, 0), (7, 1)], scores=False))
        with pytest.raises(ValueError, match=r'gt_label 7 is out of range for class_counts '
                           r'\(6 classes\)'):
            metric.evaluate(2)
        metric.results.clear()
        metric.process(None, samples([(0, 6)], scores=False))
        with pytest.raises(ValueError, match='pred_label 6 is out of range'):
            metric.evaluate(1)
        with pytest.raises(ValueError, match='must hold one label'):
            metric.process(None, [DataSample().set_gt_label([0, 1]).set_pred_label(0)])
        with pytest.raises(ValueError, match='has no gt_label'):
            metric.process(None, [dict(pred_label=torch.tensor([0]))])
        with pytest.raises(ValueError, match='has no pred_score or pred_label'):
            metric.process(None, [dict(gt_label=torch.tensor([0]))])

    def test_error_counts_and_thresholds(self):
        with pytest.raises(ValueError, match=r'class_counts \(6 classes\) does not match '
                           r'num_classes=5'):
            ShotAccuracy(class_counts=COUNTS, num_classes=5)
        with pytest.raises(ValueError, match=r'counts\[1\] = -3'):
            ShotAccuracy(class_counts=[5, -3])
        with pytest.raises(ValueError, match='few <= many'):
            ShotAccuracy(many_thr=10, few_thr=20)
