"""Run a function right after a module is imported (standard library only).

``when_imported('mmdet.registry', fn)`` calls ``fn(module)`` at once if the module is already
imported, and otherwise right after its code has run, through a finder on ``sys.meta_path``
that wraps only that module's loader and removes itself once nothing is left to watch.
"""
import sys
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Sequence

Callback = Callable[[ModuleType], None]


class _PostImportFinder(MetaPathFinder):
    """Finds nothing itself: it asks the other finders for a watched module's spec and makes
    its loader call the callbacks after ``exec_module``."""

    def __init__(self) -> None:
        self.callbacks: Dict[str, List[Callback]] = {}

    def find_spec(self, fullname: str, path: Optional[Sequence[str]],
                  target: Optional[ModuleType] = None) -> Optional[ModuleSpec]:
        if fullname not in self.callbacks:
            return None
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, 'find_spec', None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        callbacks = self.callbacks.pop(fullname)
        if not self.callbacks and self in sys.meta_path:
            sys.meta_path.remove(self)
        if isinstance(spec.loader, type):  # a class-level loader, shared: wrap, do not patch
            spec.loader = _CallingLoader(spec.loader, callbacks)
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_call(module: ModuleType) -> None:
            exec_module(module)
            for callback in callbacks:
                callback(module)

        spec.loader.exec_module = exec_then_call  # this spec's own loader instance
        return spec


class _CallingLoader(Loader):
    """Delegates to ``loader`` and calls the callbacks after ``exec_module``."""

    def __init__(self, loader: Any, callbacks: List[Callback]) -> None:
        self.loader = loader
        self.callbacks = callbacks

    def create_module(self, spec: ModuleSpec) -> Optional[ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        for callback in self.callbacks:
            callback(module)


_FINDER = _PostImportFinder()


def when_imported(name: str, callback: Callback) -> None:
    """Call ``callback(module)`` once module ``name`` is imported (now if it already is).

    Args:
        name: full dotted module name, e.g. ``'mmpretrain.registry'``.
        callback: called with the module object, after the module's code has run.
    """
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    _FINDER.callbacks.setdefault(name, []).append(callback)
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
