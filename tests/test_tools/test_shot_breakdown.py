"""shot_breakdown: per-class accuracy against training counts from a tools/test.py dump, PNG."""
import importlib.util
import json
from pathlib import Path

import pytest
import torch
from mmengine.evaluator import DumpResults, Evaluator
from mmpretrain.structures import DataSample

from ltr_mm.utils.class_stats import write_class_stats

TOOL = Path(__file__).resolve().parents[2] / 'tools/analysis_tools/shot_breakdown.py'
spec = importlib.util.spec_from_file_location('shot_breakdown', TOOL)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)

# many: 500, 101; medium: exactly 100 and exactly 20; few: 19, 3 (class 5 has no test image)
COUNTS = [500, 101, 100, 20, 19, 3]
NAMES = ['a', 'b', 'c', 'd', 'e', 'f']
PAIRS = [(0, 0), (0, 0), (0, 0), (0, 3), (1, 1), (1, 0), (2, 2), (3, 2), (4, 4), (4, 5)]


def _dump(path: Path) -> None:
    """The predictions pickle exactly as ``tools/test.py --out`` writes it (DumpResults)."""
    torch.manual_seed(0)
    samples = []
    for gt, pred in PAIRS:
        logits = torch.randn(len(COUNTS))
        logits[pred] = logits.max() + 1.0
        samples.append(DataSample().set_gt_label(gt).set_pred_score(logits.softmax(0))
                       .set_pred_label(pred))
    evaluator = Evaluator(DumpResults(out_file_path=str(path)))
    evaluator.process(data_samples=samples)
    evaluator.evaluate(len(samples))


def test_breakdown_png_and_json(tmp_path, capsys):
    results, stats = tmp_path / 'results.pkl', tmp_path / 'class_stats.json'
    _dump(results)
    write_class_stats(stats, NAMES, COUNTS)
    png, out_json = tmp_path / 'shots.png', tmp_path / 'shots.json'
    data = tool.main([str(results), '--class-stats', str(stats), '--out', str(png),
                      '--out-json', str(out_json)])
    assert data['counts'] == COUNTS
    assert data['per_class_acc'] == [75.0, 50.0, 100.0, 0.0, 50.0, -1.0]
    assert data['group'] == ['many', 'many', 'medium', 'medium', 'few', 'few']
    metrics = data['metrics']
    assert (metrics['top1'], metrics['many'], metrics['medium'], metrics['few']) == \
        (60.0, 62.5, 50.0, 50.0)
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' and png.stat().st_size > 10_000
    saved = json.loads(out_json.read_text())
    assert saved['classes'] == NAMES and saved['per_class_acc'] == data['per_class_acc']
    out = capsys.readouterr().out
    assert '| overall | 6 | 60.00 |' in out and '| medium | 2 | 50.00 |' in out


def test_counts_and_thresholds_from_a_config(tmp_path):
    results = tmp_path / 'results.pkl'
    _dump(results)
    config = tmp_path / 'cfg.py'
    config.write_text(f"test_evaluator = dict(type='ShotAccuracy', class_counts={COUNTS}, "
                      'many_thr=100, few_thr=19)\n')
    data = tool.main([str(results), '--config', str(config), '--out', str(tmp_path / 'a.png')])
    assert data['group'] == ['many', 'many', 'medium', 'medium', 'medium', 'few']
    # command-line counts and thresholds win over the config's
    data = tool.main([str(results), '--config', str(config), '--class-counts', '5', '5', '5',
                      '5', '5', '500', '--few-thr', '20', '--out', str(tmp_path / 'b.png')])
    assert data['group'] == ['few'] * 5 + ['many']
    assert data['metrics']['few'] == pytest.approx((75 + 50 + 100 + 0 + 50) / 5)


def test_errors_name_the_problem(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text("test_evaluator = dict(type='Accuracy', topk=(1, ))\n")
    with pytest.raises(ValueError, match='no ShotAccuracy'):
        tool.stats_from_config(str(config))
    empty = tmp_path / 'empty.pkl'
    empty.write_bytes(__import__('pickle').dumps([]))
    with pytest.raises(ValueError, match='non-empty list'):
        tool.load_results(str(empty))


def test_counts_from_the_config_hook(tmp_path):
    """Without counts in the evaluator, the config's SetClassStatsHook says where they come
    from: a class-stats file, a profile or the training dataset."""
    results = tmp_path / 'results.pkl'
    _dump(results)
    stats = tmp_path / 'class_stats.json'
    write_class_stats(stats, NAMES, COUNTS)
    config = tmp_path / 'cfg.py'
    config.write_text("test_evaluator = dict(type='ShotAccuracy', few_thr=19)\n"
                      f"custom_hooks = [dict(type='SetClassStatsHook', class_stats='{stats}')]\n")
    data = tool.main([str(results), '--config', str(config), '--out', str(tmp_path / 'a.png')])
    assert data['counts'] == COUNTS
    assert data['group'] == ['many', 'many', 'medium', 'medium', 'medium', 'few']
    config.write_text("test_evaluator = dict(type='ShotAccuracy')\ncustom_hooks = [dict("
                      "type='SetClassStatsHook', profile=dict(n_max=600, imb_factor=200, "
                      "num_classes=6))]\n")
    stats_, _ = tool.stats_from_config(str(config))
    assert stats_.counts == (600, 207, 72, 24, 8, 3)
    (tmp_path / 'train.txt').write_text(''.join(f'x{i}.png {i % 3}\n' for i in range(7)))
    config.write_text(
        "default_scope = 'mmpretrain'\n"
        "test_evaluator = dict(type='ShotAccuracy')\n"
        "custom_hooks = [dict(type='SetClassStatsHook')]\n"
        f"train_dataloader = dict(dataset=dict(type='CustomDataset', data_root='{tmp_path}', "
        "ann_file='train.txt', pipeline=[], metainfo=dict(classes=('a', 'b', 'c'))))\n")
    stats_, _ = tool.stats_from_config(str(config))
    assert stats_.counts == (3, 2, 2) and stats_.classes == ('a', 'b', 'c')
