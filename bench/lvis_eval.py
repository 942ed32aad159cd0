"""Benchmark: lvis-api 0.5.3 vs ltr_mm's LVIS evaluator, end to end from json files on disk.

    python bench/lvis_eval.py [--images 2000] [--cats 1203] [--dets 300] [--iou bbox segm]
                              [--data-dir work_dirs/bench_lvis] [--doc docs/benchmarks.md]

Generates (once, cached, in a child process) LVIS-format ground truth and results with about
``--dets`` detections per image (``tests/test_evaluation/lvis_synth.py``), then runs each
evaluator in its own process and times all of it: start, imports, reading the json files,
evaluation. Peak memory is that process's ``VmHWM``, read at exit (a child's ``ru_maxrss``
also counts the parent's pages at fork). Results hold only the field the iou type needs, so
segm sizes are split by mask area on both sides. The table, the largest disagreement (13
summary metrics, every per-category AP) and the command replace ``## LVIS evaluation`` in
``--doc``; other sections stay.
"""
import argparse
import json
import os
import os.path as osp
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

from bench_doc import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = '## LVIS evaluation'
KEYS = ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf', 'AR@300', 'ARs@300',
        'ARm@300', 'ARl@300')


def worker_lvis_api(gt: str, res: str, iou: str) -> Dict[str, Any]:
    """The official evaluator as a user runs it (``np.float`` restored in this process)."""
    import numpy as np
    np.float = float  # lvis-api 0.5.3 still uses the alias numpy 1.24 removed
    from lvis import LVISEval
    evaluator = LVISEval(gt, res, iou)  # reads both json files
    loaded = time.perf_counter()
    evaluator.run()
    prec = evaluator.eval['precision'][:, :, :, 0]
    valid = prec > -1
    per_cat = np.where(valid.any((0, 1)), np.where(valid, prec, 0).sum((0, 1)) /
                       np.maximum(valid.sum((0, 1)), 1), np.nan)
    return dict(metrics={k: float(v) for k, v in evaluator.results.items()},
                per_category_ap=per_cat.tolist(), loaded=loaded)


def worker_ltr_mm(gt: str, res: str, iou: str) -> Dict[str, Any]:
    """ltr_mm's evaluator, imported as ``tools/eval_lvis.py`` imports it."""
    from ltr_mm.evaluation import functional as fn
    lvis_gt = fn.LVISGroundTruth.from_file(gt)
    dets = fn.load_detections(res, with_bbox=iou == 'bbox', with_masks=iou == 'segm')
    loaded = time.perf_counter()
    result = fn.evaluate_lvis(lvis_gt, dets, iou)
    return dict(metrics=result.metrics, per_category_ap=result.per_category_ap.tolist(),
                loaded=loaded)


def run_worker(kind: str, gt: str, res: str, iou: str, out: str) -> Dict[str, Any]:
    """Run one evaluator in a fresh interpreter; returns its numbers, times and peak RSS."""
    start = time.time()
    subprocess.run([sys.executable, __file__, '--worker', kind, gt, res, iou, out],
                   cwd=str(ROOT), check=True)
    wall = time.time() - start
    data = json.loads(Path(out).read_text())
    return dict(data, wall_s=wall, load_s=data['loaded'] - start,
                eval_s=data['done'] - data['loaded'])


def worker_main(kind: str, gt: str, res: str, iou: str, out: str) -> None:
    """Entry of a worker process: evaluate, then record wall clock marks and ``VmHWM``."""
    data = (worker_lvis_api if kind == 'lvis_api' else worker_ltr_mm)(gt, res, iou)
    data['loaded'] = time.time() - time.perf_counter() + data['loaded']
    data['done'] = time.time()
    with open('/proc/self/status') as f:
        hwm = next(line for line in f if line.startswith('VmHWM:'))
    data['peak_mb'] = int(hwm.split()[1]) / 1024
    data['per_category_ap'] = [None if v != v else v for v in data['per_category_ap']]
    Path(out).write_text(json.dumps(data))


