"""Benchmark: start-up time and peak memory of ltr_mm's data side at LVIS v1 scale.

    python bench/scale.py [--images 100000] [--cats 1203] [--anns 1270000] [--seed 0]
                          [--data-dir work_dirs/bench_scale] [--doc docs/benchmarks.md] [--reuse]

Generates (once, cached) a seeded LVIS-v1-sized training file (``bench/scale_data.py``), then
runs every step in a fresh Python process: imports (torch, mmengine, mmdet, ltr_mm), building
the training dataset as ltr_mm's LVIS configs do (``CheckedLVISV1Dataset``,
``filter_cfg=dict(filter_empty_gt=True, min_size=32)``, ``lazy_init=False``, empty pipeline,
serialised data list) and then the step itself: class statistics, BAGS groups, mmengine's
``ClassBalancedDataset`` (RFS, t = 1e-3), ltr_mm's ``RepeatFactorSampler`` and mmdet's
``ClassAwareSampler`` (one epoch of indices each). mmdet's own ``LVISV1Dataset`` is measured
as a reference. Start-up is the process's wall time from launch to exit; peak memory is its
``VmHWM``. The table replaces ``## Scale (LVIS v1 size)`` in ``--doc``; other sections stay.
"""
import argparse
import json
import os
import os.path as osp
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

from bench_child import run_child
from bench_doc import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = '## Scale (LVIS v1 size)'
TARGET_S, TARGET_MB = 60.0, 4096.0
STEPS = (
    ('mmdet', 'mmdet `LVISV1Dataset` alone (lvis-api loader, no checks), for reference'),
    ('dataset', 'ltr_mm `CheckedLVISV1Dataset` alone (one-pass loader, annotation checks, '
     'every image file stat-ed)'),
    ('class_stats', 'dataset + instance and image counts per class (`dataset_class_counts`) + '
     'class-stats record (`class_stats_dict`)'),
    ('bags', 'dataset + `BAGSLoss` group tables from `ClassStats.from_file` (the file\'s '
     '`categories` section read and checked)'),
    ('cbd', 'dataset + mmengine `ClassBalancedDataset(oversample_thr=1e-3)`'),
    ('rfs', 'dataset + ltr_mm `RepeatFactorSampler(repeat_thresh=1e-3)`, one epoch'),
    ('cas', 'dataset + mmdet `ClassAwareSampler`, one epoch'),
)


def _status_mb(key: str) -> float:
    """``VmHWM`` / ``VmRSS`` of this process in MB."""
    with open('/proc/self/status') as f:
        line = next(line for line in f if line.startswith(key + ':'))
    return int(line.split()[1]) / 1024


def _step_work(step: str, dataset: Any, ann: str) -> Dict[str, Any]:
    """Run ``step`` on the built dataset; return a few facts about its result."""
    if step == 'class_stats':
        from ltr_mm.utils.class_counts import dataset_class_counts
        from ltr_mm.utils.class_stats import class_stats_dict
        inst = dataset_class_counts(dataset, 'instance')
        imgs = dataset_class_counts(dataset, 'image')
        stats = class_stats_dict(dataset.metainfo['classes'], imgs)
        return dict(instances=sum(inst), many=len(stats['shots']['many']),
                    few=len(stats['shots']['few']))
    if step == 'bags':
        from ltr_mm.models.losses import BAGSLoss
        from ltr_mm.utils.class_stats import ClassStats
        counts = list(ClassStats.from_file(ann).counts)
        tables = BAGSLoss(num_classes=len(dataset.metainfo['classes']), class_counts=counts).tables
        return dict(group_sizes=[len(g) for g in tables.group_labels])
    if step == 'cbd':
        from mmengine.dataset import ClassBalancedDataset
        return dict(length=len(ClassBalancedDataset(dataset, oversample_thr=1e-3)))
    sampler: Callable[[], Any]
    if step == 'rfs':
        from ltr_mm.datasets.samplers import RepeatFactorSampler
        sampler = RepeatFactorSampler(dataset, repeat_thresh=1e-3, seed=0)
    else:
        from mmdet.datasets.samplers import ClassAwareSampler
        sampler = ClassAwareSampler(dataset, seed=0)
    return dict(epoch_length=len(list(iter(sampler))))


def _time_checks() -> Dict[str, float]:
    """Time the dataset's annotation checks and image-file check (filled while it builds)."""
    from ltr_mm.datasets import checked_det_mixin
    timings: Dict[str, float] = {}

    def timed(name: str, func: Callable) -> Callable:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timings[name] = time.perf_counter() - start
        return wrapper

    checked_det_mixin.check_coco_format = timed('annotation checks', checked_det_mixin.
                                                check_coco_format)
    checked_det_mixin.check_image_files = timed('image files check', checked_det_mixin.
                                                check_image_files)
    return timings


def child_main(step: str, ann: str, out: str) -> None:
    """One measured process: imports, dataset, step; writes the timings to ``out``."""
    start = time.perf_counter()
    import mmdet.datasets  # noqa: F401
    import mmengine  # noqa: F401
    import torch  # noqa: F401

    import ltr_mm  # noqa: F401
    from ltr_mm.datasets import CheckedLVISV1Dataset
    imported, imports_mb = time.perf_counter(), _status_mb('VmHWM')
    kwargs = dict(ann_file=ann, data_prefix=dict(img=osp.dirname(ann) + '/'), pipeline=[],
                  filter_cfg=dict(filter_empty_gt=True, min_size=32), lazy_init=False)
    cls = mmdet.datasets.LVISV1Dataset if step == 'mmdet' else CheckedLVISV1Dataset
    timings = _time_checks() if step == 'dataset' else {}
    dataset = cls(**kwargs)
    built = time.perf_counter()
    facts = _step_work(step, dataset, ann) if step not in ('mmdet', 'dataset') else {}
    facts.update({k: f'{v:.1f} s' for k, v in timings.items()})
    done = time.perf_counter()
    result = dict(step=step, images=len(dataset), imports_s=imported - start,
                  dataset_s=built - imported, step_s=done - built, imports_mb=imports_mb,
                  peak_mb=_status_mb('VmHWM'), end_rss_mb=_status_mb('VmRSS'), facts=facts)
    Path(out).write_text(json.dumps(result))


