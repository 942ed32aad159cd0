"""Check that the OpenMMLab stack is inside the versions ltr_mm is built and tested for."""
from importlib import metadata
from typing import Dict, List, Optional, Tuple

from packaging.version import Version

#: package -> (minimum inclusive, maximum exclusive)
VERSION_WINDOWS: Dict[str, Tuple[str, str]] = {
    'mmcv': ('2.0.0', '2.2.0'),
    'mmengine': ('0.10.0', '1.0.0'),
    'mmdet': ('3.3.0', '3.4.0'),
    'mmpretrain': ('1.2.0', '1.3.0'),
}

INSTALL_HINT = 'run `bash tools/install.sh` (or `make install`) from the ltr_mm checkout'


def version_problems(windows: Optional[Dict[str, Tuple[str, str]]] = None) -> List[str]:
    """Return one readable line per package that is missing or outside its window.

    Args:
        windows: package -> (minimum, exclusive maximum). Defaults to :data:`VERSION_WINDOWS`.
    """
    windows = VERSION_WINDOWS if windows is None else windows
    problems = []
    for package, (low, high) in windows.items():
        try:
            found = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f'{package} is not installed; ltr_mm needs {package}>={low},<{high}')
            continue
        if not Version(low) <= Version(found) < Version(high):
            problems.append(
                f'{package} {found} is installed; ltr_mm needs {package}>={low},<{high}')
    return problems


def check_versions() -> None:
    """Raise ``ImportError`` naming every package outside its version window."""
    problems = version_problems()
    if problems:
        raise ImportError('ltr_mm cannot start:\n  - ' + '\n  - '.join(problems) +
                          f'\nTo fix it, {INSTALL_HINT}.')
