"""Which ltr_mm modules register components, for which framework, and when they are imported.

``import ltr_mm`` imports none of them (nor torch, mmengine, mmdet or mmpretrain). It calls
:func:`enable_lazy_registration`, which, for each framework that is installed (mmdet,
mmpretrain), adds that framework's ltr_mm modules to the import locations of its registries,
the way the framework lists its own modules there (``Registry(..., locations=[...])``): the
first time a registry of the framework looks a name up (a Runner building a model, a hook,
a loop, a dataset or a metric from a config), mmengine imports the framework's modules and
then ltr_mm's, which register their classes. A framework that is not installed is never
touched, so with mmpretrain but no mmdet (and mmcv-lite, without compiled ops) every
classification component registers and no detection module is imported.

:func:`register_all_modules` imports the modules of every installed framework at once (for
code that inspects the registries before building anything).

This module uses the standard library only.
"""
from importlib import import_module, util
from types import ModuleType
from typing import Any, Dict, List, Tuple

#: registering modules that need mmengine only and register into mmengine's root registries
#: (which every scope searches); they are also imported with every framework's modules.
ENGINE_COMPONENTS: Tuple[str, ...] = ('ltr_mm.engine.runner.weights_only_runner',)

#: registering modules that need torch and mmengine only; they register into the registries of
#: every installed framework.
SHARED_COMPONENTS: Tuple[str, ...] = (
    'ltr_mm.datasets.samplers.class_balanced_sampler',
    'ltr_mm.datasets.samplers.drs_sampler',
    'ltr_mm.datasets.samplers.progressive_sampler',
    'ltr_mm.datasets.samplers.repeat_factor_sampler',
    'ltr_mm.datasets.samplers.square_root_sampler',
    'ltr_mm.engine.hooks.check_num_classes_hook',
    'ltr_mm.engine.hooks.freeze_modules_hook',
    'ltr_mm.engine.hooks.non_finite_loss_hook',
    'ltr_mm.engine.hooks.set_class_stats_hook',
    'ltr_mm.engine.hooks.set_epoch_hook',
    'ltr_mm.engine.hooks.stage1_checkpoint_hook',
    'ltr_mm.engine.hooks.tde_momentum_hook',
    'ltr_mm.engine.runner.resumable_loop',
    'ltr_mm.models.layers.cosine_linear',
    'ltr_mm.models.layers.lws_linear',
    'ltr_mm.models.losses.balanced_softmax_loss',
    'ltr_mm.models.losses.cdt_loss',
    'ltr_mm.models.losses.class_balanced_loss',
    'ltr_mm.models.losses.cost_sensitive_ce_loss',
    'ltr_mm.models.losses.ldam_loss',
    'ltr_mm.models.losses.logit_adjust_loss',
)

#: registering modules that need mmpretrain (and mmcv-lite is enough).
CLS_COMPONENTS: Tuple[str, ...] = (
    'ltr_mm.datasets.cifar100_lt',
    'ltr_mm.datasets.cifar10_lt',
    'ltr_mm.datasets.fashion_mnist_lt',
    'ltr_mm.datasets.imagenet_lt',
    'ltr_mm.datasets.inat18',
    'ltr_mm.datasets.lt_json_dataset',
    'ltr_mm.datasets.places_lt',
    'ltr_mm.engine.hooks.ncm_class_means_hook',
    'ltr_mm.evaluation.metrics.expert_share_metric',
    'ltr_mm.evaluation.metrics.shot_accuracy',
    'ltr_mm.models.backbones.lt_resnet',
    'ltr_mm.models.backbones.resnet_cifar_ldam',
    'ltr_mm.models.backbones.ride_resnet',
    'ltr_mm.models.backbones.ride_resnet_cifar',
    'ltr_mm.models.classifiers.lt_image_classifier',
    'ltr_mm.models.classifiers.ride_classifier',
    'ltr_mm.models.heads.lt_linear_cls_head',
    'ltr_mm.models.heads.lws_cls_head',
    'ltr_mm.models.heads.ncm_cls_head',
    'ltr_mm.models.heads.ride_head',
    'ltr_mm.models.heads.ride_router',
    'ltr_mm.models.heads.tde_cls_head',
    'ltr_mm.models.layers.feature_cluster_compression',
    'ltr_mm.models.losses.ride_distill_loss',
    'ltr_mm.models.losses.ride_loss',
)

