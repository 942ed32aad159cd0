"""GPU check: the full-size LVIS v1 detectors and the ImageNet-LT RIDE model, one GPU, no data.

    python bench/gpu_check.py [--iters 50] [--test-images 20] [--precisions fp32 amp]
                              [--work-dir work_dirs/gpu_check] [--doc docs/benchmarks.md]
    python bench/gpu_check.py --tiny      # the same code on the CPU at toy sizes (make test)

The Faster R-CNN and Mask R-CNN R50-FPN LVIS v1 configs of ltr_mm are trained as they are
(stock box head, BAGS stage 2, TDE box head, RFS sampling), each for ``--iters`` iterations
through mmengine's Runner, in fp32 and with AMP (``AmpOptimWrapper``, dynamic loss scale), on
a generated LVIS-v1-format set (200 JPEGs of smoothed noise, 640 x 480 and the other COCO
shapes; 1,203 categories with LVIS v1's names, about 12 boxes per image as in LVIS v1, the
categories Zipf-distributed, rare / common / frequent by LVIS's rule) at the configs' own image
sizes (multi-scale 1333 x 640..800 for training, 1333 x 800 for testing). Backbones start from
their random initialisation (nothing is downloaded); BAGS stage 2 starts without its stage-1
checkpoint, with everything but ``fc_cls`` frozen as its config says. Each run records the
median time of a training step (data loading excluded, after warm-up), the peak GPU memory
allocated, whether every logged loss stayed finite, then tests its model on ``--test-images``
images with ``FastLVISMetric`` (the LVIS protocol on the produced detections). The RIDE-3
ResNeXt-50 ImageNet-LT config trains the same way at 224 px (batch 32) on a generated
ImageNet-LT split list (every class present, long-tailed counts).

The table reports iterations per second (1 / median step), the step time and peak memory of
each variant over the stock model's of the same architecture and precision, and the LVIS AP.
Targets: BAGS and TDE steps at most 1.05x the stock head, peak memory at most 5 % above it,
finite losses with AMP through every ltr_mm head and loss.

``--tiny`` runs the same configs on the CPU with 160 x 120 images (8 images, about 4 boxes
each), 2 iterations (1 warm-up), 2 test images, 100 RPN proposals (training and test), 64
sampled RoIs per image, RIDE at 64 px with batch 2, fp32 only; its table goes to the work
dir, never to ``docs/benchmarks.md``.
"""
import argparse
import copy
import json
import math
import os
import os.path as osp
import platform
import statistics
import sys
import time
from typing import Any, Dict, List, Optional

import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from PIL import Image

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(ROOT, 'bench'))
from bench_doc import write_section  # noqa: E402
from scale_data import SIZES, class_names  # noqa: E402

DET_CONFIGS = {
    ('Faster R-CNN', 'stock'): 'configs/baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Faster R-CNN', 'BAGS stage 2'): 'configs/bags/bags_faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Faster R-CNN', 'TDE'): 'configs/tde/tde_faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Faster R-CNN', 'RFS'): 'configs/rfs/rfs_faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Mask R-CNN', 'stock'): 'configs/baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Mask R-CNN', 'BAGS stage 2'): 'configs/bags/bags_mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Mask R-CNN', 'TDE'): 'configs/tde/tde_mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    ('Mask R-CNN', 'RFS'): 'configs/rfs/rfs_mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
}
RIDE_CONFIG = 'configs/ride/ride-3e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
SECTION = '## GPU check (full-size LVIS v1 detectors, RIDE ImageNet-LT)'
FULL = dict(iters=50, warmup=10, test_images=20, det_images=200, det_boxes=12, det_scale=None,
            rpn_test_proposals=None, rpn_train_proposals=None, rcnn_train_rois=None,
            ride_size=224, ride_batch=32, workers=2)
TINY = dict(iters=2, warmup=1, test_images=2, det_images=8, det_boxes=4, det_scale=(160, 120),
            rpn_test_proposals=100, rpn_train_proposals=100, rcnn_train_rois=64,
            ride_size=64, ride_batch=2, workers=0)


