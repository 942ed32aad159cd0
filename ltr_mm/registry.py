"""Where ltr_mm components live in the OpenMMLab registries.

Detection parts go into mmdet's registries, classification parts into mmpretrain's and
parts that both frameworks use (losses, samplers, hooks) into both, so a config with
``default_scope='mmdet'`` or ``default_scope='mmpretrain'`` finds them by plain name::

    from ltr_mm.registry import DET_METRICS, SHARED_MODELS, register

    @register(*SHARED_MODELS)
    class BalancedSoftmaxLoss(nn.Module):
        ...

Every registration is recorded in :data:`REGISTERED`, which the registry test reads to
prove that no ltr_mm name shadows a name mmdet, mmpretrain or mmengine already uses.
"""
from typing import Callable, List, Optional, Tuple

from mmdet.registry import DATA_SAMPLERS as DET_DATA_SAMPLERS
from mmdet.registry import DATASETS as DET_DATASETS
from mmdet.registry import HOOKS as DET_HOOKS
from mmdet.registry import LOOPS as DET_LOOPS
from mmdet.registry import METRICS as DET_METRICS
from mmdet.registry import MODELS as DET_MODELS
from mmdet.registry import TRANSFORMS as DET_TRANSFORMS
from mmengine.registry import Registry
from mmpretrain.registry import DATA_SAMPLERS as CLS_DATA_SAMPLERS
from mmpretrain.registry import DATASETS as CLS_DATASETS
from mmpretrain.registry import HOOKS as CLS_HOOKS
from mmpretrain.registry import LOOPS as CLS_LOOPS
from mmpretrain.registry import METRICS as CLS_METRICS
from mmpretrain.registry import MODELS as CLS_MODELS
from mmpretrain.registry import TRANSFORMS as CLS_TRANSFORMS

SHARED_MODELS = (DET_MODELS, CLS_MODELS)
SHARED_HOOKS = (DET_HOOKS, CLS_HOOKS)
SHARED_LOOPS = (DET_LOOPS, CLS_LOOPS)
SHARED_DATA_SAMPLERS = (DET_DATA_SAMPLERS, CLS_DATA_SAMPLERS)
SHARED_DATASETS = (DET_DATASETS, CLS_DATASETS)
SHARED_METRICS = (DET_METRICS, CLS_METRICS)

#: (registry, name) for every module ltr_mm registers.
REGISTERED: List[Tuple[Registry, str]] = []


def register(*registries: Registry, name: Optional[str] = None) -> Callable[[type], type]:
    """Class decorator registering one class into each of ``registries``.

    Args:
        *registries: target registries, e.g. ``DET_MODELS`` or ``*SHARED_MODELS``.
        name: registered name. Defaults to the class name.
    """
    if not registries:
        raise ValueError('register() needs at least one registry')

    def decorator(cls: type) -> type:
        for registry in registries:
            registry.register_module(name=name, module=cls)
            REGISTERED.append((registry, name or cls.__name__))
        return cls

    return decorator


__all__ = [
    'CLS_DATASETS', 'CLS_DATA_SAMPLERS', 'CLS_HOOKS', 'CLS_METRICS', 'CLS_MODELS',
    'CLS_LOOPS', 'CLS_TRANSFORMS', 'DET_DATASETS', 'DET_DATA_SAMPLERS', 'DET_HOOKS',
    'DET_LOOPS', 'DET_METRICS', 'DET_MODELS', 'DET_TRANSFORMS', 'REGISTERED', 'SHARED_DATASETS',
    'SHARED_DATA_SAMPLERS', 'SHARED_HOOKS', 'SHARED_LOOPS', 'SHARED_METRICS', 'SHARED_MODELS',
    'register'
]