#: registering modules that need mmdet (and mmcv with its compiled ops).
DET_COMPONENTS: Tuple[str, ...] = (
    'ltr_mm.datasets.checked_coco_dataset',
    'ltr_mm.datasets.checked_lvis_v05_dataset',
    'ltr_mm.datasets.checked_lvis_v1_dataset',
    'ltr_mm.evaluation.metrics.fast_lvis_metric',
    'ltr_mm.models.losses.bags_loss',
    'ltr_mm.models.losses.ecm_cls_loss',
    'ltr_mm.models.losses.eqlv2_cls_loss',
    'ltr_mm.models.losses.federated_cls_loss',
    'ltr_mm.models.losses.sigmoid_focal_cls_loss',
    'ltr_mm.models.roi_heads.bbox_heads.tau_norm_bbox_head',
    'ltr_mm.models.roi_heads.bbox_heads.tde_bbox_head',
)

#: framework package -> the ltr_mm modules that register into its registries.
FRAMEWORKS: Dict[str, Tuple[str, ...]] = {
    'mmpretrain': ENGINE_COMPONENTS + SHARED_COMPONENTS + CLS_COMPONENTS,
    'mmdet': ENGINE_COMPONENTS + SHARED_COMPONENTS + DET_COMPONENTS,
}

#: the registries (names in ``<framework>.registry``) that ltr_mm registers into.
REGISTRY_NAMES: Tuple[str, ...] = ('DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'LOOPS', 'METRICS',
                                   'MODELS', 'RUNNERS', 'TRANSFORMS')


def framework_installed(name: str) -> bool:
    """Whether package ``name`` can be imported (found on the path; nothing is imported)."""
    try:
        return util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def installed_frameworks() -> List[str]:
    """The frameworks of :data:`FRAMEWORKS` that are installed, in its order."""
    return [name for name in FRAMEWORKS if framework_installed(name)]


def register_framework(framework: str) -> None:
    """Import (and so register) every ltr_mm module of ``framework`` now.

    Args:
        framework: a key of :data:`FRAMEWORKS`.
    """
    if framework not in FRAMEWORKS:
        raise KeyError(f'ltr_mm has no components for {framework!r}; known: {list(FRAMEWORKS)}')
    for module in FRAMEWORKS[framework]:
        import_module(module)


def register_all_modules() -> List[str]:
    """Register ltr_mm's components into every installed framework now.

    Returns:
        list[str]: the frameworks whose components were registered.
    """
    frameworks = installed_frameworks()
    for framework in frameworks:
        register_framework(framework)
    return frameworks


def _add_locations(registries: List[Any], modules: Tuple[str, ...]) -> None:
    """Add ``modules`` to the import locations of ``registries``.

    A registry that has already imported its locations (it looked a name up before ltr_mm was
    imported) would not import them again, so the modules are imported at once instead.
    """
    if any(registry._imported for registry in registries):
        for module in modules:
            import_module(module)
        return
    for registry in registries:
        for module in modules:
            if module not in registry._locations:
                registry._locations.append(module)


def _defer_to_registries(framework: str, registry_module: ModuleType) -> None:
    """Make the registries of ``framework`` import its ltr_mm modules at their first look-up."""
    registries = [getattr(registry_module, name) for name in REGISTRY_NAMES
                  if hasattr(registry_module, name)]
    _add_locations(registries, FRAMEWORKS[framework])


def _defer_to_engine_registries(registry_module: ModuleType) -> None:
    """Make mmengine's root ``RUNNERS`` import ltr_mm's runner at its first look-up."""
    _add_locations([registry_module.RUNNERS], ENGINE_COMPONENTS)


def enable_lazy_registration() -> List[str]:
    """Make each installed framework's registries import ltr_mm's modules at their first
    look-up (see the module docstring).

    Returns:
        list[str]: the installed frameworks.
    """
    from ltr_mm.utils.post_import import when_imported
    frameworks = installed_frameworks()
    if frameworks:
        when_imported('mmengine.registry', _defer_to_engine_registries)
    for framework in frameworks:
        when_imported(f'{framework}.registry',
                      lambda module, framework=framework: _defer_to_registries(framework, module))
    return frameworks


__all__ = ['CLS_COMPONENTS', 'DET_COMPONENTS', 'ENGINE_COMPONENTS', 'FRAMEWORKS',
           'SHARED_COMPONENTS', 'enable_lazy_registration', 'framework_installed',
           'installed_frameworks', 'register_all_modules', 'register_framework']