def make_data(args: argparse.Namespace) -> Dict[str, Any]:
    """Generate the annotation file once per parameter set (kept in ``--data-dir``)."""
    from scale_data import generate
    folder = Path(args.data_dir)
    meta = folder / 'meta.json'
    params = dict(images=args.images, cats=args.cats, anns=args.anns, seed=args.seed)
    if not meta.is_file() or json.loads(meta.read_text())['params'] != params:
        print(f'generating {params} in {folder} ...', flush=True)
        stats = generate(str(folder), args.images, args.cats, args.anns, args.seed)
        meta.write_text(json.dumps(dict(params=params, stats=stats)))
    return dict(json.loads(meta.read_text())['stats'], ann=str(folder / 'lvis_v1_train.json'))


def run_step(args: argparse.Namespace, step: str, ann: str) -> Dict[str, Any]:
    """Run one step in a child process; add its wall time from launch to exit."""
    out = osp.join(args.data_dir, 'results', f'{step}.json')
    fresh = not (args.reuse and osp.isfile(out))
    start = time.perf_counter()
    result = run_child(__file__, ['--child', step, ann, out], out, args.reuse, str(ROOT))
    if fresh:
        result['wall_s'] = time.perf_counter() - start
        Path(out).write_text(json.dumps(result))
    return result


def report(args: argparse.Namespace, data: Dict[str, Any], rows: List[Dict[str, Any]],
           load: List[float]) -> str:
    """The markdown section: data, table, machine and command."""
    lines = [SECTION, '', f'Generated LVIS v1-format training file (`bench/scale_data.py`, seed '
             f'{args.seed}): {data["images"]:,} images, {data["categories"]:,} categories '
             f'({data["rare"]} rare / {data["common"]} common / {data["frequent"]} frequent by '
             f'image count, the largest in {data["max_image_count"]:,} images), '
             f'{data["annotations"]:,} annotations with a 4-point polygon each, '
             f'{data["file_mb"]:.0f} MB of JSON, and an empty file per image on disk. Each row '
             'is one fresh Python process: imports (torch, mmengine, mmdet, ltr_mm), the '
             'training dataset as the LVIS configs build it (`filter_empty_gt=True, '
             'min_size=32`, `lazy_init=False`, empty pipeline, serialised), then the row\'s '
             'step. Start-up is the process\'s wall time from launch to exit; peak memory is '
             f'its `VmHWM`. Target: start-up under {TARGET_S:.0f} s and peak under '
             f'{TARGET_MB / 1024:.0f} GB.', '',
             '| step | start-up | imports | dataset | step | peak RSS | after imports | '
             'images kept | result | target met |',
             '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |']
    for (step, text), r in zip(STEPS, rows):
        facts = ', '.join(f'{k} {v}' for k, v in r['facts'].items()) or '-'
        met = 'yes' if r['wall_s'] < TARGET_S and r['peak_mb'] < TARGET_MB else 'no'
        lines.append(f'| {text} | {r["wall_s"]:.1f} s | {r["imports_s"]:.1f} s | '
                     f'{r["dataset_s"]:.1f} s | {r["step_s"]:.1f} s | {r["peak_mb"]:.0f} MB | '
                     f'{r["imports_mb"]:.0f} MB | {r["images"]:,} | {facts} | {met} |')
    lines += ['', 'Where ltr_mm is faster than mmdet\'s loader: `CheckedLVISV1Dataset` parses the '
              'file once for its checks and its loader, tests a box\'s `category_id` against a '
              'set (mmdet tests it against a list of all category ids, once per box) and frees '
              'each image\'s records once parsed; the data list is the one mmdet builds. '
              '`ClassStats.from_file` reads only the file\'s `categories` section when every '
              'category has `instance_count` (LVIS files do).']
    lines += ['', f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, '
              f'load average {load[0]:.2f} at the start and {load[1]:.2f} at the end (other '
              'jobs share the machine).', '', 'Command:', '', '```',
              ' '.join(['python bench/scale.py'] + args.argv), '```']
    return '\n'.join(lines) + '\n'


def main() -> None:
    """Generate the data if needed, run every step in its own process, write the section."""
    if sys.argv[1:2] == ['--child']:
        return child_main(*sys.argv[2:5])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=100_000)
    parser.add_argument('--cats', type=int, default=1203)
    parser.add_argument('--anns', type=int, default=1_270_000)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data-dir', default='work_dirs/bench_scale')
    parser.add_argument('--doc', default='docs/benchmarks.md')
    parser.add_argument('--reuse', action='store_true', help='keep results already measured')
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    data = make_data(args)
    load, rows = [os.getloadavg()[0]], []
    for step, _ in STEPS:
        rows.append(run_step(args, step, data['ann']))
        r = rows[-1]
        print(f'{step}: {r["wall_s"]:.1f} s (imports {r["imports_s"]:.1f}, dataset '
              f'{r["dataset_s"]:.1f}, step {r["step_s"]:.1f}), {r["peak_mb"]:.0f} MB',
              flush=True)
    load.append(os.getloadavg()[0])
    text = report(args, data, rows, load)
    write_section(args.doc, SECTION, text)
    print(text)


if __name__ == '__main__':
    main()
