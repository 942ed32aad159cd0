"""Tiny copies of the embedded data sets, built once per test session by the real tools.

Shared by the config, engine and distributed tests."""
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
FASHION_SRC = '/usr/share/datasets/fashion-mnist'


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
