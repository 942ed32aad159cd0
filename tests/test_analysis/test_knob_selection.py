"""Test-time knob selection on a held-out split: tau-norm's tau and bias and TDE's alpha,
swept by hand, and the tool on the tiny set against hand-computed logits."""
import os.path as osp

import pytest
import torch
from tool_runs import load_tool

from ltr_mm.analysis.knob_selection import (
    best_value,
    choose_alpha,
    choose_tau_norm,
    class_mean_top1,
    sweep_test_cfg,
)
from ltr_mm.registry import CLS_MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = {'tau_norm': 'configs/decoupled/tau-norm_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
           'alpha': 'configs/tde/tde_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'}


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
    rows = sweep_test_cfg(head, FEATS, LABELS, 'tau_norm', [0.0, 0.5, 1.0])
    assert [r['value'] for r in rows] == [0.0, 0.5, 1.0]
    assert rows[0]['top1'] == pytest.approx(100 / 3)
    assert rows[0]['class_mean_top1'] == pytest.approx(50.0)  # class 0: 1 / 1, class 1: 0 / 2
    assert [r['top1'] for r in rows[1:]] == [100.0, 100.0]
    assert best_value(rows) == 0.5  # ties go to the smallest value
    assert (head.test_cfg['tau_norm'], head.test_cfg['keep_bias']) == (0.3, True)


def test_bias_kept_or_dropped():
    # bias (1, 0) at tau 1: class 0 scores 1.4 / 2 / 1.3 against 0.6 / 0 / 0.5 -> all class 0
    head = _head(bias=(1.0, 0.0))
    kept = sweep_test_cfg(head, FEATS, LABELS, 'tau_norm', [1.0], keep_bias=True)[0]
    dropped = sweep_test_cfg(head, FEATS, LABELS, 'tau_norm', [1.0], keep_bias=False)[0]
    assert kept['top1'] == pytest.approx(100 / 3) and kept['class_mean_top1'] == 50.0
    assert dropped['top1'] == 100.0
    assert head.test_cfg['keep_bias'] is True
    choice = choose_tau_norm(head, FEATS, LABELS, [0.0, 1.0])
    assert (choice['tau'], choice['keep_bias']) == (1.0, False)
    assert [r['class_mean_top1'] for r in choice['sweeps']['kept']] == [50.0, 50.0]
    assert [r['class_mean_top1'] for r in choice['sweeps']['dropped']] == [50.0, 100.0]
    assert (head.test_cfg['tau_norm'], head.test_cfg['keep_bias']) == (1.0, False)


def test_choose_tau_norm_ties_and_fixed_bias():
    head = _head()  # zero bias: kept and dropped score alike, so the bias is kept
    choice = choose_tau_norm(head, FEATS, LABELS, [0.0, 0.5, 1.0])
    assert (choice['tau'], choice['keep_bias']) == (0.5, True)
    choice = choose_tau_norm(head, FEATS, LABELS, [0.0, 0.5, 1.0], keep_bias=False)
    assert list(choice['sweeps']) == ['dropped'] and choice['keep_bias'] is False


def test_choose_alpha_by_hand():
    # one head, tau 1, gamma 0, unit weights e_0 / e_1, moving average along e_0: the TDE logit
    # of class 0 is x_0 (1 - alpha), of class 1 x_1 (x unit-norm).
    head = CLS_MODELS.build(dict(type='TDEClsHead', num_classes=2, in_channels=2, num_heads=1,
                                 tau=1.0, gamma=0.0, test_cfg=dict(alpha=3.0)))
    with torch.no_grad():
        head.fc.weight.copy_(torch.eye(2))
        head.mean_feat.copy_(torch.tensor([5.0, 0.0]))
    # a (class 1): 0.8 (1 - alpha) vs 0.6, right for alpha > 0.25; b (class 0): 0.96 (1 - alpha)
    # vs 0.28, right for alpha < 0.708; c (class 1) right for every alpha >= 0
    feats = (torch.tensor([[0.8, 0.6], [0.96, 0.28], [0.6, 0.8]]),)
    labels = torch.tensor([1, 0, 1])
    choice = choose_alpha(head, feats, labels, [0.0, 0.5, 0.7, 1.0])
    assert [r['class_mean_top1'] for r in choice['sweep']] == [75.0, 100.0, 100.0, 50.0]
    assert [round(r['top1'], 2) for r in choice['sweep']] == [66.67, 100.0, 100.0, 66.67]
    assert choice['alpha'] == 0.5 and head.test_cfg == dict(alpha=0.5)


def test_class_mean_skips_absent_classes_and_empty_sweeps():
    pred, labels = torch.tensor([0, 0, 2, 1]), torch.tensor([0, 2, 2, 2])
    assert class_mean_top1(pred, labels, num_classes=4) == pytest.approx(200 / 3)  # (1 + 1/3) / 2
    with pytest.raises(ValueError, match='no value was scored'):
        best_value([])


def _hand_logits(model, feats, knob, value):
    """Logits written out: tau-norm ``x . w_c / ||w_c|| ** tau`` (bias dropped), or TDE with
    two heads ``sum_k 8 <x^_k - alpha cos_k d^_k, w_ck / (||w_ck|| + 1/32)>``."""
    w = model.head.fc.weight
    if knob == 'tau_norm':
        return feats @ (w / w.norm(dim=1, keepdim=True) ** value).T
    x = feats.view(len(feats), 2, 32)
    x = x / x.norm(dim=2, keepdim=True)
    d = model.head.mean_feat.view(2, 32)
    d = d / d.norm(dim=1, keepdim=True)
    cos = (x * d).sum(dim=2, keepdim=True)
    w = w.view(-1, 2, 32)
    w = w / (w.norm(dim=2, keepdim=True) + 1 / 32)
    return torch.einsum('nkd,ckd->nc', x - value * cos * d, w) * 8