def write_images(paths: List[str], sizes: List[tuple], seed: int) -> None:
    """Write a JPEG of seeded noise (smoothed, so it compresses like a photo) per path."""
    rng = np.random.default_rng(seed)
    for path, (w, h) in zip(paths, sizes):
        small = rng.integers(0, 256, (max(h // 16, 1), max(w // 16, 1), 3), dtype=np.uint8)
        os.makedirs(osp.dirname(path), exist_ok=True)
        Image.fromarray(small).resize((w, h), Image.BILINEAR).save(path, quality=90)


def make_lvis(folder: str, num_images: int, boxes: float) -> str:
    """An LVIS-v1-format file of ``num_images`` real JPEGs; returns the annotation file.

    1,203 categories with LVIS v1's names; each image holds ``1 + Poisson(boxes - 1)`` boxes
    (LVIS v1 train: about 12) of categories drawn from a Zipf law (exponent 1.1) over a seeded
    order of the categories, each box 5-50 % of the image a side with a 4-point polygon.
    ``frequency`` follows LVIS's rule on the image counts (at most 10: rare, 100: common).
    """
    ann = osp.join(folder, 'lvis_v1_train.json')
    if osp.isfile(ann):
        return ann
    rng = np.random.default_rng(0)
    names = class_names(1203)
    weight = np.arange(1, 1204, dtype=np.float64) ** -1.1
    weight = weight[rng.permutation(1203)] / weight.sum()
    sizes = np.array(SIZES)[rng.integers(0, len(SIZES), num_images)]
    images, annotations = [], []
    image_sets = [set() for _ in range(1203)]
    instances = np.zeros(1203, dtype=np.int64)
    for i, (w, h) in enumerate(sizes.tolist(), start=1):
        images.append(dict(id=i, width=w, height=h, neg_category_ids=[],
                           not_exhaustive_category_ids=[],
                           coco_url=f'http://images.cocodataset.org/train2017/{i:012d}.jpg'))
        for cat in rng.choice(1203, 1 + rng.poisson(boxes - 1), p=weight).tolist():
            bw, bh = (rng.uniform(0.05, 0.5, 2) * (w, h)).round(2).tolist()
            x, y = (rng.uniform(0, 1, 2) * (w - bw, h - bh)).round(2).tolist()
            annotations.append(dict(id=len(annotations) + 1, image_id=i, category_id=cat + 1,
                                    bbox=[x, y, bw, bh], area=round(bw * bh, 2),
                                    segmentation=[[x, y, x + bw, y, x + bw, y + bh, x, y + bh]]))
            image_sets[cat].add(i)
            instances[cat] += 1
    categories = [dict(id=c + 1, name=names[c], synset=f'{names[c]}.n.01',
                       image_count=len(image_sets[c]), instance_count=int(instances[c]),
                       frequency='r' if len(image_sets[c]) <= 10 else
                       'c' if len(image_sets[c]) <= 100 else 'f') for c in range(1203)]
    os.makedirs(folder, exist_ok=True)
    write_images([osp.join(folder, 'train2017', f"{im['id']:012d}.jpg") for im in images],
                 [(im['width'], im['height']) for im in images], seed=1)
    with open(ann, 'w') as f:
        json.dump(dict(images=images, annotations=annotations, categories=categories), f)
    return ann


def make_imagenet_lt(folder: str) -> str:
    """An ImageNet-LT split list: 1000 classes, counts 8 .. 1 (exponential), 16 JPEGs reused."""
    listing = osp.join(folder, 'ImageNet_LT_train.txt')
    if not osp.isfile(listing):
        files = [f'train/img_{i:02d}.JPEG' for i in range(16)]
        write_images([osp.join(folder, p) for p in files], [(320, 256)] * len(files), seed=2)
        lines, k = [], 0
        for label in range(1000):
            for _ in range(max(1, math.floor(8 * 8 ** (-label / 999)))):
                lines.append(f'{files[k % len(files)]} {label}\n')
                k += 1
        with open(listing, 'w') as f:
            f.writelines(lines)
    return folder + '/'


def inner_dataset(dataset: Any) -> Any:
    """The dataset config that names the annotation file (through wrappers such as RFS's)."""
    while 'ann_file' not in dataset and 'dataset' in dataset:
        dataset = dataset.dataset
    return dataset


def resize_pipeline(pipeline: List[dict], scale: Optional[tuple]) -> None:
    """Replace the image scales of the pipeline's resize steps by ``scale`` (tiny mode)."""
    for step in pipeline if scale else []:
        if step['type'] == 'RandomChoiceResize':
            step['scales'] = [scale]
        elif step['type'] == 'Resize':
            step['scale'] = scale


def common_cfg(cfg, work_dir: str, size: dict, precision: str, device: str) -> None:
    """Iteration-based training for ``size['iters']`` steps, no checkpoint, no validation."""
    cfg.work_dir = work_dir
    cfg.load_from = None
    cfg.resume = False
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=size['iters'])
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.param_scheduler = None
    cfg.randomness = dict(seed=0)
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.pop('check_stage1', None)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=10)
    cfg.log_level = 'WARNING'
    cfg.train_dataloader.num_workers = size['workers']
    cfg.train_dataloader.persistent_workers = False
    if precision == 'amp':
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if device == 'cpu':
        cfg.env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))


