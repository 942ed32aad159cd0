"""Choosing a detector's TDE alpha on a held-out split: the choice rule by hand, the split
switch, and knob_sweep.py on the tiny detection set."""
import json
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from tool_runs import load_tool, save_tde_detector
from torch import nn

from ltr_mm.analysis.det_knob_selection import (
    choose_det_alpha,
    lvis_percent,
    sweep_det_alpha,
    tde_box_heads,
)
from ltr_mm.evaluation.metrics import FastLVISMetric
from ltr_mm.models.roi_heads.bbox_heads import TDEBBoxHead
from ltr_mm.utils.cli import use_test_split

CONFIG = 'configs/tde/tde_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
KEYS = ('AP', 'APr', 'APc', 'APf')


def _tde_head(alpha=1.5):
    return TDEBBoxHead(in_channels=4, fc_out_channels=8, roi_feat_size=1, num_classes=3,
                       test_cfg=dict(alpha=alpha, bg_exempt=True))


def _runner(bbox_head, table, ious=('bbox', 'segm')):
    """A runner whose ``test()`` returns LVIS metrics looked up by the first head's alpha."""
    first = bbox_head[0] if isinstance(bbox_head, nn.ModuleList) else bbox_head
    seen = []

    def test():
        alphas = [h.test_cfg['alpha'] for h in (bbox_head if isinstance(
            bbox_head, nn.ModuleList) else [bbox_head])]
        seen.append(alphas)
        ap = table[first.test_cfg['alpha']]
        return {f'lvis/{iou}_{k}': ap[iou] / 100 for iou in ious for k in KEYS}

    model = SimpleNamespace(roi_head=SimpleNamespace(bbox_head=bbox_head))
    return SimpleNamespace(model=model, test=test, seen=seen)


def test_choice_by_mask_ap_ties_to_smaller_alpha():
    head = _tde_head()
    # mask AP peaks at 0.5 and 1.0 alike (the smaller wins), box AP would pick 1.5
    table = {0.0: dict(bbox=30, segm=28), 0.5: dict(bbox=31, segm=34),
             1.0: dict(bbox=32, segm=34), 1.5: dict(bbox=40, segm=20)}
    runner = _runner(head, table)
    choice = choose_det_alpha(runner, [0.0, 0.5, 1.0, 1.5])
    assert choice['alpha'] == 0.5 and choice['key'] == 'segm_AP'
    assert head.test_cfg['alpha'] == 0.5
    assert [r['value'] for r in choice['sweep']] == [0.0, 0.5, 1.0, 1.5]
    assert [round(r['segm_AP'], 6) for r in choice['sweep']] == [28, 34, 34, 20]
    assert [round(r['bbox_APr'], 6) for r in choice['sweep']] == [30, 31, 32, 40]
    assert runner.seen == [[0.0], [0.5], [1.0], [1.5]]


def test_box_only_detector_and_every_cascade_stage():
    stages = nn.ModuleList([_tde_head(1.5), _tde_head(2.0), _tde_head(2.5)])
    table = {0.0: dict(bbox=30), 1.0: dict(bbox=33), 2.0: dict(bbox=31)}
    runner = _runner(stages, table, ious=('bbox',))
    rows = sweep_det_alpha(runner, [0.0, 1.0, 2.0])
    assert runner.seen == [[0.0] * 3, [1.0] * 3, [2.0] * 3]
    assert [h.test_cfg['alpha'] for h in stages] == [1.5, 2.0, 2.5]  # restored
    assert 'segm_AP' not in rows[0]
    choice = choose_det_alpha(runner, [0.0, 1.0, 2.0])
    assert choice['alpha'] == 1.0 and choice['key'] == 'bbox_AP'
    assert [h.test_cfg['alpha'] for h in stages] == [1.0] * 3


