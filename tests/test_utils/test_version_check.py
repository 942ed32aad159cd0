"""`import ltr_mm` checks the installed OpenMMLab packages' versions and says what is wrong."""
import re
from importlib import metadata

import pytest

from ltr_mm.utils import version_check

REPO_SETUP = __file__.rsplit('/tests/', 1)[0] + '/setup.py'
REPO_README = __file__.rsplit('/tests/', 1)[0] + '/README.md'


def _fake_versions(monkeypatch, versions):
    def version(name):
        if name not in versions:
            raise metadata.PackageNotFoundError(name)
        return versions[name]

    monkeypatch.setattr(version_check.metadata, 'version', version)


def test_installed_stack_is_inside_the_window():
    assert version_check.version_problems() == []
    version_check.check_versions()


def test_outside_window_names_package_found_and_wanted(monkeypatch):
    _fake_versions(monkeypatch, {'mmcv': '2.2.0', 'mmdet': '3.3.0'})
    problems = version_check.version_problems({'mmcv': ('2.0.0', '2.2.0'),
                                               'mmdet': ('3.3.0', '3.4.0')})
    assert problems == ['mmcv 2.2.0 is installed; ltr_mm needs mmcv>=2.0.0,<2.2.0']


def test_classification_only_stack_is_accepted(monkeypatch):
    # mmcv-lite 2.2 and no mmdet: what `LTR_MM_TASKS=cls` installs.
    _fake_versions(monkeypatch, {'mmengine': '0.10.7', 'mmcv-lite': '2.2.0',
                                 'mmpretrain': '1.2.0'})
    assert version_check.installed_version('mmcv') == '2.2.0'
    assert version_check.installed_version('mmdet') is None
    assert version_check.version_problems() == []
    version_check.check_versions()


def test_mmdet_narrows_the_mmcv_window(monkeypatch):
    _fake_versions(monkeypatch, {'mmengine': '0.10.7', 'mmcv': '2.2.0', 'mmdet': '3.3.0',
                                 'mmpretrain': '1.2.0'})
    with pytest.raises(ImportError) as err:
        version_check.check_versions()
    message = str(err.value)
    assert ('mmcv 2.2.0 is installed; ltr_mm needs mmcv>=2.0.0,<2.2.0 (mmdet is installed and '
            'needs it)') in message
    assert 'mmdet 3.3.0' not in message and 'tools/install.sh' in message


def test_each_package_outside_is_named(monkeypatch):
    _fake_versions(monkeypatch, {'mmengine': '1.0.0', 'mmcv-lite': '1.7.2',
                                 'mmpretrain': '1.3.0'})
    assert version_check.version_problems() == [
        'mmengine 1.0.0 is installed; ltr_mm needs mmengine>=0.10.0,<1.0.0',
        'mmcv 1.7.2 is installed; ltr_mm needs mmcv>=2.0.0,<2.3.0',
        'mmpretrain 1.3.0 is installed; ltr_mm needs mmpretrain>=1.2.0,<1.3.0']


def test_missing_package_is_reported_only_when_required(monkeypatch):
    _fake_versions(monkeypatch, {})
    assert version_check.version_problems() == []
    with pytest.raises(ImportError) as err:
        version_check.check_versions(required=('mmpretrain', ))
    assert 'mmpretrain is not installed; ltr_mm needs mmpretrain>=1.2.0,<1.3.0' in str(err.value)


def test_setup_and_readme_state_the_same_windows():
    with open(REPO_SETUP) as f:
        setup = f.read()
    with open(REPO_README) as f:
        readme = f.read()
    for package, (low, high) in version_check.VERSION_WINDOWS.items():
        spec = f'>={low},<{high}'
        if package == 'mmcv':
            assert f"'mmcv-lite{spec}'" in setup
        else:
            assert f'{package}{spec}' in setup, package
        row = re.search(rf'^\| {package}\b[^|]*\| >= {low}, < {high}\b', readme, re.M)
        assert row, package
    low, high = version_check.DET_WINDOWS['mmcv']
    assert f"'mmcv>={low},<{high}'" in setup and f'< {high} where mmdet is installed' in readme
