"""Benchmark: the official LVIS evaluators vs ltr_mm's, end to end from json files on disk.

    python bench/lvis_eval.py [--images 2000] [--cats 1203] [--dets 300] [--iou bbox segm]
                              [--data-dir work_dirs/bench_lvis] [--doc docs/benchmarks.md]
    python bench/lvis_eval.py --protocols --official-dir DIR [--images 2000] [--cats 1200]
                              [--dets 600] [--reference-images 100] [--reuse]
                              [--rows fixed:bbox fixed:segm challenge2021:boundary]
                              [--hot 10] [--section HEADING]

The first form compares lvis-api 0.5.3 (standard protocol) with ltr_mm. ``--protocols``
compares the official code of the LVIS 2021 challenge (the ``lvis_challenge_2021`` branch of
the lvis-api repository, checked out in ``DIR``; used only as an oracle and timing anchor,
its package dir goes on ``sys.path`` of its worker process only) with ltr_mm on Fixed AP bbox,
Fixed AP segm and challenge2021 boundary, on data where some categories have more than
10,000 detections, and reports the largest disagreement with the official numbers and with
the slow plain-loop reference of the tests (``tests/test_evaluation/lvis_slow_reference.py``)
on the first ``--reference-images`` images. It replaces ``## LVIS evaluation: Fixed AP and
boundary AP`` in ``--doc``.

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
import shlex
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Sequence

from bench_doc import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = '## LVIS evaluation'
PROTOCOL_SECTION = '## LVIS evaluation: Fixed AP and boundary AP'
#: (protocol, iou type) of the ``--protocols`` rows
PROTOCOL_ROWS = (('fixed', 'bbox'), ('fixed', 'segm'), ('challenge2021', 'boundary'))
KEYS = ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf', 'AR@300', 'ARs@300',
        'ARm@300', 'ARl@300')
#: categories that get 15% of the false positives in the ``--protocols`` data
HOT_CATS = 10


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


def _per_category_ap(precision: Any) -> List[Any]:
    import numpy as np
    prec = precision[:, :, :, 0]
    valid = prec > -1
    return np.where(valid.any((0, 1)), np.where(valid, prec, 0).sum((0, 1)) /
                    np.maximum(valid.sum((0, 1)), 1), np.nan).tolist()


def worker_official(gt: str, res: str, iou: str, protocol: str,
                    official_dir: str) -> Dict[str, Any]:
    """The ``lvis_challenge_2021`` branch as its README runs it (caps of ``protocol``)."""
    sys.path.insert(0, official_dir)
    from lvis import LVIS, LVISEval, LVISResults
    if protocol == 'challenge2021':
        evaluator = LVISEval(gt, res, mode='challenge2021')  # reads both json files
    else:
        lvis_gt = LVIS(gt)
        results = LVISResults(lvis_gt, res, max_dets_per_cat=10000, max_dets_per_im=-1)
        evaluator = LVISEval(lvis_gt, results, iou)
        evaluator.params.max_dets, evaluator.params.max_dets_per_cat = -1, 10000
    loaded = time.perf_counter()
    evaluator.run()
    return dict(metrics={k: float(v) for k, v in evaluator.results.items()},
                per_category_ap=_per_category_ap(evaluator.eval['precision']), loaded=loaded)


def worker_ltr_mm_protocol(gt: str, res: str, iou: str, protocol: str) -> Dict[str, Any]:
    """ltr_mm's evaluator with the caps of ``protocol``, loaded as ``tools/eval_lvis.py``."""
    sys.path.insert(0, str(ROOT / 'tools'))
    from eval_lvis import load_functional
    fn = load_functional()
    caps = fn.resolve_protocol(protocol)
    lvis_gt = fn.LVISGroundTruth.from_file(gt)
    dets = fn.load_detections(res, with_bbox=iou == 'bbox', with_masks=iou != 'bbox')
    loaded = time.perf_counter()
    result = fn.evaluate_lvis(lvis_gt, dets, iou, 'mask', caps.max_dets, caps.max_dets_per_cat)
    return dict(metrics=result.metrics, per_category_ap=result.per_category_ap.tolist(),
                loaded=loaded)


