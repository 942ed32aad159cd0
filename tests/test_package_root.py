"""The package root is light and registration follows the installed frameworks.

``import ltr_mm`` imports no framework; each framework's registries import ltr_mm's modules at
their first look-up; every registering module is listed once, under the framework it needs.
"""
import glob
import os.path as osp
import re
import subprocess
import sys

import pytest

from ltr_mm import components

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
HEAVY = ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmpretrain')


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, '-c', code], cwd=REPO, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


def _source(module: str) -> str:
    with open(osp.join(REPO, *module.split('.')) + '.py') as f:
        return f.read()


@pytest.mark.parametrize('module', ['ltr_mm', 'ltr_mm.utils.class_stats',
                                    'ltr_mm.evaluation.functional',
                                    'ltr_mm.datasets.fashion_mnist_idx', 'ltr_mm.models.losses',
                                    'ltr_mm.datasets'])
def test_import_loads_no_framework(module):
    loaded = _python(f'import sys, {module}\n'
                     f'print(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY})))')
    assert loaded == '[]'


def test_registries_import_ltr_mm_at_their_first_look_up():
    out = _python(
        'import ltr_mm\n'
        'from mmpretrain.registry import MODELS, METRICS\n'
        'before = "LDAMLoss" in MODELS.module_dict\n'
        'loss = MODELS.get("LDAMLoss")\n'
        'print(before, loss.__module__, METRICS.get("ShotAccuracy").__module__)')
    assert out == 'False ltr_mm.models.losses.ldam_loss ltr_mm.evaluation.metrics.shot_accuracy'
    out = _python(
        'import ltr_mm\n'
        'from mmdet.registry import MODELS\n'
        'print(MODELS.get("BAGSLoss").__module__, MODELS.get("LDAMLoss").__module__)')
    assert out == 'ltr_mm.models.losses.bags_loss ltr_mm.models.losses.ldam_loss'


def test_a_registry_used_before_import_gets_the_modules_at_once():
    out = _python(
        'from mmpretrain.registry import MODELS\n'
        'MODELS.get("ResNet")\n'
        'import ltr_mm\n'
        'print("LDAMLoss" in MODELS.module_dict, "RIDEHead" in MODELS.module_dict)')
    assert out == 'True True'


def test_runner_is_found_from_every_scope_and_without_one():
    out = _python(
        'import ltr_mm\n'
        'from mmengine.registry import RUNNERS\n'
        'from mmdet.registry import RUNNERS as DET\n'
        'from mmpretrain.registry import RUNNERS as CLS\n'
        'print(*(r.get("WeightsOnlyRunner").__name__ for r in (RUNNERS, DET, CLS)))')
    assert out == 'WeightsOnlyRunner WeightsOnlyRunner WeightsOnlyRunner'


def test_register_all_modules_registers_every_listed_module():
    out = _python('import ltr_mm, sys\n'
                  'print(ltr_mm.register_all_modules(), '
                  'all(m in sys.modules for m in ltr_mm.components.FRAMEWORKS["mmdet"] '
                  '+ ltr_mm.components.FRAMEWORKS["mmpretrain"]))')
    assert out == "['mmpretrain', 'mmdet'] True"


def test_every_registering_module_is_listed_once_under_its_framework():
    registering = set()
    for path in glob.glob(osp.join(REPO, 'ltr_mm', '**', '*.py'), recursive=True):
        with open(path) as f:
            if re.search(r'^@register\(', f.read(), re.M):
                registering.add(osp.relpath(path, REPO)[:-3].replace(osp.sep, '.'))
    lists = (components.ENGINE_COMPONENTS, components.SHARED_COMPONENTS,
             components.CLS_COMPONENTS, components.DET_COMPONENTS)
    listed = [module for modules in lists for module in modules]
    assert sorted(listed) == sorted(registering)
    imports = re.compile(r'^\s*(from|import) (mmdet|mmpretrain)\b', re.M)
    for module in components.ENGINE_COMPONENTS + components.SHARED_COMPONENTS:
        assert not imports.search(_source(module)), module
        assert 'CLS_' not in _source(module).split('import', 1)[0], module
    for module in components.CLS_COMPONENTS:
        assert not re.search(r'^\s*(from|import) mmdet\b|DET_', _source(module), re.M), module
    for module in components.DET_COMPONENTS:
        assert not re.search(r'^\s*(from|import) mmpretrain\b|CLS_', _source(module),
                             re.M), module


def test_lazy_exports_resolve_to_their_modules():
    from ltr_mm.models import losses
    assert 'LDAMLoss' in dir(losses) and 'BAGSLoss' in losses.__all__
    assert losses.LDAMLoss.__module__ == 'ltr_mm.models.losses.ldam_loss'
    with pytest.raises(AttributeError, match='NoSuchLoss'):
        losses.NoSuchLoss  # noqa: B018
    import ltr_mm.datasets as datasets
    assert datasets.samplers.__name__ == 'ltr_mm.datasets.samplers'
    for package in ('ltr_mm.datasets', 'ltr_mm.datasets.samplers', 'ltr_mm.engine',
                    'ltr_mm.engine.hooks', 'ltr_mm.engine.runner', 'ltr_mm.evaluation',
                    'ltr_mm.evaluation.metrics', 'ltr_mm.models', 'ltr_mm.models.backbones',
                    'ltr_mm.models.classifiers', 'ltr_mm.models.heads', 'ltr_mm.models.layers',
                    'ltr_mm.models.losses', 'ltr_mm.models.roi_heads',
                    'ltr_mm.models.roi_heads.bbox_heads'):
        module = __import__(package, fromlist=['__all__'])
        for name in module.__all__:
            assert getattr(module, name) is not None, (package, name)


def test_post_import_hook_runs_after_the_module_and_only_once():
    out = _python(
        'from ltr_mm.utils import post_import\n'
        'seen = []\n'
        'post_import.when_imported("colorsys", lambda m: seen.append(hasattr(m, "rgb_to_hsv")))\n'
        'watched = "colorsys" in post_import._FINDER.callbacks\n'
        'import colorsys\n'
        'post_import.when_imported("colorsys", lambda m: seen.append("again"))\n'
        'print(seen, watched, "colorsys" in post_import._FINDER.callbacks)')
    assert out == "[True, 'again'] True False"


def test_post_import_hook_wraps_a_shared_loader():
    # xxsubtype is built in: its loader is the BuiltinImporter class, shared by all built-ins.
    out = _python(
        'from importlib.machinery import BuiltinImporter\n'
        'from ltr_mm.utils import post_import\n'
        'seen = []\n'
        'post_import.when_imported("xxsubtype", lambda m: seen.append(hasattr(m, "spamdict")))\n'
        'import xxsubtype\n'
        'print(seen, BuiltinImporter.exec_module.__qualname__)')
    assert out == '[True] BuiltinImporter.exec_module'
