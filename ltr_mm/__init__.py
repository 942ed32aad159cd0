"""ltr_mm: long-tailed recognition components for mmdet 3.x and mmpretrain 1.x.

Importing the package checks the OpenMMLab version window, allows the classes that mmengine
checkpoints need under ``torch.load(weights_only=True)`` and registers every component, so
configs only need ``custom_imports=dict(imports=['ltr_mm'], allow_failed_imports=False)``.
"""
from .utils.version_check import check_versions
from .version import __version__

check_versions()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers modules)

__all__ = ['__version__']