def worker_reference(gt: str, res: str, iou: str, protocol: str,
                     num_images: str) -> Dict[str, Any]:
    """The slow reference and ltr_mm on the first ``num_images`` images; their max diff."""
    sys.path.insert(0, str(ROOT / 'tools'))
    sys.path.insert(0, str(ROOT / 'tests' / 'test_evaluation'))
    from eval_lvis import load_functional
    from lvis_slow_reference import reference_eval
    from lvis_synth import restrict_gt
    fn = load_functional()
    caps = fn.resolve_protocol(protocol)
    data = json.loads(Path(gt).read_text())
    keep = {img['id'] for img in data['images'][:int(num_images)]}
    sub_gt = restrict_gt(data, sorted(keep))
    dets = [d for d in fn.iter_json_array(res) if d['image_id'] in keep]
    loaded = time.perf_counter()
    ref, ref_cat = reference_eval(sub_gt, dets, iou, caps.max_dets, caps.max_dets_per_cat)
    ours = fn.evaluate_lvis(fn.LVISGroundTruth(sub_gt), fn.load_detections(
        dets, iou == 'bbox', iou != 'bbox'), iou, 'mask', caps.max_dets, caps.max_dets_per_cat)
    diff = max_diff(dict(metrics=ref, per_category_ap=[None if v != v else v for v in ref_cat]),
                    dict(metrics=ours.metrics, per_category_ap=[
                        None if v != v else v for v in ours.per_category_ap.tolist()]),
                    list(ref))
    return dict(metrics=ref, per_category_ap=[], loaded=loaded, max_diff=diff,
                n_dets=len(dets))


def run_worker(kind: str, gt: str, res: str, iou: str, out: str,
               extra: Sequence[str] = ()) -> Dict[str, Any]:
    """Run one evaluator in a fresh interpreter; returns its numbers, times and peak RSS."""
    start = time.time()
    subprocess.run([sys.executable, __file__, '--worker', kind, gt, res, iou, out, *extra],
                   cwd=str(ROOT), check=True)
    wall = time.time() - start
    data = json.loads(Path(out).read_text())
    return dict(data, wall_s=wall, load_s=data['loaded'] - start,
                eval_s=data['done'] - data['loaded'])


def worker_main(kind: str, gt: str, res: str, iou: str, out: str, *extra: str) -> None:
    """Entry of a worker process: evaluate, then record wall clock marks and ``VmHWM``."""
    workers = dict(lvis_api=worker_lvis_api, ltr_mm=worker_ltr_mm, official=worker_official,
                   ltr_mm_protocol=worker_ltr_mm_protocol, reference=worker_reference)
    data = workers[kind](gt, res, iou, *extra)
    data['loaded'] = time.time() - time.perf_counter() + data['loaded']
    data['done'] = time.time()
    with open('/proc/self/status') as f:
        hwm = next(line for line in f if line.startswith('VmHWM:'))
    data['peak_mb'] = int(hwm.split()[1]) / 1024
    data['per_category_ap'] = [None if v != v else v for v in data['per_category_ap']]
    Path(out).write_text(json.dumps(data))


def generate(folder: str, images: int, cats: int, dets_per_img: int, hot: int = 0) -> None:
    """Write the ground truth, the bbox and segm results and their statistics.

    ``hot`` > 0 sends 15% of the false positives to the first ``hot`` categories (for the
    per-category cap of Fixed AP).
    """
    sys.path.insert(0, str(ROOT / 'tests' / 'test_evaluation'))
    from lvis_synth import make_detections, make_lvis_gt, write_json
    gt = make_lvis_gt(images, cats, seed=0, size_range=(240, 640))
    dets = make_detections(gt, seed=1, mean_dets=dets_per_img, crowded_frac=0.1,
                           crowded_dets=dets_per_img * 4 // 3, hot_cats=hot,
                           hot_frac=0.15 if hot else 0.0)
    write_json(gt, osp.join(folder, 'lvis_gt.json'))
    for iou, drop in (('bbox', 'segmentation'), ('segm', 'bbox')):
        write_json([{k: v for k, v in d.items() if k != drop} for d in dets],
                   osp.join(folder, f'results_{iou}.json'))
    per_img = Counter(d['image_id'] for d in dets)
    per_cat = Counter(d['category_id'] for d in dets)
    stats = dict(n_images=len(gt['images']), n_cats=len(gt['categories']),
                 n_anns=len(gt['annotations']), n_dets=len(dets),
                 n_over_300=sum(n > 300 for n in per_img.values()),
                 n_cats_over_10000=sum(n > 10000 for n in per_cat.values()),
                 max_per_cat=max(per_cat.values()))
    params = dict(images=images, cats=cats, dets=dets_per_img, seed=0)
    if hot:
        params['hot'] = hot
    write_json(dict(params=params, stats=stats), osp.join(folder, 'params.json'))