def test_refuses_a_detector_without_a_tde_head():
    model = SimpleNamespace(roi_head=SimpleNamespace(bbox_head=nn.Linear(2, 2)))
    with pytest.raises(TypeError, match='no TDEBBoxHead.*Linear'):
        tde_box_heads(model)
    with pytest.raises(KeyError, match='FastLVISMetric'):
        lvis_percent({'coco/bbox_mAP': 0.3})


def test_use_test_split(tmp_path):
    (tmp_path / 'annotations').mkdir()
    (tmp_path / 'annotations' / 'held.json').write_text('{}')
    cfg = Config(dict(
        test_dataloader=dict(dataset=dict(type='ClassBalancedDataset', dataset=dict(
            data_root=f'{tmp_path}/', ann_file='annotations/val.json'))),
        test_evaluator=[dict(type='FastLVISMetric', ann_file='x/val.json'),
                        dict(type='Other')]))
    path = use_test_split(cfg, 'annotations/held.json')
    assert path == f'{tmp_path}/annotations/held.json'
    assert cfg.test_dataloader.dataset.dataset.ann_file == 'annotations/held.json'
    assert cfg.test_evaluator[0].ann_file == path and 'ann_file' not in cfg.test_evaluator[1]
    with pytest.raises(FileNotFoundError, match=r"annotations/none.json.*data_root"):
        use_test_split(cfg, 'annotations/none.json')
    assert cfg.test_dataloader.dataset.dataset.ann_file == 'annotations/held.json'


def test_tool_scores_each_alpha_on_the_held_out_split(tiny_fashion_lvis, tmp_path, capsys,
                                                      monkeypatch):
    ckpt = tmp_path / 'tde.pth'
    save_tde_detector(CONFIG, str(ckpt))
    alphas, img_ids = [], set()
    forward, process = TDEBBoxHead.forward, FastLVISMetric.process

    def record_forward(self, x):
        if not self.training:
            alphas.append(self.test_cfg['alpha'])
        return forward(self, x)

    def record_process(self, data_batch, data_samples):
        img_ids.update(s['img_id'] for s in data_samples)
        return process(self, data_batch, data_samples)

    monkeypatch.setattr(TDEBBoxHead, 'forward', record_forward)
    monkeypatch.setattr(FastLVISMetric, 'process', record_process)
    choice = load_tool('tools/analysis_tools/knob_sweep.py').main([
        CONFIG, str(ckpt), '--knob', 'alpha', '--ann-file', 'annotations/lvis_v1_heldout.json',
        '--values', '0', '2', '--work-dir', str(tmp_path / 'work'), '--cfg-options',
        f'test_dataloader.dataset.data_root={tiny_fashion_lvis}/',
        'test_dataloader.dataset.indices=3', 'test_dataloader.num_workers=0',
        'model.test_cfg.rcnn.max_per_img=20'])
    held = json.load(open(osp.join(tiny_fashion_lvis, 'annotations/lvis_v1_heldout.json')))
    assert img_ids == {img['id'] for img in held['images'][:3]}
    passes = len(alphas) // 2  # one box-head forward per test batch, two passes
    assert passes and alphas == [0.0] * passes + [2.0] * passes
    assert [r['value'] for r in choice['sweep']] == [0.0, 2.0]
    key = 'segm_AP'
    best = max(choice['sweep'], key=lambda r: (r[key], -r['value']))['value']
    assert choice['alpha'] == best and choice['key'] == key
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith(f'best alpha: {best:g} by segm_AP')
    assert f'model.roi_head.bbox_head.test_cfg.alpha={best:g}' in out[-1]
    assert 'split: annotations/lvis_v1_heldout.json' in out


def test_tool_refuses_another_detector_knob(tmp_path):
    ckpt = tmp_path / 'x.pth'
    torch.save({}, ckpt)
    with pytest.raises(ValueError, match='only alpha'):
        load_tool('tools/analysis_tools/knob_sweep.py').main([
            CONFIG, str(ckpt), '--knob', 'tau_norm', '--work-dir', str(tmp_path / 'w')])