def det_cfg(path: str, data: str, ann: str, work_dir: str, size: dict, precision: str,
            device: str):
    """The config at ``path`` pointed at the generated set (train and test)."""
    cfg = Config.fromfile(osp.join(ROOT, path))
    common_cfg(cfg, work_dir, size, precision, device)
    cfg.model.backbone.init_cfg = None
    train = inner_dataset(cfg.train_dataloader.dataset)
    train.update(data_root=data, ann_file=osp.basename(ann), data_prefix=dict(img=''))
    resize_pipeline(train.pipeline, size['det_scale'])
    for hook in cfg.get('custom_hooks', []):  # BAGS groups come from the training annotations
        if hook.get('type') == 'SetClassStatsHook' and hook.get('class_stats'):
            hook['class_stats'] = ann
    if size['rpn_test_proposals']:
        cfg.model.test_cfg.rpn.nms_pre = cfg.model.test_cfg.rpn.max_per_img = (
            size['rpn_test_proposals'])
    if size['rpn_train_proposals']:
        proposals = cfg.model.train_cfg.rpn_proposal
        proposals.nms_pre = proposals.max_per_img = size['rpn_train_proposals']
    if size['rcnn_train_rois']:
        cfg.model.train_cfg.rcnn.sampler.num = size['rcnn_train_rois']
    test = copy.deepcopy(cfg.test_dataloader)
    test.num_workers, test.persistent_workers = size['workers'], False
    inner = inner_dataset(test.dataset)
    inner.update(data_root=data, ann_file=osp.basename(ann), data_prefix=dict(img=''),
                 indices=size['test_images'])
    resize_pipeline(inner.pipeline, size['det_scale'])
    cfg.test_dataloader = test
    cfg.test_evaluator = dict(cfg.test_evaluator, ann_file=ann)
    return cfg


def ride_cfg(data: str, work_dir: str, size: dict, precision: str, device: str):
    """The RIDE-3 ResNeXt-50 ImageNet-LT config on the generated split list."""
    cfg = Config.fromfile(osp.join(ROOT, RIDE_CONFIG))
    common_cfg(cfg, work_dir, size, precision, device)
    cfg.train_dataloader.dataset.data_root = data
    cfg.train_dataloader.batch_size = size['ride_batch']
    for step in cfg.train_dataloader.dataset.pipeline:
        if step['type'] == 'RandomResizedCrop':
            step['scale'] = size['ride_size']
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    return cfg


class StepTimer(Hook):
    """Runner hook: time of every training step (synchronised), peak memory, finite losses."""

    priority = 'LOWEST'

    def __init__(self, device: str) -> None:
        self.cuda = device == 'cuda'
        self.times: List[float] = []
        self.finite = True
        self.losses: Dict[str, float] = {}
        self.peak_mib: Optional[float] = None
        self.t0 = 0.0

    def _sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize()

    def before_train(self, runner) -> None:
        if self.cuda:
            torch.cuda.reset_peak_memory_stats()

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._sync()
        self.t0 = time.perf_counter()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._sync()
        self.times.append(time.perf_counter() - self.t0)
        for key, value in (outputs or {}).items():
            value = float(value.detach() if hasattr(value, 'detach') else value)
            self.finite &= math.isfinite(value)
            self.losses[key] = value

    def after_train(self, runner) -> None:
        if self.cuda:
            self.peak_mib = torch.cuda.max_memory_allocated() / 2**20


