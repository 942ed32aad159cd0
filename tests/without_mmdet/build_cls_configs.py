"""Build the model of every classification config (``default_scope='mmpretrain'``) after a
plain ``import ltr_mm``, and print what was built and which blocked modules got imported.
Detection configs (``default_scope='mmdet'``, or unreadable as their ``mmdet::`` bases are
missing) are listed as skipped.

Run by ``tests/test_without_mmdet.py`` with ``tests/without_mmdet`` on ``PYTHONPATH``; prints
one JSON object on its last line. ``build_cls_configs.py I N`` handles every N-th config file
from the I-th (0-based), so N processes share the configs.
"""
import glob
import json
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def no_pretrained(cfg):
    """Drop checkpoint-based initialisation (teachers, pretrained weights): no files here."""
    if isinstance(cfg, dict):
        if cfg.get('type') == 'Pretrained' or 'checkpoint' in cfg and 'type' in cfg:
            return None
        return {k: no_pretrained(v) for k, v in cfg.items()}
    if isinstance(cfg, list):
        return [no_pretrained(v) for v in cfg]
    return cfg


def main(shard: int, shards: int) -> None:
    from mmengine.config import Config
    from mmengine.registry import MODELS, DefaultScope

    import ltr_mm

    after_import = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'mmpretrain'))
    built, skipped = [], []
    paths = sorted(glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True))
    for path in [p for p in paths if '/_base_/' not in p][shard::shards]:
        name = osp.relpath(path, REPO)
        try:
            cfg = Config.fromfile(path)
        except Exception as err:  # a detection config whose mmdet:: bases are not found
            if 'mmdet' not in str(err):
                raise
            skipped.append(name)
            continue
        if cfg.default_scope != 'mmpretrain':
            skipped.append(name)
            continue
        with DefaultScope.overwrite_default_scope('mmpretrain'):
            model = MODELS.build(no_pretrained(cfg.model.to_dict()))
        built.append([name, type(model).__name__, sum(p.numel() for p in model.parameters())])
    from ltr_mm.registry import REGISTERED
    print(json.dumps(dict(
        built=built, skipped=skipped, after_import=after_import,
        blocked_loaded=sorted(m for m in sys.modules
                              if m.split('.')[0] == 'mmdet' or m.startswith(('mmcv.ops',
                                                                             'mmcv._ext'))),
        scopes=sorted({registry.scope for registry, _ in REGISTERED}),
        names=sorted({name for _, name in REGISTERED}),
        frameworks=ltr_mm.components.installed_frameworks())))


if __name__ == '__main__':
    main(*(map(int, sys.argv[1:3]) if len(sys.argv) > 2 else (0, 1)))
