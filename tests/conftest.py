"""Tiny copies of the embedded data sets, built once per test session by the real tools
(shared by the config, engine and distributed tests), and the classification-only mode.

Without mmdet (``LTR_MM_TASKS=cls bash tools/install.sh``) the detection tests are reported
as skipped, not run: a test module that fails to import because mmdet is missing, and any
test that a ``det`` marker names. Tests get that marker when their parameters name detection
(``det``, an LVIS set, an R-CNN config) or, without parameters, when their module does
(``mmdet``, ``lvis``, ``rcnn``, the tiny detection set).
"""
import functools
import importlib.util
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
FASHION_SRC = '/usr/share/datasets/fashion-mnist'
HAVE_MMDET = importlib.util.find_spec('mmdet') is not None
NO_MMDET = 'needs mmdet (a classification-only install, LTR_MM_TASKS=cls)'
DET_PARAM = re.compile(r'(^|[^a-z])det([^a-z]|$)|lvis|rcnn', re.IGNORECASE)
DET_MODULE = re.compile(r'\bmmdet\b|lvis|rcnn|det_options', re.IGNORECASE)
# The longest tests (a minute or more each: child processes that train, test or build every
# config) run first, so that with `pytest -n 2` (make test) no worker is left with one at the end.
SLOW_FIRST = ('tests/test_bench/test_gpu_check.py', 'tests/test_without_mmdet.py',
              'tests/test_distributed/', 'tests/test_configs/test_demo_configs.py',
              'tests/test_configs/test_small_det_configs.py',
              'tests/test_configs/test_small_cls_configs.py')


def pytest_configure(config):
    config.addinivalue_line('markers', 'det: the test needs mmdet; skipped when it is absent')


@functools.lru_cache(maxsize=None)
def _module_names_detection(path: str) -> bool:
    with open(path, encoding='utf-8') as f:
        return bool(DET_MODULE.search(f.read()))


def _needs_mmdet(item) -> bool:
    callspec = getattr(item, 'callspec', None)
    if callspec is not None:
        return bool(DET_PARAM.search(callspec.id))
    path = getattr(getattr(item, 'module', None), '__file__', None)
    return path is not None and _module_names_detection(path)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _needs_mmdet(item):
            item.add_marker(pytest.mark.det)
        if not HAVE_MMDET and item.get_closest_marker('det') is not None:
            item.add_marker(pytest.mark.skip(reason=NO_MMDET))
    items.sort(key=_slow_rank)  # stable: the order within each group is kept


def _slow_rank(item) -> int:
    path = item.nodeid.split('::')[0]
    return next((i for i, prefix in enumerate(SLOW_FIRST) if path.startswith(prefix)),
                len(SLOW_FIRST))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A test module that cannot import mmdet is a skip when mmdet is not installed."""
    outcome = yield
    report = outcome.get_result()
    if (not HAVE_MMDET and report.failed and isinstance(collector, pytest.Module)
            and "No module named 'mmdet'" in str(report.longrepr)):
        report.outcome = 'skipped'
        report.longrepr = (str(collector.path), 0, f'Skipped: {NO_MMDET}')


def _run(*args):
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope='session')
def tiny_fashion_lt(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('fashion_mnist_lt'))
    _run('tools/dataset_converters/make_fashion_lt.py', '--src', FASHION_SRC, '--out', out,
         '--n-max', '300', '--imb-factor', '10', '--max-test', '200', '--val-per-class', '20')
    return out


@pytest.fixture(scope='session')
def tiny_fashion_lvis(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('fashion_lvis'))
    _run('tools/dataset_converters/make_lt_detection.py', '--src', FASHION_SRC, '--out', out,
         '--tiny')
    return out


def _default_scope_kept():
    """Snapshot the registry default scopes; the generator's second step restores them.

    A Runner built inside a test or a fixture (a tool's ``main`` run in-process, a trained toy
    runner) creates a global ``DefaultScope`` instance that stays current afterwards, so a
    later test's ``MODELS.build`` would look its types up in that scope's registry (``mmdet``,
    or mmengine's root) instead of its own.
    """
    from mmengine.registry import DefaultScope
    before = DefaultScope._instance_dict.copy()
    yield
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(before)


@pytest.fixture(autouse=True, scope='module')
def _module_default_scope():
    """Scopes created by a test module's fixtures end with the module (autouse fixtures of a
    scope are set up before the other fixtures of that scope, so this one snapshots first)."""
    yield from _default_scope_kept()


@pytest.fixture(autouse=True)
def _test_default_scope():
    """Every test starts with the default scopes the one before it started with."""
    yield from _default_scope_kept()