@pytest.mark.parametrize('knob', ['tau_norm', 'alpha'])
def test_tool_matches_hand_logits(knob, tiny_fashion_lt, tmp_path, capsys):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner
    cfg = Config.fromfile(osp.join(REPO, CONFIGS[knob]))
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmpretrain'):  # normalised as the Runner does
        model = CLS_MODELS.build(dict(cfg.model, data_preprocessor=cfg.data_preprocessor))
    model.init_weights()
    # the validation split read independently of the tool
    loader_cfg = cfg.test_dataloader.copy()
    loader_cfg.dataset.update(data_root=f'{tiny_fashion_lt}/', ann_file='meta/val.txt')
    loader_cfg.update(num_workers=0, persistent_workers=False, batch_size=16)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        batches = [model.data_preprocessor(b, False) for b in Runner.build_dataloader(loader_cfg)]
    with torch.no_grad():
        # BN statistics of the split (an untrained network's features are otherwise ~1e4
        # and nearly parallel, so float rounding would decide the argmax)
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.reset_running_stats()
                m.momentum = None
        model.train()
        for data in batches:
            model.extract_feat(data['inputs'])
        model.eval()
        feats = torch.cat([model.extract_feat(d['inputs'])[-1] for d in batches])
        labels = torch.cat([torch.cat([s.gt_label.view(-1) for s in d['data_samples']])
                            for d in batches])
        assert labels.numel() == 200 and torch.bincount(labels).tolist() == [20] * 10
        # a nearest-class-mean classifier with unequal class norms, so tau matters; the mean
        # feature as TDE's moving average
        means = torch.stack([feats[labels == c].mean(dim=0) for c in range(10)])
        means = means / means.norm(dim=1, keepdim=True)
        model.head.fc.weight.copy_(means * torch.linspace(3.0, 0.2, 10)[:, None])
        if knob == 'alpha':
            model.head.mean_feat.copy_(feats.mean(dim=0))
        values = [0.0, 0.5, 1.0, 1.5]
        top1 = [float((_hand_logits(model, feats, knob, v).argmax(dim=1) == labels).float()
                      .mean() * 100) for v in values]
    assert len(set(top1)) > 1  # the knob changes the predictions of this model
    ckpt = tmp_path / 'stage1.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, ckpt)
    options = [f'test_dataloader.dataset.data_root={tiny_fashion_lt}/',
               'test_dataloader.num_workers=0', 'test_dataloader.batch_size=16']
    choice = load_tool('tools/analysis_tools/knob_sweep.py').main(
        [CONFIGS[knob], str(ckpt), '--knob', knob, '--ann-file', 'meta/val.txt', '--values',
         *map(str, values)] + (['--drop-bias'] if knob == 'tau_norm' else []) +
        ['--work-dir', str(tmp_path / 'work'), '--cfg-options', *options])
    lines = capsys.readouterr().out.splitlines()
    lines = lines[next(i for i, ln in enumerate(lines) if ln.startswith('config: ')):]
    table = {float(ln.split()[0]): float(ln.split()[1]) for ln in lines
             if ln[:5].strip().replace('.', '').isdigit()}
    assert list(table) == values
    assert [round(v, 2) for v in table.values()] == [round(v, 2) for v in top1]
    want = max(values, key=lambda t: (top1[values.index(t)], -t))  # balanced: top-1 = mean
    assert lines[2] == 'split: meta/val.txt (200 samples)'
    if knob == 'alpha':
        assert choice['alpha'] == want and lines[-1].startswith(f'best alpha: {want:g}  (')
        assert lines[-1].endswith(f'model.head.test_cfg.alpha={want:g})')
    else:
        assert (choice['tau'], choice['keep_bias']) == (want, False)
        assert lines[3] == 'bias dropped:'
        assert lines[-1].startswith(f'best tau: {want:g}, bias dropped  (')
        assert lines[-1].endswith('keep_bias=False)')


def test_tool_refuses_a_head_without_the_knob(tiny_fashion_lt, tmp_path):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    tool = load_tool('tools/analysis_tools/knob_sweep.py')
    with pytest.raises(SystemExit):  # the bias applies to tau-norm only
        tool.parse_args([CONFIGS['alpha'], 'x.pth', '--knob', 'alpha', '--drop-bias'])
    with pytest.raises(FileNotFoundError, match='none.pth'):
        tool.main([CONFIGS['alpha'], str(tmp_path / 'none.pth'), '--knob', 'alpha'])
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = CLS_MODELS.build(Config.fromfile(osp.join(REPO, CONFIGS['tau_norm'])).model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, tmp_path / 'ce.pth')
    with pytest.raises(TypeError, match='model.head is LTLinearClsHead; --knob alpha needs a '
                       'TDEClsHead'):
        tool.main([CONFIGS['tau_norm'], str(tmp_path / 'ce.pth'), '--knob', 'alpha',
                   '--work-dir', str(tmp_path / 'work'), '--cfg-options',
                   f'test_dataloader.dataset.data_root={tiny_fashion_lt}/',
                   'test_dataloader.num_workers=0'])
