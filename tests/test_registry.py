"""ltr_mm registers its components without shadowing any mmdet / mmpretrain / mmengine name."""
import pytest
from mmengine.registry import Registry

import ltr_mm
from ltr_mm.registry import (
    CLS_METRICS,
    CLS_MODELS,
    DET_METRICS,
    DET_MODELS,
    REGISTERED,
    SHARED_MODELS,
    register,
)

ltr_mm.register_all_modules()


def _registries(module):
    return [v for v in vars(module).values() if isinstance(v, Registry)]


@pytest.fixture(scope='module')
def upstream_names():
    """Every name that mmengine, mmcv, mmdet and mmpretrain register, in any registry."""
    import mmcv.ops  # noqa: F401  (mmcv registers its ops and transforms in mmengine's registries)
    import mmcv.transforms  # noqa: F401
    import mmdet.registry
    import mmengine.registry
    import mmpretrain.registry
    from mmdet.utils import register_all_modules as register_det
    from mmpretrain.utils import register_all_modules as register_cls
    register_det(init_default_scope=False)
    register_cls(init_default_scope=False)
    names = set()
    for module in (mmengine.registry, mmdet.registry, mmpretrain.registry):
        for registry in _registries(module):
            for name, obj in registry.module_dict.items():
                if not getattr(obj, '__module__', '').startswith('ltr_mm'):
                    names.add(name)
    return names


def test_upstream_names_are_collected(upstream_names):
    # The collision check below is only meaningful if the upstream set is really populated.
    for name in ('FasterRCNN', 'ImageClassifier', 'LVISMetric', 'ClassAwareSampler',
                 'ClassBalancedDataset', 'CrossEntropyLoss', 'DCNv2', 'LoadImageFromFile'):
        assert name in upstream_names
    assert len(upstream_names) > 500


def test_no_ltr_mm_name_collides_with_upstream(upstream_names):
    assert REGISTERED, 'importing ltr_mm registered nothing'
    collisions = sorted({name for _, name in REGISTERED} & upstream_names)
    assert collisions == []


def test_every_registered_name_resolves_to_ltr_mm(upstream_names):
    for registry, name in REGISTERED:
        obj = registry.get(name)
        assert obj is not None and obj.__module__.startswith('ltr_mm'), (registry.name, name)


def test_core_components_are_in_their_scopes():
    names = {(registry.scope, name) for registry, name in REGISTERED}
    assert ('mmdet', 'FastLVISMetric') in names
    assert ('mmpretrain', 'ShotAccuracy') in names
    assert ('mmpretrain', 'ResNetCifarLDAM') in names
    assert DET_METRICS.get('FastLVISMetric') is not None
    assert CLS_METRICS.get('ShotAccuracy') is not None
    assert CLS_MODELS.get('ResNetCifarLDAM') is not None


def test_register_helper_records_each_registry():
    first, second = Registry('ltr_mm_test_a'), Registry('ltr_mm_test_b')
    before = len(REGISTERED)

    @register(first, second, name='ToyForRegistryTest')
    class Toy:
        pass

    assert first.get('ToyForRegistryTest') is Toy
    assert second.get('ToyForRegistryTest') is Toy
    assert REGISTERED[before:] == [(first, 'ToyForRegistryTest'), (second, 'ToyForRegistryTest')]
    del REGISTERED[before:]
    with pytest.raises(ValueError):
        register()
    assert SHARED_MODELS == (DET_MODELS, CLS_MODELS)
    with pytest.raises(ValueError, match='not installed'):
        register(DET_MODELS, None)