def run_one(cfg, size: dict, device: str, test: bool) -> Dict[str, Any]:
    """Train with the runner, time it, then test (detectors) with the config's evaluator.

    A run that raises is recorded with its error (``finite`` False), so that one failing
    configuration does not cost the table of the others.
    """
    try:
        return _run(cfg, size, device, test)
    except Exception as exc:  # noqa: BLE001  (reported in the table and the exit status)
        import traceback
        traceback.print_exc()
        return dict(error=f'{type(exc).__name__}: {exc}'.replace('\n', ' ')[:300],
                    finite=False)


def _run(cfg, size: dict, device: str, test: bool) -> Dict[str, Any]:
    runner = Runner.from_cfg(cfg)
    timer = StepTimer(device)
    runner.register_hook(timer, priority='LOWEST')
    runner.train()
    steps = timer.times[size['warmup']:] or timer.times
    out = dict(step_s=statistics.median(steps), steps=len(steps), peak_mib=timer.peak_mib,
               finite=timer.finite, losses=timer.losses)
    if test:
        metrics = runner.test()
        out['metrics'] = {k: float(v) for k, v in metrics.items()
                          if isinstance(v, (int, float)) and k.endswith(('_AP', '_APr'))}
    return out


def table(results: List[Dict[str, Any]]) -> List[str]:
    """The markdown rows: one per model, variant and precision."""
    stock = {(r['model'], r['precision']): r for r in results if r['variant'] == 'stock'}
    rows = ['| model | variant | precision | it/s | step (ms) | step / stock | peak memory (MiB) '
            '| memory / stock | losses finite | bbox AP | segm AP |',
            '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |']
    for r in results:
        ref = stock.get((r['model'], r['precision']))
        if 'error' in r:
            rows.append(f"| {r['model']} | {r['variant']} | {r['precision']} | "
                        f"FAILED: {r['error']} | | | | | NO | | |")
            continue
        if ref is not None and 'error' in ref:
            ref = None
        step_ratio = f"{r['step_s'] / ref['step_s']:.3f}" if ref else '-'
        mem = f"{r['peak_mib']:.0f}" if r['peak_mib'] is not None else '-'
        mem_ratio = (f"{r['peak_mib'] / ref['peak_mib']:.3f}"
                     if ref and r['peak_mib'] and ref['peak_mib'] else '-')
        metrics = r.get('metrics', {})
        aps = [f"{100 * metrics[k]:.2f}" if k in metrics else '-'
               for k in ('lvis/bbox_AP', 'lvis/segm_AP')]
        rows.append(f"| {r['model']} | {r['variant']} | {r['precision']} | {1 / r['step_s']:.2f} "
                    f"| {1000 * r['step_s']:.0f} | {step_ratio} | {mem} | {mem_ratio} | "
                    f"{'yes' if r['finite'] else 'NO'} | {aps[0]} | {aps[1]} |")
    return rows


def verdict(results: List[Dict[str, Any]]) -> List[str]:
    """Each target and whether the run met it."""
    stock = {(r['model'], r['precision']): r for r in results if r['variant'] == 'stock'}
    lines = []
    for r in results:
        ref = stock.get((r['model'], r['precision']))
        if (r['variant'] not in ('BAGS stage 2', 'TDE') or ref is None or 'error' in r
                or 'error' in ref):
            continue
        name = f"{r['model']} {r['variant']} {r['precision']}"
        ratio = r['step_s'] / ref['step_s']
        lines.append(f"- {name}: step {ratio:.3f}x stock "
                     f"({'meets' if ratio <= 1.05 else 'misses'} <= 1.05x)")
        if r['peak_mib'] and ref['peak_mib']:
            mem = r['peak_mib'] / ref['peak_mib']
            lines.append(f"- {name}: peak memory {mem:.3f}x stock "
                         f"({'meets' if mem <= 1.05 else 'misses'} <= 1.05x)")
    bad = [f"{r['model']} {r['variant']} {r['precision']}" for r in results
           if not r.get('finite')]
    lines.append('- finite losses in every run' if not bad else
                 f"- NON-FINITE losses or FAILED runs: {', '.join(bad)}")
    return lines


