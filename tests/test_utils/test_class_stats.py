"""Tests for ``ltr_mm/utils/class_stats.py`` (loaded by path: it needs no OpenMMLab import)."""
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        'ltr_mm_class_stats', ROOT / 'ltr_mm' / 'utils' / 'class_stats.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cs = _load()


def test_split_shots_edges_are_medium():
    counts = [101, 100, 99, 21, 20, 19, 0]
    assert cs.split_shots(counts) == {'many': [0], 'medium': [1, 2, 3, 4], 'few': [5, 6]}


def test_split_shots_custom_thresholds_and_errors():
    assert cs.split_shots([10, 5, 1], many=5, few=2) == {
        'many': [0], 'medium': [1], 'few': [2]}
    assert cs.split_shots([]) == {'many': [], 'medium': [], 'few': []}
    with pytest.raises(ValueError, match='few <= many'):
        cs.split_shots([1], many=10, few=20)
    with pytest.raises(ValueError, match=r'counts\[1\] = -3'):
        cs.split_shots([4, -3])


def test_cifar10_lt_profile():
    counts = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
    shots = cs.split_shots(counts)
    assert (len(shots['many']), len(shots['medium']), len(shots['few'])) == (8, 2, 0)


def test_class_stats_dict_fields():
    stats = cs.class_stats_dict(['a', 'b', 'c'], np.array([500, 100, 3]))
    assert stats == {
        'num_classes': 3, 'classes': ['a', 'b', 'c'], 'counts': [500, 100, 3],
        'total': 603, 'thresholds': {'many': 100, 'few': 20},
        'shots': {'many': [0], 'medium': [1], 'few': [2]}}
    assert all(type(n) is int for n in stats['counts'])
    with pytest.raises(ValueError, match='2 classes but 3 counts'):
        cs.class_stats_dict(['a', 'b'], [1, 2, 3])


def test_write_and_load_round_trip(tmp_path):
    path = tmp_path / 'sub' / 'class_stats.json'
    written = cs.write_class_stats(path, ['a', 'b'], [30, 5], many=20, few=10)
    assert cs.load_class_stats(path) == written
    assert json.loads(path.read_text())['shots'] == {'many': [0], 'medium': [], 'few': [1]}


def test_load_without_optional_fields(tmp_path):
    path = tmp_path / 'min.json'
    path.write_text(json.dumps({'num_classes': 2, 'classes': ['a', 'b'], 'counts': [200, 7]}))
    stats = cs.load_class_stats(path)
    assert stats['thresholds'] == {'many': 100, 'few': 20}
    assert stats['shots'] == {'many': [0], 'medium': [], 'few': [1]}


GOOD = {'num_classes': 2, 'classes': ['a', 'b'], 'counts': [200, 7]}


@pytest.mark.parametrize('change, field, value', [
    ({'counts': [200, -1]}, 'counts[1]', '-1'),
    ({'counts': [200, 7.5]}, 'counts[1]', '7.5'),
    ({'counts': [200, True]}, 'counts[1]', 'True'),
    ({'counts': [200]}, 'counts', '[200]'),
    ({'num_classes': 3}, 'classes', "['a', 'b']"),
    ({'num_classes': -2}, 'num_classes', '-2'),
    ({'classes': ['a', 3]}, 'classes[1]', '3'),
    ({'total': 5}, 'total', '5'),
    ({'thresholds': {'many': 10, 'few': 50}}, 'thresholds', "'many': 10"),
    ({'shots': {'many': [], 'medium': [], 'few': []}}, 'shots', "'many': []"),
])
def test_bad_file_names_file_field_value(tmp_path, change, field, value):
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps({**GOOD, **change}))
    with pytest.raises(ValueError) as info:
        cs.load_class_stats(path)
    msg = str(info.value)
    assert str(path) in msg and repr(field) in msg and value in msg


def test_bad_file_missing_field_and_bad_json(tmp_path):
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps({'classes': ['a'], 'counts': [1]}))
    with pytest.raises(ValueError, match="bad.json: field 'num_classes' = None is missing"):
        cs.load_class_stats(path)
    path.write_text('{"num_classes": 1,')
    with pytest.raises(ValueError, match='bad.json: not valid JSON'):
        cs.load_class_stats(path)
    path.write_text('[1, 2]')
    with pytest.raises(ValueError, match="field '<root>'"):
        cs.load_class_stats(path)
    with pytest.raises(FileNotFoundError):
        cs.load_class_stats(tmp_path / 'absent.json')


def test_counts_from_labels():
    assert cs.counts_from_labels([0, 2, 2, 1, 2], 4) == [1, 1, 3, 0]
    assert cs.counts_from_labels(np.array([], dtype=np.int64), 3) == [0, 0, 0]
    with pytest.raises(ValueError, match=r'labels\[1\] = 5 is outside \[0, 3\)'):
        cs.counts_from_labels([0, 5], 3)
    with pytest.raises(ValueError, match='integers'):
        cs.counts_from_labels([0.5, 1.0], 3)


@pytest.mark.parametrize('imb, counts', [
    (100, [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]),
    (50, [5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100]),
    (10, [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500])])
def test_long_tailed_counts_cifar10_profile(imb, counts):
    assert cs.long_tailed_counts(5000, imb, 10) == counts


@pytest.mark.parametrize('imb, total, tail', [(100, 10847, 5), (50, 12608, 10), (10, 19573, 50)])
def test_long_tailed_counts_cifar100_profile(imb, total, tail):
    counts = cs.long_tailed_counts(500, imb, 100)
    assert sum(counts) == total and counts[0] == 500 and counts[-1] == tail
    assert all(a >= b for a, b in zip(counts, counts[1:]))


@pytest.mark.parametrize('args', [(5000, 0.5, 10), (5000, 10, 1), (0, 10, 10)])
def test_long_tailed_counts_refuses_bad_arguments(args):
    with pytest.raises(ValueError, match='need imb_factor >= 1'):
        cs.long_tailed_counts(*args)