def make_data(args: argparse.Namespace) -> Dict[str, Any]:
    """Paths and statistics of the benchmark data, generated unless cached."""
    folder = Path(args.data_dir)
    meta = folder / 'params.json'
    params = dict(images=args.images, cats=args.cats, dets=args.dets, seed=0)
    hot = args.hot if args.protocols else 0
    if hot:
        params['hot'] = hot
    if not meta.is_file() or json.loads(meta.read_text())['params'] != params:
        folder.mkdir(parents=True, exist_ok=True)
        print(f'generating {args.images} images x ~{args.dets} detections ...', flush=True)
        subprocess.run([sys.executable, __file__, '--generate', str(folder), str(args.images),
                        str(args.cats), str(args.dets), str(hot)], cwd=str(ROOT), check=True)
    return dict(json.loads(meta.read_text())['stats'], gt=str(folder / 'lvis_gt.json'),
                bbox=str(folder / 'results_bbox.json'), segm=str(folder / 'results_segm.json'))


def max_diff(a: Dict[str, Any], b: Dict[str, Any], keys: Sequence[str] = KEYS) -> float:
    """Largest absolute difference over the summary metrics and per-category APs."""
    diffs = [abs(a['metrics'][k] - b['metrics'][k]) for k in keys]
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


def protocol_report(args: argparse.Namespace, data: Dict[str, Any], rows: List[Dict]) -> str:
    """The markdown section of the ``--protocols`` rows."""
    lines = [args.section, '', f'{data["n_images"]} images, {data["n_cats"]} categories, '
             f'{data["n_anns"]} ground-truth masks (polygons), {data["n_dets"]} detections with '
             f'RLE masks (~{data["n_dets"] / data["n_images"]:.0f} per image before the caps, '
             f'{data["n_over_300"]} images above 300, {data["n_cats_over_10000"]} categories '
             f'above 10,000, the largest with {data["max_per_cat"]}), from '
             '`tests/test_evaluation/lvis_synth.py`. Fixed AP: no per-image cap, 10,000 '
             'detections per category; challenge2021: the same caps, masks matched by '
             'min(mask IoU, boundary IoU). Official: the `lvis_challenge_2021` branch of the '
             'lvis-api repository (oracle and timing anchor only). Each evaluator runs in its own '
             'process from the json files on disk (start, imports, reading, evaluation); peak '
             'memory is that process\'s `VmHWM`; max abs diff covers the 13 summary metrics and '
             'every per-category AP. The slow reference (plain loops, '
             '`tests/test_evaluation/lvis_slow_reference.py`) runs on the first '
             f'{args.reference_images} images and is compared with ltr_mm on the same images.',
             '', '| protocol | iou type | official | ltr_mm | speed-up | official peak RSS | '
             'ltr_mm peak RSS | max abs diff vs official | max abs diff vs slow reference '
             '(detections) | AP |',
             '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
    for r in rows:
        ref, ours, slow = r['official'], r['ltr_mm'], r.get('reference')
        slow_text = (f'{slow["max_diff"]:.1e} ({slow["n_dets"]})' if slow else 'not run')
        lines.append(f'| {r["protocol"]} | {r["iou"]} | {ref["wall_s"]:.1f} s | '
                     f'{ours["wall_s"]:.1f} s | {ref["wall_s"] / ours["wall_s"]:.1f}x | '
                     f'{ref["peak_mb"]:.0f} MB | {ours["peak_mb"]:.0f} MB | '
                     f'{max_diff(ref, ours, list(ref["metrics"])):.1e} | {slow_text} | '
                     f'{ours["metrics"]["AP"]:.4f} |')
    lines += ['', 'Phases (load: start, imports, reading json; eval: evaluation, summary):', '']
    lines += [f'- {r["protocol"]} {r["iou"]} {k}: load {r[k]["load_s"]:.1f} s, eval '
              f'{r[k]["eval_s"]:.1f} s' for r in rows for k in ('official', 'ltr_mm')]
    lines += ['', f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, '
              f'load average {os.getloadavg()[0]:.2f} at the end (other jobs share the '
              'machine).', '', 'Command:', '', '```',
              ' '.join(['python bench/lvis_eval.py'] + [shlex.quote(a) for a in args.argv]),
              '```']
    return '\n'.join(lines) + '\n'


def run_protocols(args: argparse.Namespace) -> None:
    """The Fixed AP and boundary rows: official, ltr_mm and the slow reference."""
    if not args.official_dir or not osp.isdir(osp.join(args.official_dir, 'lvis')):
        raise SystemExit('--protocols needs --official-dir, a checkout of the '
                         'lvis_challenge_2021 branch of lvis-api (the folder holding lvis/)')
    data, rows = make_data(args), []
    for protocol, iou in PROTOCOL_ROWS:
        if f'{protocol}:{iou}' not in args.rows:
            continue
        res = data['bbox' if iou == 'bbox' else 'segm']
        row = dict(protocol=protocol, iou=iou)
        runs = [('official', 'official', [protocol, args.official_dir]),
                ('ltr_mm', 'ltr_mm_protocol', [protocol])]
        if args.reference_images > 0:
            runs.append(('reference', 'reference', [protocol, str(args.reference_images)]))
        for name, kind, extra in runs:
            out = osp.join(args.data_dir, f'{name}_{protocol}_{iou}.json')
            saved = Path(out + '.row.json')
            if args.reuse and saved.is_file():
                row[name] = json.loads(saved.read_text())
            else:
                row[name] = run_worker(kind, data['gt'], res, iou, out, extra)
                saved.write_text(json.dumps(row[name]))
            print(f'{protocol} {iou} {name}: {row[name]["wall_s"]:.1f} s, '
                  f'{row[name]["peak_mb"]:.0f} MB', flush=True)
        rows.append(row)
    text = protocol_report(args, data, rows)
    write_section(args.doc, args.section, text)
    print(text)


def main() -> None:
    """Generate the data if needed, run the evaluations, write the section."""
    if sys.argv[1:2] == ['--worker']:
        return worker_main(*sys.argv[2:])
    if sys.argv[1:2] == ['--generate']:
        return generate(sys.argv[2], *(int(v) for v in sys.argv[3:7]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=2000)
    parser.add_argument('--cats', type=int, default=1203)
    parser.add_argument('--dets', type=int, default=300)
    parser.add_argument('--iou', nargs='+', default=['bbox', 'segm'], choices=['bbox', 'segm'])
    parser.add_argument('--data-dir', default='work_dirs/bench_lvis')
    parser.add_argument('--doc', default='docs/benchmarks.md')
    parser.add_argument('--protocols', action='store_true',
                        help='Fixed AP bbox / segm and challenge2021 boundary rows against the '
                        'official lvis_challenge_2021 code')
    parser.add_argument('--official-dir', help='checkout of the lvis_challenge_2021 branch')
    parser.add_argument('--reference-images', type=int, default=100,
                        help='images the slow reference checks (--protocols; 0: skip)')
    parser.add_argument('--rows', nargs='+', default=[f'{p}:{i}' for p, i in PROTOCOL_ROWS],
                        choices=[f'{p}:{i}' for p, i in PROTOCOL_ROWS],
                        help='--protocols: the rows to run')
    parser.add_argument('--hot', type=int, default=HOT_CATS,
                        help='--protocols: categories that get 15%% of the false positives')
    parser.add_argument('--section', default=PROTOCOL_SECTION,
                        help='--protocols: heading of the section written to --doc')
    parser.add_argument('--reuse', action='store_true',
                        help='--protocols: reuse the saved result of every finished worker')
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    if args.protocols:
        return run_protocols(args)
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