def report(args: argparse.Namespace, results: List[Dict[str, Any]], device_name: str,
           wall: float) -> str:
    """The benchmarks section: setup, table, targets."""
    lines = [SECTION, '',
             f'`python bench/gpu_check.py{" --tiny" if args.tiny else ""}` on {device_name} '
             f'(torch {torch.__version__}, CUDA {torch.version.cuda or "-"}, Python '
             f'{platform.python_version()}). {args.iters} training iterations per run, the '
             f'median of the last {args.iters - args.warmup} step times (data loading '
             f'excluded); peak memory is torch\'s peak allocated GPU memory of the training '
             f'run; AP from `FastLVISMetric` on {args.test_images} generated images after '
             f'training from random initialisation (a check that evaluation runs on the '
             f'produced detections, not a quality figure). Wall time {wall / 60:.1f} min.', '']
    lines += table(results) + ['', 'Targets:', ''] + verdict(results)
    return '\n'.join(lines) + '\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--tiny', action='store_true', help='CPU, toy sizes (the test)')
    parser.add_argument('--iters', type=int, help='training iterations per run')
    parser.add_argument('--test-images', type=int, help='images scored by FastLVISMetric')
    parser.add_argument('--precisions', nargs='+', choices=['fp32', 'amp'])
    parser.add_argument('--only', nargs='+', help='run only these models (e.g. "Mask R-CNN")')
    parser.add_argument('--work-dir', default='work_dirs/gpu_check')
    parser.add_argument('--doc', default='docs/benchmarks.md',
                        help='benchmarks file for the table (never written with --tiny)')
    args = parser.parse_args()
    size = dict(TINY if args.tiny else FULL)
    args.iters = size['iters'] = args.iters or size['iters']
    args.warmup = size['warmup'] = min(size['warmup'], args.iters - 1)
    args.test_images = size['test_images'] = args.test_images or size['test_images']
    precisions = args.precisions or (['fp32'] if args.tiny else ['fp32', 'amp'])

    import ltr_mm  # noqa: F401  (registers the ltr_mm components)
    device = 'cpu' if args.tiny else 'cuda'
    if device == 'cuda' and not torch.cuda.is_available():
        sys.exit('bench/gpu_check.py: torch sees no CUDA device; run it on a GPU machine '
                 '(or --tiny on the CPU)')
    device_name = (torch.cuda.get_device_name(0) if device == 'cuda'
                   else f'CPU ({os.cpu_count()} cores)')
    work = osp.abspath(args.work_dir)
    lvis_dir = osp.join(work, 'data', f'lvis_v1_{size["det_images"]}')
    ann = make_lvis(lvis_dir, size['det_images'], size['det_boxes'])
    imagenet = make_imagenet_lt(osp.join(work, 'data', 'imagenet_lt'))
    start, results = time.time(), []
    for precision in precisions:
        for (model, variant), path in DET_CONFIGS.items():
            if args.only and model not in args.only:
                continue
            init_default_scope('mmdet')
            name = f"{model}_{variant}_{precision}".replace(' ', '-')
            cfg = det_cfg(path, lvis_dir + '/', ann, osp.join(work, name), size, precision,
                          device)
            res = run_one(cfg, size, device, test=True)
            results.append(dict(res, model=model, variant=variant, precision=precision))
            print(f'[gpu_check] {name}: {summary(res)}', flush=True)
        if not args.only or 'RIDE-3 ResNeXt-50' in args.only:
            init_default_scope('mmpretrain')
            cfg = ride_cfg(imagenet, osp.join(work, f'ride_{precision}'), size, precision, device)
            res = run_one(cfg, size, device, test=False)
            results.append(dict(res, model=f'RIDE-3 ResNeXt-50 ({size["ride_size"]} px, batch '
                                f'{size["ride_batch"]})', variant='stock', precision=precision))
            print(f'[gpu_check] RIDE {precision}: {summary(res)}', flush=True)
    text = report(args, results, device_name, time.time() - start)
    with open(osp.join(work, 'gpu_check.json'), 'w') as f:
        json.dump(results, f, indent=1)
    with open(osp.join(work, 'gpu_check.md'), 'w') as f:
        f.write(text)
    if not args.tiny:
        write_section(args.doc, SECTION, text)
    print(text)
    if any('error' in r or not r['finite'] for r in results):
        sys.exit('bench/gpu_check.py: a run failed or had a non-finite loss (see the table)')


def summary(res: Dict[str, Any]) -> str:
    """One progress line of a run."""
    if 'error' in res:
        return f"FAILED ({res['error']})"
    return f"{1 / res['step_s']:.2f} it/s, losses finite: {res['finite']}"


if __name__ == '__main__':
    main()
