"""Where ltr_mm components live in the OpenMMLab registries.

Detection parts go into mmdet's registries, classification parts into mmpretrain's and
parts that both frameworks use (losses, samplers, hooks) into each installed one, so a config
with ``default_scope='mmdet'`` or ``default_scope='mmpretrain'`` finds them by plain name::

    from ltr_mm.registry import DET_METRICS, SHARED_MODELS, register

    @register(*SHARED_MODELS)
    class BalancedSoftmaxLoss(nn.Module):
        ...

Runners go into mmengine's root ``RUNNERS`` (:data:`ENGINE_RUNNERS`), which every scope
searches. A framework that is not installed has ``None`` for its registries (``DET_MODELS`` is None
without mmdet) and is left out of the ``SHARED_*`` tuples; the modules that need it are never
imported there (see :mod:`ltr_mm.components`).

Every registration is recorded in :data:`REGISTERED`, which the registry test reads to
prove that no ltr_mm name shadows a name mmdet, mmpretrain or mmengine already uses.
"""
from importlib import import_module
from types import ModuleType
from typing import Callable, List, Optional, Tuple

from mmengine.registry import RUNNERS as ENGINE_RUNNERS
from mmengine.registry import Registry

from ltr_mm.components import framework_installed


def _framework_registry(framework: str) -> Optional[ModuleType]:
    """``<framework>.registry`` if the framework is installed, else None."""
    return import_module(f'{framework}.registry') if framework_installed(framework) else None


_det = _framework_registry('mmdet')
_cls = _framework_registry('mmpretrain')

DET_DATA_SAMPLERS: Optional[Registry] = _det.DATA_SAMPLERS if _det else None
DET_DATASETS: Optional[Registry] = _det.DATASETS if _det else None
DET_HOOKS: Optional[Registry] = _det.HOOKS if _det else None
DET_LOOPS: Optional[Registry] = _det.LOOPS if _det else None
DET_METRICS: Optional[Registry] = _det.METRICS if _det else None
DET_MODELS: Optional[Registry] = _det.MODELS if _det else None
DET_TRANSFORMS: Optional[Registry] = _det.TRANSFORMS if _det else None
CLS_DATA_SAMPLERS: Optional[Registry] = _cls.DATA_SAMPLERS if _cls else None
CLS_DATASETS: Optional[Registry] = _cls.DATASETS if _cls else None
CLS_HOOKS: Optional[Registry] = _cls.HOOKS if _cls else None
CLS_LOOPS: Optional[Registry] = _cls.LOOPS if _cls else None
CLS_METRICS: Optional[Registry] = _cls.METRICS if _cls else None
CLS_MODELS: Optional[Registry] = _cls.MODELS if _cls else None
CLS_TRANSFORMS: Optional[Registry] = _cls.TRANSFORMS if _cls else None


def _installed(*registries: Optional[Registry]) -> Tuple[Registry, ...]:
    return tuple(registry for registry in registries if registry is not None)


SHARED_MODELS = _installed(DET_MODELS, CLS_MODELS)
SHARED_HOOKS = _installed(DET_HOOKS, CLS_HOOKS)
SHARED_LOOPS = _installed(DET_LOOPS, CLS_LOOPS)
SHARED_DATA_SAMPLERS = _installed(DET_DATA_SAMPLERS, CLS_DATA_SAMPLERS)
SHARED_DATASETS = _installed(DET_DATASETS, CLS_DATASETS)
SHARED_METRICS = _installed(DET_METRICS, CLS_METRICS)

#: (registry, name) for every module ltr_mm registers.
REGISTERED: List[Tuple[Registry, str]] = []


def register(*registries: Registry, name: Optional[str] = None) -> Callable[[type], type]:
    """Class decorator registering one class into each of ``registries``.

    Args:
        *registries: target registries, e.g. ``DET_MODELS`` or ``*SHARED_MODELS``.
        name: registered name. Defaults to the class name.
    """
    if not registries:
        raise ValueError('register() needs at least one registry (is mmdet or mmpretrain '
                         'installed?)')
    if any(registry is None for registry in registries):
        raise ValueError('register() got the registry of a framework that is not installed')

    def decorator(cls: type) -> type:
        for registry in registries:
            registry.register_module(name=name, module=cls)
            REGISTERED.append((registry, name or cls.__name__))
        return cls

    return decorator


__all__ = [
    'CLS_DATASETS', 'CLS_DATA_SAMPLERS', 'CLS_HOOKS', 'CLS_METRICS', 'CLS_MODELS',
    'CLS_LOOPS', 'CLS_TRANSFORMS', 'DET_DATASETS', 'DET_DATA_SAMPLERS', 'DET_HOOKS',
    'DET_LOOPS', 'DET_METRICS', 'DET_MODELS', 'DET_TRANSFORMS', 'ENGINE_RUNNERS', 'REGISTERED',
    'SHARED_DATASETS', 'SHARED_DATA_SAMPLERS', 'SHARED_HOOKS', 'SHARED_LOOPS', 'SHARED_METRICS',
    'SHARED_MODELS', 'register'
]