def generate(folder: str, images: int, cats: int, dets_per_img: int) -> None:
    """Write the ground truth, the bbox and segm results and their statistics."""
    sys.path.insert(0, str(ROOT / 'tests' / 'test_evaluation'))
    from lvis_synth import make_detections, make_lvis_gt, write_json
    gt = make_lvis_gt(images, cats, seed=0, size_range=(240, 640))
    dets = make_detections(gt, seed=1, mean_dets=dets_per_img, crowded_frac=0.1,
                           crowded_dets=dets_per_img * 4 // 3)
    write_json(gt, osp.join(folder, 'lvis_gt.json'))
    for iou, drop in (('bbox', 'segmentation'), ('segm', 'bbox')):
        write_json([{k: v for k, v in d.items() if k != drop} for d in dets],
                   osp.join(folder, f'results_{iou}.json'))
    per_img = Counter(d['image_id'] for d in dets)
    stats = dict(n_images=len(gt['images']), n_cats=len(gt['categories']),
                 n_anns=len(gt['annotations']), n_dets=len(dets),
                 n_over_300=sum(n > 300 for n in per_img.values()))
    params = dict(images=images, cats=cats, dets=dets_per_img, seed=0)
    write_json(dict(params=params, stats=stats), osp.join(folder, 'params.json'))


def make_data(args: argparse.Namespace) -> Dict[str, Any]:
    """Paths and statistics of the benchmark data, generated unless cached."""
    folder = Path(args.data_dir)
    meta = folder / 'params.json'
    params = dict(images=args.images, cats=args.cats, dets=args.dets, seed=0)
    if not meta.is_file() or json.loads(meta.read_text())['params'] != params:
        folder.mkdir(parents=True, exist_ok=True)
        print(f'generating {args.images} images x ~{args.dets} detections ...', flush=True)
        subprocess.run([sys.executable, __file__, '--generate', str(folder), str(args.images),
                        str(args.cats), str(args.dets)], cwd=str(ROOT), check=True)
    return dict(json.loads(meta.read_text())['stats'], gt=str(folder / 'lvis_gt.json'),
                bbox=str(folder / 'results_bbox.json'), segm=str(folder / 'results_segm.json'))


def max_diff(a: Dict[str, Any], b: Dict[str, Any]) -> float:
    """Largest absolute difference over the summary metrics and per-category APs."""
    diffs = [abs(a['metrics'][k] - b['metrics'][k]) for k in KEYS]
    for x, y in zip(a['per_category_ap'], b['per_category_ap']):
        diffs.append(float('inf') if (x is None) != (y is None) else abs((x or 0) - (y or 0)))
    return max(diffs)


def report(args: argparse.Namespace, data: Dict[str, Any], rows: List[Dict]) -> str:
    """The markdown section: data, results table, phases, machine and command."""
    lines = [SECTION, '', f'{data["n_images"]} images, {data["n_cats"]} categories, '
             f'{data["n_anns"]} ground-truth masks (polygons), {data["n_dets"]} detections with '
             f'RLE masks (~{data["n_dets"] / data["n_images"]:.0f} per image, '
             f'{data["n_over_300"]} images above 300), from `tests/test_evaluation/lvis_synth.py`'
             '. Each evaluator runs in its own process from the json files on disk (start, '
             'imports, reading, evaluation); peak memory is that process\'s `VmHWM`; max abs '
             'diff covers the 13 summary metrics and every per-category AP.', '',
             '| iou type | lvis-api 0.5.3 | ltr_mm | speed-up | lvis-api peak RSS | '
             'ltr_mm peak RSS | max abs diff | AP |',
             '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
    for r in rows:
        ref, ours = r['lvis_api'], r['ltr_mm']
        lines.append(f'| {r["iou"]} | {ref["wall_s"]:.1f} s | {ours["wall_s"]:.1f} s | '
                     f'{ref["wall_s"] / ours["wall_s"]:.1f}x | {ref["peak_mb"]:.0f} MB | '
                     f'{ours["peak_mb"]:.0f} MB | {max_diff(ref, ours):.1e} | '
                     f'{ours["metrics"]["AP"]:.4f} |')
    lines += ['', 'Phases (load: start, imports, reading json; eval: evaluation, summary):', '']
    lines += [f'- {r["iou"]} {k}: load {r[k]["load_s"]:.1f} s, eval {r[k]["eval_s"]:.1f} s'
              for r in rows for k in ('lvis_api', 'ltr_mm')]
    lines += ['', f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, '
              f'load average {os.getloadavg()[0]:.2f} at the end (other jobs share the '
              'machine).', '', 'Command:', '', '```',
              ' '.join(['python bench/lvis_eval.py'] + args.argv), '```']
    return '\n'.join(lines) + '\n'


def main() -> None:
    """Generate the data if needed, run the four evaluations, write the section."""
    if sys.argv[1:2] == ['--worker']:
        return worker_main(*sys.argv[2:7])
    if sys.argv[1:2] == ['--generate']:
        return generate(sys.argv[2], *(int(v) for v in sys.argv[3:6]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=2000)
    parser.add_argument('--cats', type=int, default=1203)
    parser.add_argument('--dets', type=int, default=300)
    parser.add_argument('--iou', nargs='+', default=['bbox', 'segm'], choices=['bbox', 'segm'])
    parser.add_argument('--data-dir', default='work_dirs/bench_lvis')
    parser.add_argument('--doc', default='docs/benchmarks.md')
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    data, rows = make_data(args), []
    for iou in args.iou:
        row = dict(iou=iou)
        for kind in ('lvis_api', 'ltr_mm'):
            row[kind] = run_worker(kind, data['gt'], data[iou], iou,
                                   osp.join(args.data_dir, f'{kind}_{iou}.json'))
            print(f'{iou} {kind}: {row[kind]["wall_s"]:.1f} s, '
                  f'{row[kind]["peak_mb"]:.0f} MB', flush=True)
        rows.append(row)
    text = report(args, data, rows)
    write_section(args.doc, SECTION, text)
    print(text)


if __name__ == '__main__':
    main()
