"""Check that the installed OpenMMLab packages are inside the versions ltr_mm is built for.

Each task needs its own packages: classification needs mmengine, mmcv (``mmcv-lite``, without
compiled ops, is enough) and mmpretrain; detection needs mmengine, mmcv with its compiled ops
and mmdet, which itself refuses mmcv >= 2.2. A package that is not installed is no error here
(a classification-only environment has no mmdet); a package that is installed must lie inside
its window. ``setup.py`` (``install_requires`` and the ``cls`` / ``det`` / ``all`` extras) and
the README list the same windows.
"""
from importlib import metadata
from typing import Dict, List, Optional, Tuple

from packaging.version import Version

#: package -> (minimum inclusive, maximum exclusive), for whichever packages are installed.
VERSION_WINDOWS: Dict[str, Tuple[str, str]] = {
    'mmengine': ('0.10.0', '1.0.0'),
    'mmcv': ('2.0.0', '2.3.0'),
    'mmdet': ('3.3.0', '3.4.0'),
    'mmpretrain': ('1.2.0', '1.3.0'),
}

#: narrower windows that hold where mmdet is installed (mmdet 3.3 asserts mmcv < 2.2.0).
DET_WINDOWS: Dict[str, Tuple[str, str]] = {'mmcv': ('2.0.0', '2.2.0')}

#: import name -> the distributions that provide it (mmcv with compiled ops, or mmcv-lite).
DISTRIBUTIONS: Dict[str, Tuple[str, ...]] = {'mmcv': ('mmcv', 'mmcv-lite')}

INSTALL_HINT = ('run `bash tools/install.sh` (or `make install`; `LTR_MM_TASKS=cls` for '
                'classification only) from the ltr_mm checkout')


def installed_version(package: str) -> Optional[str]:
    """The installed version of ``package`` (any distribution providing it), or None."""
    for distribution in DISTRIBUTIONS.get(package, (package, )):
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return None


def active_windows() -> Dict[str, Tuple[str, str]]:
    """:data:`VERSION_WINDOWS`, narrowed by :data:`DET_WINDOWS` where mmdet is installed."""
    windows = dict(VERSION_WINDOWS)
    if installed_version('mmdet') is not None:
        windows.update(DET_WINDOWS)
    return windows


def version_problems(windows: Optional[Dict[str, Tuple[str, str]]] = None,
                     required: Tuple[str, ...] = ()) -> List[str]:
    """Return one readable line per installed package outside its window, and per package of
    ``required`` that is not installed.

    Args:
        windows: package -> (minimum, exclusive maximum). Defaults to :func:`active_windows`.
        required: packages that must be installed. Defaults to none.
    """
    narrowed = windows is None and installed_version('mmdet') is not None
    windows = active_windows() if windows is None else windows
    problems = []
    for package, (low, high) in windows.items():
        found = installed_version(package)
        if found is None:
            if package in required:
                problems.append(
                    f'{package} is not installed; ltr_mm needs {package}>={low},<{high}')
            continue
        if not Version(low) <= Version(found) < Version(high):
            why = (' (mmdet is installed and needs it)'
                   if narrowed and package in DET_WINDOWS else '')
            problems.append(f'{package} {found} is installed; ltr_mm needs '
                            f'{package}>={low},<{high}{why}')
    return problems


def check_versions(required: Tuple[str, ...] = ()) -> None:
    """Raise ``ImportError`` naming every package outside its version window.

    Args:
        required: packages that must also be installed. Defaults to none.
    """
    problems = version_problems(required=required)
    if problems:
        raise ImportError('ltr_mm cannot start:\n  - ' + '\n  - '.join(problems) +
                          f'\nTo fix it, {INSTALL_HINT}.')
