"""Class statistics have one provider: configs compute no counts, models read no datasets.

Text checks over the repository (no OpenMMLab import): a config that needs per-class counts
declares ``SetClassStatsHook`` (tests/test_configs/test_build_all_configs.py checks that on the
built configs) instead of computing them, and the model code takes them through
``set_class_stats`` instead of reading annotation files itself.
"""
import ast
import glob
import os.path as osp
import re

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True))
MODEL_FILES = sorted(glob.glob(osp.join(REPO, 'ltr_mm/models/**/*.py'), recursive=True))


def test_no_config_computes_or_lists_class_counts():
    assert len(CONFIGS) > 100
    offenders = []
    for path in CONFIGS:
        text = open(path).read()
        if re.search(r'^\s*class_counts\s*=', text, re.M) or 'round(v)' in text:
            offenders.append(osp.relpath(path, REPO))
        for key in ('class_counts=', 'train_ann_file=', 'class_counts_from=', 'ann_file=train'):
            if key in text:
                offenders.append(f'{osp.relpath(path, REPO)}: {key}')
    assert offenders == []


def _imported_modules(path):
    """Absolute names of the modules a file imports (relative imports resolved)."""
    package = osp.relpath(osp.dirname(path), REPO).replace(osp.sep, '.')
    names = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split('.')
            if node.level:
                base = base[:len(base) - node.level + 1]
                module = '.'.join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            names.append(module)
            names += [f'{module}.{alias.name}' for alias in node.names]
    return names


def test_models_do_not_import_datasets():
    assert len(MODEL_FILES) > 20
    offenders = {osp.relpath(p, REPO): [m for m in _imported_modules(p)
                                        if m.startswith('ltr_mm.datasets')]
                 for p in MODEL_FILES}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_import_resolution_sees_relative_and_absolute_imports(tmp_path):
    """The check above would catch both spellings."""
    folder = tmp_path / 'ltr_mm' / 'models' / 'losses'
    folder.mkdir(parents=True)
    probe = folder / 'probe.py'
    probe.write_text('from ...datasets import lvis_counts\nimport ltr_mm.datasets.x\n')
    global REPO
    saved, REPO = REPO, str(tmp_path)
    try:
        names = _imported_modules(str(probe))
    finally:
        REPO = saved
    assert 'ltr_mm.datasets.lvis_counts' in names and 'ltr_mm.datasets.x' in names
