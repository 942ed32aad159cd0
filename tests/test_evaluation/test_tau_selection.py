"""tau-norm selection on a held-out split: sweep values by hand, and the tool on the tiny set."""
import os.path as osp

import pytest
import torch

from ltr_mm.evaluation.tau_selection import best_tau, class_mean_top1, tau_sweep
from ltr_mm.registry import CLS_MODELS
from tool_runs import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = 'configs/decoupled/tau-norm_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'


def _head(bias=(0.0, 0.0)):
    head = CLS_MODELS.build(dict(type='LTLinearClsHead', num_classes=2, in_channels=2,
                                 test_cfg=dict(tau_norm=0.3, keep_bias=True)))
    with torch.no_grad():  # ||w_0|| = 2, ||w_1|| = 1
        head.fc.weight.copy_(torch.tensor([[2.0, 0.0], [0.0, 1.0]]))
        head.fc.bias.copy_(torch.tensor(bias))
    return head


# a = (0.4, 0.6), c = (0.3, 0.5) are class 1, b = (1, 0) is class 0. Class-1 logit of a / c is
# 0.6 / 0.5 at every tau; class 0's is 0.8 / 0.6 at tau 0 (wrong), 0.4 * 2 ** 0.5 = 0.566 /
# 0.424 at tau 0.5 (right) and 0.4 / 0.3 at tau 1 (right); b is class 0 at every tau.
FEATS = (torch.tensor([[0.4, 0.6], [1.0, 0.0], [0.3, 0.5]]),)
LABELS = torch.tensor([1, 0, 1])


def test_sweep_by_hand():
    head = _head()
    rows = tau_sweep(head, FEATS, LABELS, [0.0, 0.5, 1.0])
    assert [r['tau'] for r in rows] == [0.0, 0.5, 1.0]
    assert rows[0]['top1'] == pytest.approx(100 / 3)
    assert rows[0]['class_mean_top1'] == pytest.approx(50.0)  # class 0: 1 / 1, class 1: 0 / 2
    assert [r['top1'] for r in rows[1:]] == [100.0, 100.0]
    assert best_tau(rows) == 0.5  # ties go to the smallest tau
    assert head.test_cfg['tau_norm'] == 0.3 and head.test_cfg['keep_bias'] is True


def test_bias_kept_or_dropped():
    # bias (1, 0) at tau 1: class 0 scores 1.4 / 2 / 1.3 against 0.6 / 0 / 0.5 -> all class 0
    head = _head(bias=(1.0, 0.0))
    kept = tau_sweep(head, FEATS, LABELS, [1.0])[0]
    dropped = tau_sweep(head, FEATS, LABELS, [1.0], keep_bias=False)[0]
    assert kept['top1'] == pytest.approx(100 / 3) and kept['class_mean_top1'] == 50.0
    assert dropped['top1'] == 100.0
    assert head.test_cfg['keep_bias'] is True


def test_class_mean_skips_absent_classes_and_empty_sweeps():
    pred, labels = torch.tensor([0, 0, 2, 1]), torch.tensor([0, 2, 2, 2])
    assert class_mean_top1(pred, labels, num_classes=4) == pytest.approx(200 / 3)  # (1 + 1/3) / 2
    with pytest.raises(ValueError, match='no tau was scored'):
        best_tau([])


def test_tool_matches_hand_logits(tiny_fashion_lt, tmp_path, capsys):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner
    cfg = Config.fromfile(osp.join(REPO, CONFIG))
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = CLS_MODELS.build(cfg.model)
    model.init_weights()
    with torch.no_grad():  # unequal class norms, so tau matters
        model.head.fc.weight.mul_(torch.linspace(3.0, 0.2, 10)[:, None])
    ckpt = tmp_path / 'ce.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, ckpt)
    taus = [0.0, 0.5, 1.0, 1.5]
    best = load_tool('tools/analysis_tools/tau_norm_sweep.py').main(
        [CONFIG, str(ckpt), '--ann-file', 'meta/val.txt', '--drop-bias', '--taus',
         *map(str, taus), '--work-dir', str(tmp_path / 'work'), '--cfg-options',
         f'test_dataloader.dataset.data_root={tiny_fashion_lt}/',
         'test_dataloader.num_workers=0', 'test_dataloader.batch_size=16',
         f'test_evaluator.class_stats={tiny_fashion_lt}/class_stats.json',
         f'model.head.test_cfg.class_counts_from={tiny_fashion_lt}/class_stats.json'])
    lines = capsys.readouterr().out.splitlines()
    # the same split read independently, logits x . w_c / ||w_c|| ** tau by hand
    loader_cfg = cfg.test_dataloader.copy()
    loader_cfg.dataset.update(data_root=f'{tiny_fashion_lt}/', ann_file='meta/val.txt')
    loader_cfg.update(num_workers=0, persistent_workers=False, batch_size=16)
    model.eval()
    feats, labels = [], []
    with torch.no_grad():
        for batch in Runner.build_dataloader(loader_cfg):
            data = model.data_preprocessor(batch, False)
            feats.append(model.extract_feat(data['inputs'])[-1])
            labels += [int(s.gt_label) for s in data['data_samples']]
    feats, labels = torch.cat(feats), torch.tensor(labels)
    assert labels.numel() == 200 and torch.bincount(labels).tolist() == [20] * 10
    w = model.head.fc.weight
    top1 = []
    for tau in taus:
        pred = (feats @ (w / w.norm(dim=1, keepdim=True) ** tau).T).argmax(dim=1)
        top1.append(float((pred == labels).float().mean() * 100))
    table = {float(ln.split()[0]): float(ln.split()[1]) for ln in lines
             if ln[:5].strip().replace('.', '').isdigit()}
    assert list(table) == taus
    assert [round(v, 2) for v in table.values()] == [round(v, 2) for v in top1]
    want = max(taus, key=lambda t: (top1[taus.index(t)], -t))  # balanced split: top-1 = mean
    assert best == want and lines[-1].startswith(f'best tau: {want:g}')
    split = next(ln for ln in lines if ln.startswith('split:'))
    assert split == 'split: meta/val.txt (200 samples), bias dropped'
    assert 'keep_bias=False' in lines[-1]
