"""tools/eval_lvis.py end to end, and how tools/test_lvis.py finds the annotation file."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from lvis_synth import make_detections, make_lvis_gt, write_json
from mmengine.config import ConfigDict

from ltr_mm.evaluation.functional import (
    LVISGroundTruth,
    evaluate_lvis,
    load_detections,
    save_raw_results,
)

ROOT = Path(__file__).resolve().parents[2]
JSON_KEYS = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf', 'AR@300']


def run_tool(*args: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / 'tools' / 'eval_lvis.py'), *args],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope='module')
def files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp('evaltool')
    gt = make_lvis_gt(num_images=12, num_cats=10, seed=31)
    dets = make_detections(gt, seed=32, mean_dets=15, crowded_frac=0.0)
    return dict(gt=gt, dets=dets, folder=folder,
                ann=write_json(gt, str(folder / 'lvis_val.json')),
                res=write_json(dets, str(folder / 'results.json')))


def test_eval_lvis_json_end_to_end(files):
    out_json = files['folder'] / 'metrics.json'
    stdout = run_tool(files['ann'], files['res'], '--eval', 'bbox', 'segm', '--out-json',
                      str(out_json), '--segm-area', 'mask')
    assert stdout.count('| Type | IoU | Area | MaxDets | CatIds | Result |') == 2
    assert ("### LVIS segm (standard protocol): 300 detections per image, small/medium/large "
            "by detection mask area, segm_area='mask'") in stdout
    assert len([ln for ln in stdout.splitlines() if ln.startswith('|  (A')]) == 26
    metrics = json.loads(out_json.read_text())
    assert list(metrics) == ['bbox', 'segm']
    gt = LVISGroundTruth(files['gt'])
    dets = load_detections(files['dets'], True, True)
    for iou_type in ('bbox', 'segm'):
        assert list(metrics[iou_type]) == JSON_KEYS
        ref = evaluate_lvis(gt, dets, iou_type).metrics
        assert metrics[iou_type] == {k: ref[k] for k in JSON_KEYS}
    png = out_json.with_name('metrics.ap_by_frequency.png')
    assert png.read_bytes()[:4] == b'\x89PNG'


def test_eval_lvis_raw_pickle_scores_only_its_images(files):
    gt = LVISGroundTruth(files['gt'])
    label = {int(c): i for i, c in enumerate(gt.label_to_cat_id)}
    img_ids = [img['id'] for img in files['gt']['images']][:6]
    records = []
    for img_id in img_ids:
        items = [d for d in files['dets'] if d['image_id'] == img_id]
        xywh = np.array([d['bbox'] for d in items], dtype=np.float64).reshape(-1, 4)
        records.append(dict(img_id=img_id, bboxes=np.concatenate(
            [xywh[:, :2], xywh[:, :2] + xywh[:, 2:]], 1), scores=np.array(
                [d['score'] for d in items]), labels=np.array(
                    [label[d['category_id']] for d in items], dtype=np.int64)))
    pkl = save_raw_results(str(files['folder'] / 'raw.pkl'), records, gt.label_to_cat_id,
                           files['ann'])
    out_json = files['folder'] / 'sub.json'
    stdout = run_tool(files['ann'], pkl, '--eval', 'bbox', '--out-json', str(out_json))
    assert 'loaded 6 images' in stdout
    subset = [d for d in files['dets'] if d['image_id'] in set(img_ids)]
    ref = evaluate_lvis(gt.subset(img_ids), load_detections(subset), 'bbox').metrics
    got = json.loads(out_json.read_text())['bbox']
    assert got == pytest.approx({k: ref[k] for k in JSON_KEYS}, abs=1e-12)


def test_test_lvis_finds_the_annotation_file():
    spec = importlib.util.spec_from_file_location('test_lvis_tool',
                                                  ROOT / 'tools' / 'test_lvis.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    plain = ConfigDict(test_dataloader=dict(dataset=dict(
        type='LVISV1Dataset', data_root='data/lvis_v1/', ann_file='annotations/val.json')))
    assert tool.test_ann_file(plain, 'c.py') == 'data/lvis_v1/annotations/val.json'
    wrapped = ConfigDict(test_dataloader=dict(dataset=dict(
        type='ClassBalancedDataset', dataset=dict(ann_file='/abs/val.json', data_root='x'))))
    assert tool.test_ann_file(wrapped, 'c.py') == '/abs/val.json'
    with pytest.raises(ValueError, match='c.py: test_dataloader.dataset has no "ann_file"'):
        tool.test_ann_file(ConfigDict(test_dataloader=dict(dataset=dict(type='X'))), 'c.py')


def test_eval_lvis_runs_without_cv2_lvis_and_torch(files):
    """The scoring path needs neither cv2 nor lvis nor torch (blocked imports fail loudly)."""
    code = ('import runpy, sys\n'
            'for name in ("cv2", "lvis", "torch", "mmdet"):\n'
            '    sys.modules[name] = None\n'
            f'sys.argv = ["eval_lvis.py", {files["ann"]!r}, {files["res"]!r}, "--eval", "segm"]\n'
            'runpy.run_path("tools/eval_lvis.py", run_name="__main__")\n')
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "### LVIS segm" in proc.stdout


def _results_with(files, name, drop):
    """The detections written without the field ``drop`` (``None``: keep all)."""
    return write_json([{k: v for k, v in d.items() if k != drop} for d in files['dets']],
                      str(files['folder'] / name))


def test_eval_lvis_segm_area_follows_the_results_file(files):
    gt = LVISGroundTruth(files['gt'])
    dets = load_detections(files['dets'], True, True)
    expected = {area: evaluate_lvis(gt, dets, 'segm', area).metrics for area in ('box', 'mask')}
    assert expected['box']['APs'] != expected['mask']['APs']
    for res, area in ((files['res'], 'box'), (_results_with(files, 'masks.json', 'bbox'),
                                              'mask')):
        out_json = files['folder'] / f'area_{area}.json'
        stdout = run_tool(files['ann'], res, '--eval', 'segm', '--out-json', str(out_json))
        split = 'box area (w*h)' if area == 'box' else 'mask area'
        assert f"by detection {split}, segm_area='{area}'" in stdout
        got = json.loads(out_json.read_text())['segm']
        assert got == {k: expected[area][k] for k in JSON_KEYS}
    stdout = run_tool(files['ann'], files['res'], '--eval', 'segm', '--segm-area', 'mask')
    assert "segm_area='mask'" in stdout


@pytest.mark.parametrize('protocol,args,iou_types,suffix,caps', [
    ('fixed', [], ['bbox', 'segm'], '10000/cat', (-1, 10000)),
    ('challenge2021', [], ['bbox', 'boundary'], '10000/cat', (-1, 10000)),
    ('fixed', ['--max-dets', '20', '--max-dets-per-cat', '15'], ['bbox', 'segm'],
     '20/im,15/cat', (20, 15)),
])
def test_eval_lvis_protocols(files, protocol, args, iou_types, suffix, caps):
    out_json = files['folder'] / f'{protocol}.json'
    stdout = run_tool(files['ann'], files['res'], '--eval', 'bbox', 'segm', '--protocol',
                      protocol, '--out-json', str(out_json), *args)
    metrics = json.loads(out_json.read_text())
    assert list(metrics) == iou_types
    name = protocol if not args else 'custom'
    gt = LVISGroundTruth(files['gt'])
    dets = load_detections(files['dets'], True, True)
    for iou_type in iou_types:
        assert f'### LVIS {iou_type} ({name} protocol)' in stdout
        assert list(metrics[iou_type]) == JSON_KEYS[:-1] + [f'AR@{suffix}']
        ref = evaluate_lvis(gt, dets, iou_type, 'box', *caps).metrics
        assert metrics[iou_type] == {k: ref[k] for k in metrics[iou_type]}
    assert f'| {suffix} |' in stdout


def _fail(*args: str) -> str:
    """Run the tool, expect exit status 2 and one stderr line; return that line."""
    proc = subprocess.run([sys.executable, str(ROOT / 'tools' / 'eval_lvis.py'), *args],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and 'Traceback' not in proc.stderr, proc.stderr
    return lines[0]


def test_eval_lvis_errors_are_one_line_with_status_2(files):
    folder, ann = files['folder'], files['ann']
    good = json.dumps(files['dets'][:3])
    cases = {}
    (folder / 'truncated.json').write_text(good[:-40])
    cases['truncated.json'] = ('record [2]: the file ends inside this record or before the '
                               'closing "]" (truncated file?)')
    bad = [dict(d) for d in files['dets'][:3]]
    bad[1]['score'] = 'high'
    (folder / 'score.json').write_text(json.dumps(bad))
    cases['score.json'] = "record [1]: field \"score\" must be a number, got str 'high'"
    bad = [dict(d) for d in files['dets'][:3]]
    bad[2]['image_id'] = 999999
    (folder / 'image.json').write_text(json.dumps(bad))
    cases['image.json'] = 'field "image_id" = 999999 (record [2]) is not an image of'
    bad = [dict(d) for d in files['dets'][:3]]
    bad[0]['category_id'] = 777777
    (folder / 'category.json').write_text(json.dumps(bad))
    cases['category.json'] = 'field "category_id" = 777777 (record [0]) is not a category of'
    (folder / 'empty.json').write_text('[]')
    cases['empty.json'] = 'the results list is empty'
    for name, expected in cases.items():
        line = _fail(ann, str(folder / name), '--eval', 'bbox', 'segm')
        assert line.startswith(f'eval_lvis.py: error: {folder / name}: '), line
        assert expected in line, line
    gt = json.loads(json.dumps(files['gt']))
    gt['annotations'][4]['segmentation'] = [[1.0, 2.0, 5.0, 6.0]]
    short = write_json(gt, str(folder / 'short_polygon.json'))
    line = _fail(short, files['res'], '--eval', 'segm')
    assert line == (f'eval_lvis.py: error: {short}: annotation id {gt["annotations"][4]["id"]} '
                    'field "segmentation" polygon [0] has 4 coordinates; a polygon needs at '
                    'least 3 points (6 numbers, x y pairs)')
    assert 'not found' in _fail(ann, str(folder / 'missing.json'))
    assert '--max-dets-per-cat: must be -1' in subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'eval_lvis.py'), ann, files['res'],
         '--max-dets-per-cat', '0'], capture_output=True, text=True, cwd=str(ROOT)).stderr
