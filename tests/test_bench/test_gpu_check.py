"""``bench/gpu_check.py --tiny``: the GPU check's code path on the CPU at toy sizes.

Every full-size LVIS v1 detector config (Faster and Mask R-CNN R50-FPN: stock, BAGS stage 2,
TDE, RFS) trains through the runner on the generated LVIS-v1-format set and is scored by
FastLVISMetric; the RIDE-3 ResNeXt-50 ImageNet-LT config trains on its generated split list.
"""
import json
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VARIANTS = ['stock', 'BAGS stage 2', 'TDE', 'RFS']


def test_tiny_gpu_check_runs_every_config(tmp_path):
    doc = tmp_path / 'benchmarks.md'
    proc = subprocess.run(
        [sys.executable, 'bench/gpu_check.py', '--tiny', '--work-dir', str(tmp_path / 'work'),
         '--doc', str(doc)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    with open(tmp_path / 'work' / 'gpu_check.json') as f:
        results = json.load(f)
    det = [r for r in results if 'R-CNN' in r['model']]
    assert [(r['model'], r['variant']) for r in det] == [
        (model, v) for model in ('Faster R-CNN', 'Mask R-CNN') for v in VARIANTS]
    for r in det:
        assert r['precision'] == 'fp32' and r['finite'] and r['steps'] == 1
        assert r['step_s'] > 0 and r['peak_mib'] is None  # no GPU memory on the CPU
        assert set(r['losses']) >= {'loss', 'loss_cls', 'loss_bbox', 'loss_rpn_cls'}
        keys = {'lvis/bbox_AP', 'lvis/bbox_APr'}
        if r['model'] == 'Mask R-CNN':
            keys |= {'lvis/segm_AP', 'lvis/segm_APr'}
            assert 'loss_mask' in r['losses']
        assert keys <= set(r['metrics']), r['metrics']
        assert all(0.0 <= r['metrics'][k] <= 1.0 for k in keys)
    ride = [r for r in results if r['model'].startswith('RIDE-3')]
    assert len(ride) == 1 and ride[0]['finite'] and ride[0]['losses']['loss'] > 0
    table = (tmp_path / 'work' / 'gpu_check.md').read_text()
    rows = [line for line in table.splitlines() if line.startswith('| ') and '---' not in line]
    assert len(rows) == 1 + 9
    for line in rows[1:]:
        cells = [c.strip() for c in line.strip('|').split('|')]
        if cells[1] == 'stock':
            assert cells[5] == '1.000'
        assert cells[8] == 'yes'
    assert '- finite losses in every run' in table
    assert not doc.exists()  # --tiny never writes the benchmarks file
