"""`import ltr_mm` checks the OpenMMLab version window and says exactly what is wrong."""
from importlib import metadata

import pytest

from ltr_mm.utils import version_check


def test_installed_stack_is_inside_the_window():
    assert version_check.version_problems() == []
    version_check.check_versions()


def test_outside_window_names_package_found_and_wanted(monkeypatch):
    monkeypatch.setattr(version_check.metadata, 'version',
                        lambda name: {'mmcv': '2.2.0', 'mmdet': '3.3.0'}[name])
    problems = version_check.version_problems({'mmcv': ('2.0.0', '2.2.0'),
                                               'mmdet': ('3.3.0', '3.4.0')})
    assert problems == ['mmcv 2.2.0 is installed; ltr_mm needs mmcv>=2.0.0,<2.2.0']


def test_missing_package_is_reported(monkeypatch):
    def version(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(version_check.metadata, 'version', version)
    monkeypatch.setattr(version_check, 'VERSION_WINDOWS', {'mmpretrain': ('1.2.0', '1.3.0')})
    with pytest.raises(ImportError) as err:
        version_check.check_versions()
    message = str(err.value)
    assert 'mmpretrain is not installed; ltr_mm needs mmpretrain>=1.2.0,<1.3.0' in message
    assert 'tools/install.sh' in message
