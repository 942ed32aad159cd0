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


def test_class_stats_value_is_frozen_and_normalised():
    stats = cs.ClassStats(counts=np.array([500, 100, 3]), classes=['a', 'b', 'c'],
                          kind='instance', many=50, few=5, source='here')
    assert stats.counts == (500, 100, 3) and all(type(n) is int for n in stats.counts)
    assert stats.classes == ('a', 'b', 'c') and stats.num_classes == 3
    assert stats.shots() == {'many': [0, 1], 'medium': [], 'few': [2]}
    assert stats == cs.ClassStats((500, 100, 3), ('a', 'b', 'c'), 'instance', 50, 5)  # source
    with pytest.raises(AttributeError):                                  # is not compared
        stats.counts = (1, 2, 3)
    assert cs.ClassStats.from_counts([4.0, 2]).counts == (4, 2)  # integral floats are counts
    assert cs.ClassStats.from_counts([4, 2]).describe() == 'class_counts'
    assert cs.ClassStats((1, 2)).describe() == 'ClassStats(2 label counts)'


@pytest.mark.parametrize('kwargs, match', [
    (dict(counts=[3, -1]), r'counts\[1\] = -1 is not a non-negative integer'),
    (dict(counts=[3, 2.5]), r'counts\[1\] = 2.5 is not a non-negative integer'),
    (dict(counts=[3, 1], classes=['a']), r'ClassStats \(f.json\): 1 class names for 2 counts'),
    (dict(counts=[3, 1], classes=['a', 2]), r'classes\[1\] = 2 is not a string'),
    (dict(counts=[3, 1], kind='boxes'), "kind must be one of .* got 'boxes'"),
    (dict(counts=[3, 1], many=5, few=10), 'few <= many'),
])
def test_class_stats_refuses_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cs.ClassStats(source='f.json', **kwargs)


# (n_max, imb_factor, num_classes) of every config that computed its counts inline before
# SetClassStatsHook fed ShotAccuracy, with the expression those configs used
@pytest.mark.parametrize('n_max, imb, num', [
    (5000, 100, 10), (5000, 50, 10), (5000, 10, 10), (500, 100, 100), (500, 50, 100),
    (500, 10, 100)])
def test_profile_equals_the_former_config_comprehension(n_max, imb, num):
    inline = [int(round(v)) if abs(v - round(v)) < 1e-9 else int(v)
              for v in [n_max * (1 / imb)**(i / (num - 1)) for i in range(num)]]
    stats = cs.ClassStats.from_profile(n_max=n_max, imb_factor=imb, num_classes=num)
    assert list(stats.counts) == inline and stats.kind == 'label' and stats.classes == ()
    assert 'imb_factor=' + str(imb) in stats.source
    if imb == 100 and num == 100:  # the literal 0.01 of the RIDE configs gives the same list
        assert inline == [int(round(v)) if abs(v - round(v)) < 1e-9 else int(v)
                          for v in [500 * 0.01**(i / 99) for i in range(100)]]


def test_from_file_reads_a_class_stats_file(tmp_path):
    path = tmp_path / 'class_stats.json'
    cs.write_class_stats(path, ['a', 'b', 'c'], [30, 12, 5], many=20, few=10)
    stats = cs.ClassStats.from_file(path)
    assert stats == cs.ClassStats((30, 12, 5), ('a', 'b', 'c'), 'label', many=20, few=10)
    assert stats.source == str(path) and stats.shots()['few'] == [2]
    path.write_text(json.dumps({**GOOD, 'counts': [200, -1]}))
    with pytest.raises(ValueError, match=r"field 'counts\[1\]' = -1"):
        cs.ClassStats.from_file(path)


def test_from_label_list(tmp_path):
    path = tmp_path / 'train.txt'
    path.write_text('a.png 2\n\nb.png 0\nc d.png 2\n')
    assert cs.ClassStats.from_label_list(path).counts == (1, 0, 2)
    assert cs.ClassStats.from_label_list(path, num_classes=5).counts == (1, 0, 2, 0, 0)
    with pytest.raises(ValueError, match=r"train.txt: line 1: expected .* \[0, 2\)"):
        cs.ClassStats.from_label_list(path, num_classes=2)
    path.write_text('\n')
    with pytest.raises(ValueError, match='no labelled lines'):
        cs.ClassStats.from_label_list(path)


def test_as_class_stats_refuses_plain_counts():
    stats = cs.ClassStats((1, 2))
    assert cs.as_class_stats(stats, 'X') is stats
    with pytest.raises(TypeError, match='X.set_class_stats takes a ClassStats'):
        cs.as_class_stats([1, 2], 'X')
