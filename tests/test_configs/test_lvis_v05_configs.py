"""The LVIS v0.5 baselines and BAGS configs are their LVIS v1 twins on v0.5 data.

The twin's resolved config, with the data switched to v0.5 (ltr_mm's checked v0.5 dataset,
root, annotation files, COCO 2017 image folders, evaluator annotations, stage-1 checkpoints of
the v0.5 baselines) and every 1203-class head set to 1230 classes, must equal the v0.5 config
in everything the runner reads. Only config files are parsed: nothing is built.
"""
import glob
import json
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAIRS = sorted((p, p.replace('_lvis-v0.5.py', '_lvis-v1.py'))
               for folder in ('baselines', 'bags')
               for p in glob.glob(osp.join(REPO, f'configs/{folder}/*_lvis-v0.5.py')))
RUNNER_KEYS = ('model', 'train_dataloader', 'val_dataloader', 'test_dataloader',
               'val_evaluator', 'test_evaluator', 'train_cfg', 'val_cfg', 'test_cfg',
               'optim_wrapper', 'param_scheduler', 'default_hooks', 'custom_hooks', 'load_from',
               'find_unused_parameters', 'auto_scale_lr', 'default_scope', 'custom_imports')
TEXT = [('CheckedLVISV1Dataset', 'CheckedLVISV05Dataset'), ('data/lvis_v1/', 'data/lvis_v0.5/'),
        ('annotations/lvis_v1_', 'annotations/lvis_v0.5_'), ('_lvis-v1/', '_lvis-v0.5/')]


def _to_v05(value):
    """The v1 value with the v0.5 data, image folders, checkpoints and class count."""
    if isinstance(value, dict):
        out = {k: 1230 if k == 'num_classes' and v == 1203 else _to_v05(v)
               for k, v in value.items()}
        if 'data_prefix' in out and 'ann_file' in out:
            split = 'train' if out['ann_file'].endswith('_train.json') else 'val'
            out['data_prefix'] = dict(img=f'{split}2017/')
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_to_v05(v) for v in value)
    if isinstance(value, str):
        for old, new in TEXT:
            value = value.replace(old, new)
    return value


def _runner_part(path):
    cfg = Config.fromfile(path).to_dict()
    return {k: cfg.get(k) for k in RUNNER_KEYS}


def test_pairs_are_found():
    assert len(PAIRS) == 8 and all(osp.exists(v1) for _, v1 in PAIRS)


@pytest.mark.parametrize('v05, v1', PAIRS, ids=lambda p: osp.relpath(p, REPO))
def test_v05_config_is_its_v1_twin_on_v05_data(v05, v1):
    expected, got = _to_v05(_runner_part(v1)), _runner_part(v05)
    for key in RUNNER_KEYS:
        got_text = json.dumps(got[key], sort_keys=True)
        assert got_text == json.dumps(expected[key], sort_keys=True), key
    heads = got['model']['roi_head']['bbox_head']
    heads = heads if isinstance(heads, list) else [heads]
    assert [h['num_classes'] for h in heads] == [1230] * len(heads)
    assert got['val_evaluator']['ann_file'] == 'data/lvis_v0.5/annotations/lvis_v0.5_val.json'
