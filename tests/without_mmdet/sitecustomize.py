"""Imported by Python at start-up when this folder is on ``PYTHONPATH``: makes mmdet and mmcv's
compiled ops (``mmcv.ops``, ``mmcv._ext``) unimportable, as in an environment with torch,
mmengine, mmcv-lite and mmpretrain but without mmdet (``tests/test_without_mmdet.py``).

``mmdet`` is refused with ``ModuleNotFoundError`` (also by ``importlib.util.find_spec``). The
ops get a spec without a loader: ``import mmcv.ops`` raises ``ImportError`` and
``pkgutil.find_loader('mmcv._ext')`` (mmengine's test for compiled ops) returns None, as they
do with mmcv-lite.
"""
import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec

REFUSED = ('mmdet', )
WITHOUT_LOADER = ('mmcv.ops', 'mmcv._ext')


def _within(fullname, names):
    return any(fullname == name or fullname.startswith(name + '.') for name in names)


class BlockFinder(MetaPathFinder):
    """Hides the blocked packages and everything inside them."""

    def find_spec(self, fullname, path, target=None):
        if _within(fullname, REFUSED):
            raise ModuleNotFoundError(f'No module named {fullname!r} (blocked by '
                                      'tests/without_mmdet/sitecustomize.py)', name=fullname)
        if _within(fullname, WITHOUT_LOADER):
            return ModuleSpec(fullname, None)
        return None


sys.meta_path.insert(0, BlockFinder())
