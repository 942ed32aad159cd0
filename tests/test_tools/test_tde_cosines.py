"""tools/analysis_tools/tde_cosines.py: the per-class TDE score shifts, by hand and on the tiny
set."""
import json
import math
import os.path as osp
from types import SimpleNamespace

import torch
from mmengine.config import Config
from tool_runs import load_tool, save_tde_detector

from ltr_mm.models.functional import tde_logit_shift

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = 'configs/tde/tde_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'

TOOL = 'tools/analysis_tools/tde_cosines.py'


def test_shift_table_by_hand():
    # K = 2, tau / K = 8, gamma 0; d^_1 = (1, 0), d^_2 = (0, -1);
    # w^_0 = ((1, 0), (0, 1)) -> s_0 = (8, -8); w^_1 = ((0, 1), (1, 0)) -> s_1 = (0, 0);
    # the third row is the background, left out.
    head = SimpleNamespace(
        fc_cls=SimpleNamespace(weight=torch.tensor([[1., 0., 0., 2.], [0., 1., 1., 0.],
                                                    [1., 1., 1., 1.]])),
        mean_feat=torch.tensor([5., 0., 0., -2.]), num_heads=2, tau=16.0, gamma=0.0)
    # one class-0 object: x^ = ((0.6, 0.8), (1, 0)) -> cos = (0.6, 0), drop 0.6 * 8 = 4.8;
    # two proposals: cos (1, 1) -> drop 8 - 8 = 0, and cos (0, 0.5) -> drop -4.
    feats = dict(gt=torch.tensor([[3., 4., 1., 0.]]), labels=torch.tensor([0]),
                 proposals=torch.tensor([[2., 0., 0., -3.], [0., 1., 3. ** 0.5, -1.]]))
    table = load_tool(TOOL).shift_table(feats, head, num_classes=2)
    torch.testing.assert_close(table['shift'], torch.tensor([0., 0.]))
    torch.testing.assert_close(table['count'], torch.tensor([1., 0.]))
    torch.testing.assert_close(table['own_cos'][0], torch.tensor(0.3))
    torch.testing.assert_close(table['own_drop'][0], torch.tensor(4.8))
    assert math.isnan(table['own_cos'][1]) and math.isnan(table['own_drop'][1])
    torch.testing.assert_close(table['prop_drop'], torch.tensor([-2., 0.]))
    torch.testing.assert_close(table['prop_cos'], torch.tensor(0.625))


def test_tool_on_tiny_set(tiny_fashion_lvis, tmp_path, capsys):
    cfg = Config.fromfile(osp.join(REPO, CONFIG))
    ckpt = tmp_path / 'tde.pth'
    head = save_tde_detector(CONFIG, str(ckpt)).roi_head.bbox_head
    load_tool(TOOL).main([CONFIG, str(ckpt), '--max-images', '4',
                          '--work-dir', str(tmp_path / 'work'),
                          '--cfg-options',
                          f'test_dataloader.dataset.data_root={tiny_fashion_lvis}/',
                          'test_dataloader.dataset.indices=4', 'test_dataloader.num_workers=0'])
    lines = capsys.readouterr().out.splitlines()
    rows = lines[lines.index(next(ln for ln in lines if ln.startswith('class'))) + 1:][:10]
    shift = tde_logit_shift(head.fc_cls.weight.detach(), head.mean_feat).sum(dim=1)
    val = json.load(open(osp.join(tiny_fashion_lvis, 'annotations/lvis_v1_val.json')))
    first = {img['id'] for img in val['images'][:4]}
    counts = [0] * 10
    for ann in val['annotations']:
        if ann['image_id'] in first:
            counts[ann['category_id'] - 1] += 1
    freq = [c['frequency'] for c in sorted(val['categories'], key=lambda c: c['id'])]
    for c, line in enumerate(rows):
        name, group, s_c, num = line.split()[:4]
        assert name == cfg.metainfo['classes'][c] and group == freq[c]
        assert float(s_c) == round(float(shift[c]), 3) and int(num) == counts[c]
    summary = next(ln for ln in lines if 'RPN proposals of 4 test images' in ln)
    mean_cos = float(summary.rsplit(' ', 1)[1])
    alpha = float(lines[-1].rsplit(' ', 1)[1])
    assert abs(alpha - 1 / mean_cos) < 1e-3 * alpha
