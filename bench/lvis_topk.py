"""Benchmark: memory of the Fixed AP per-category top-K selection at LVIS v1 val scale.

    python bench/lvis_topk.py [--images 20000] [--cats 1203] [--dets 1000] [--k 10000]
                              [--doc docs/benchmarks.md]

Feeds ``CategoryTopK`` (what ``FastLVISMetric`` uses under ``fixed`` / ``challenge2021``)
with generated boxes and scores, ``--dets`` candidates per image over ``--images`` images,
labels uniform over ``--cats`` categories (so every category goes far above ``--k``: the
most survivors the selection can hold), float32 boxes and scores as mmdet's heads give them.
It runs in a fresh process; peak memory is that process's ``VmHWM`` minus the ``VmRSS``
after imports. The selection is checked against the per-category cap applied to everything
on the first ``--check-images`` images with K = ``--check-k`` (so the cap acts there too).
The section ``## Fixed AP selection memory`` of
``--doc`` is replaced; other sections stay.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict

from bench_doc import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = '## Fixed AP selection memory'


def _status(field: str) -> float:
    """A ``/proc/self/status`` memory field in MB."""
    with open('/proc/self/status') as f:
        line = next(ln for ln in f if ln.startswith(field + ':'))
    return int(line.split()[1]) / 1024


def worker(images: int, cats: int, dets: int, k: int, check: int,
           check_k: int) -> Dict[str, Any]:
    """Run the selection over generated detections and return time and memory."""
    import numpy as np
    sys.path.insert(0, str(ROOT / 'tools'))
    from eval_lvis import load_functional
    fn = load_functional()
    from importlib import import_module
    topk = import_module(fn.__name__ + '.lvis_topk')
    rng = np.random.default_rng(0)
    base = _status('VmRSS')
    selector = topk.CategoryTopK(k)
    checker = topk.CategoryTopK(check_k, merge_size=check * dets // 7)
    offered = []
    start = time.perf_counter()
    for img in range(images):
        labels = rng.integers(0, cats, dets)
        scores = rng.random(dets, dtype=np.float32)
        boxes = rng.random((dets, 4), dtype=np.float32) * 600
        selector.add(img + 1, labels, scores, boxes)
        if img < check:
            checker.add(img + 1, labels, scores, boxes)
            offered.append((labels, scores))
    records = selector.records()
    elapsed = time.perf_counter() - start
    kept = sum(len(r['scores']) for r in records)
    labels = np.concatenate([o[0] for o in offered])
    scores = np.concatenate([o[1] for o in offered]).astype(np.float64)
    want = np.sort(scores[fn.top_k_per_category(labels, scores, check_k)])
    got = np.sort(np.concatenate([r['scores'] for r in checker.records()]))
    return dict(seconds=elapsed, kept=kept, peak_mb=_status('VmHWM'), base_mb=base,
                check_ok=bool(np.array_equal(want, got)), check_images=check, check_k=check_k)


def main() -> None:
    """Run the worker in a fresh process and write the section."""
    if sys.argv[1:2] == ['--worker']:
        print(json.dumps(worker(*(int(v) for v in sys.argv[2:8]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=20000)
    parser.add_argument('--cats', type=int, default=1203)
    parser.add_argument('--dets', type=int, default=1000)
    parser.add_argument('--k', type=int, default=10000)
    parser.add_argument('--check-images', type=int, default=300)
    parser.add_argument('--check-k', type=int, default=100)
    parser.add_argument('--doc', default='docs/benchmarks.md')
    args = parser.parse_args()
    out = subprocess.run([sys.executable, __file__, '--worker', str(args.images), str(args.cats),
                          str(args.dets), str(args.k), str(args.check_images),
                          str(args.check_k)],
                         cwd=str(ROOT), check=True, capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    total = args.images * args.dets
    text = '\n'.join([
        SECTION, '',
        f'`CategoryTopK` (the running per-category top-K of `FastLVISMetric` under `fixed` / '
        f'`challenge2021`) fed {args.images} images x {args.dets} candidate detections '
        f'({total:,} boxes and float32 scores, labels uniform over {args.cats} categories, so '
        f'every category exceeds K = {args.k}: the most survivors the selection can hold), '
        'in one fresh process. Peak memory is the process\'s `VmHWM`; the selection alone is '
        'that minus the resident memory after imports. Target: under 4 GB for boxes and '
        'scores.', '',
        '| images | candidates | categories | K | kept | time | peak RSS | after imports | '
        'selection | matches the cap over everything |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        f'| {args.images} | {total:,} | {args.cats} | {args.k} | {res["kept"]:,} | '
        f'{res["seconds"]:.0f} s | {res["peak_mb"]:.0f} MB | {res["base_mb"]:.0f} MB | '
        f'{res["peak_mb"] - res["base_mb"]:.0f} MB | '
        f'{"yes" if res["check_ok"] else "NO"} (first {res["check_images"]} images, K = '
        f'{res["check_k"]}) |', '',
        f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, load average '
        f'{os.getloadavg()[0]:.2f} at the end (other jobs share the machine).', '',
        'Command:', '', '```', ' '.join(['python bench/lvis_topk.py'] + sys.argv[1:]), '```'])
    write_section(args.doc, SECTION, text + '\n')
    print(text)


if __name__ == '__main__':
    main()
