"""Package namespaces that import a submodule only when one of its names is used (PEP 562).

A subpackage ``__init__`` lists what it offers instead of importing it::

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {
        'LDAMLoss': '.ldam_loss',
        'samplers': '.samplers',          # a submodule, offered under its own name
    })

``from ltr_mm.models.losses import LDAMLoss`` then imports ``ldam_loss`` only, so a
classification-only environment never imports the detection modules of the same package.
"""
from importlib import import_module
from typing import Any, Callable, Dict, List, Tuple


def lazy_exports(package: str, exports: Dict[str, str]
                 ) -> Tuple[Callable[[str], Any], Callable[[], List[str]], List[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a lazily exporting package.

    Args:
        package: the package's ``__name__``.
        exports: public name -> relative module (``'.ldam_loss'``). A name equal to the
            module's own last component (``'samplers': '.samplers'``) exports the module itself.

    Returns:
        tuple: ``(__getattr__, __dir__, __all__)`` to assign in the package's ``__init__``.
    """
    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f'module {package!r} has no attribute {name!r}')
        module = import_module(exports[name], package)
        if exports[name].lstrip('.').split('.')[-1] == name:
            return module
        return getattr(module, name)

    def __dir__() -> List[str]:
        return sorted(exports)

    return __getattr__, __dir__, sorted(exports)
