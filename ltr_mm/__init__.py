"""ltr_mm: long-tailed recognition components for mmdet 3.x and mmpretrain 1.x.

``import ltr_mm`` is light: it imports neither torch nor mmengine, mmdet or mmpretrain. It
checks the versions of the OpenMMLab packages that are installed and makes each installed
framework's registries import ltr_mm's components for that framework at their first look-up
(:mod:`ltr_mm.components`), so configs only need
``custom_imports=dict(imports=['ltr_mm'], allow_failed_imports=False)``, with or without mmdet.
Submodules such as ``ltr_mm.utils.class_stats`` or ``ltr_mm.evaluation.functional`` import
without any OpenMMLab framework. :func:`register_all_modules` registers everything at once.
"""
from .components import enable_lazy_registration, register_all_modules
from .utils.version_check import check_versions
from .version import __version__

check_versions()
enable_lazy_registration()

__all__ = ['__version__', 'register_all_modules']
