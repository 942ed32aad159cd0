"""Long-tailed detection on the embedded Fashion-LVIS set: baseline, RFS, BAGS, TDE and the
sigmoid-family losses (federated loss, EQLv2, ECM, Seesaw).

    python bench/det_lt.py [--iters 1500] [--stage2-iters 300] [--timing-rounds 6]
                           [--max-dets 100] [--val-images N]
                           [--tde-alphas 0 1 2 3] [--select-alphas 0 0.5 ... 3]
                           [--tde-mu M] [--seeds 1 ...] [--sigmoid] [--only JOB ...]
                           [--work-dir work_dirs/bench_det_lt] [--doc docs/benchmarks.md] [--reuse]

Every method trains the small Mask R-CNN (ResNet-18 at half width, 64-channel FPN, from scratch)
for the same number of iterations (``--iters``, batch 4, SGD lr 0.02, steps at 75% and 90%;
the default 1500 is 2 epochs of the 3000 training images, the least that shows the two rare
categories, with 8 and 3 training images, often enough to be scored above zero), then the
LVIS protocol scores bbox and segm on the 500 validation images, keeping at most ``--max-dets``
(100) detections per image: the images hold a few objects each, and 300 masks per image would
triple the test time on a CPU.

- ``baseline``: softmax CE, random sampling;
- ``rfs``: repeat-factor sampling with stochastic rounding re-drawn each pass (t = 0.1);
- ``bags``: BAGS stage 2 from the baseline checkpoint, ``--stage2-iters`` more iterations that
  train only ``fc_cls`` with the group-softmax loss (everything else frozen, BN in eval mode);
- ``baseline-ft``: the control for BAGS, the same stage 2 with the plain CE loss;
- ``federated``, ``eqlv2``, ``ecm``, ``seesaw``: the baseline with its box classifier loss
  replaced (one joint training like the baseline): the federated loss (5 of the 10 classes per
  batch, background included), EQLv2, ECM (cosine classifier, normalised mask predictor,
  gradient clipping at norm 5, as its authors) and mmdet's Seesaw Loss (cosine classifier,
  normalised mask predictor), the small twins in ``configs/{federated,eqlv2,ecm,seesaw}/``;
- ``federated-all``: the control of ``federated``, the same twin with every class kept
  (``num_fed_classes`` = C + 1), which is plain sigmoid BCE; the sigmoid section pairs the two;
- ``tde``: the TDE box head trained like the baseline, scored from the same checkpoint with
  alpha = 1.5 (the config's value), alpha = 0 (plain causal-norm inference), each
  ``--tde-alphas`` value and the authors' label-free rule ``alpha = 1 / mean(cos)``, the mean
  taken over the cosines of the test RoI features with the moving average (recorded while the
  config's alpha is scored). ``--tde-mu`` trains it with another moving-average momentum
  than the config's 0.9998 (the paper's, for a 20-epoch LVIS schedule).

``--seeds`` trains baseline, TDE and BAGS again with each listed seed
(and chooses TDE's alpha again) and adds a table of their APr per seed, its mean, the standard
error of each method's difference with the baseline of the same seed, and the number of seeds
where the method is above that baseline: with 8 and 3 training images in the two rare
categories, APr moves by several points between two seeds of one method. Runs on several
threads are not bit-reproducible; with ``OMP_NUM_THREADS=1`` a run repeats exactly.

The step-time table trains the heads (stock ``Shared2FCBBoxHead`` with CE, the same head with
``BAGSLoss``, ``TDEBBoxHead``, and the box heads of the four sigmoid-family twins) inside one
model each, built from the same seed (equal backbone, neck and RPN, so equal RoIs), everything
trainable, on the same batches in the same process, interleaved round by round; the ratio is
median step time over the stock head's. Each training run and the timing run is a child
process of this script.

``--sigmoid`` writes the section of the sigmoid-family losses instead (its own heading in
``docs/benchmarks.md``): the baseline, the four twins and the federated control, each with
seed 0 and every seed of ``--seeds``, their mean APs, the per-seed APr tables with the paired
differences and the step times of their heads against the stock head. The baseline runs are
shared with the main section.

``--only JOB ...`` runs just the listed jobs (``timing`` and / or run names such as ``ecm`` or
``ecm@1``), prints their numbers and writes them to ``WORK_DIR/only.md``, leaving
``docs/benchmarks.md`` alone (its section needs every run).
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
import sys
import time
from typing import Any, Dict, List

from bench_child import run_child
from bench_doc import write_section

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SECTION = '## Long-tailed detection (embedded set)'
BASE = 'configs/baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
FED = 'configs/federated/federated_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
RUNS = {  # name: (config, stage-1 run or None)
    'baseline': (BASE, None),
    'rfs': ('configs/rfs/rfs-stochastic_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', None),
    'tde': ('configs/tde/tde_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', None),
    'bags': ('configs/bags/bags_mask-rcnn_r18-w32_fpn_1xb4-4e_fashion-lvis.py', 'baseline'),
    'baseline-ft': (BASE, 'baseline'),
    'federated': (FED, None),
    'federated-all': (FED, None),  # control: every class kept (num_fed_classes = C + 1)
    'eqlv2': ('configs/eqlv2/eqlv2_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', None),
    'ecm': ('configs/ecm/ecm_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', None),
    'seesaw': ('configs/seesaw/seesaw_mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', None),
}
SIGMOID = (('federated loss', 'federated'), ('EQLv2', 'eqlv2'), ('ECM', 'ecm'),
           ('Seesaw', 'seesaw'))  # (label, run) of the sigmoid-family rows
CONTROL = ('federated loss, every class kept (control)', 'federated-all')
KEYS = ('AP', 'APr', 'APc', 'APf')
SEEDED = ('baseline', 'tde', 'bags')  # --seeds runs of the main section
SIGMOID_SECTION = '## Long-tailed detection: sigmoid-family losses (embedded set)'
MAIN_HEADS = ('Shared2FCBBoxHead (CE)', 'Shared2FCBBoxHead + BAGSLoss', 'TDEBBoxHead')
HELDOUT = 'annotations/lvis_v1_heldout.json'  # where TDE's alpha is chosen (data_root relative)


def budget_cfg(cfg, iters: int, work_dir: str, max_dets: int, val_images: int) -> None:
    """Iteration budget, no validation, one final checkpoint, plain batches (see module doc)."""
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    warmup = max(1, min(200, iters // 5))
    cfg.param_scheduler = [
        dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=warmup),
        dict(type='MultiStepLR', by_epoch=False, begin=0, end=iters,
             milestones=[int(iters * 0.75), int(iters * 0.9)], gamma=0.1)]
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', by_epoch=False, interval=iters)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=50)
    cfg.log_processor = dict(by_epoch=False)
    # Without the aspect-ratio batch sampler the loader's own sampler is re-seeded by
    # set_epoch at every pass over the data (RFS re-draws its repeats there).
    cfg.train_dataloader.pop('batch_sampler', None)
    cfg.train_dataloader.persistent_workers = False
    cfg.test_dataloader.persistent_workers = False
    cfg.randomness = dict(seed=0)
    cfg.model.test_cfg.rcnn.max_per_img = max_dets
    if val_images:
        cfg.test_dataloader.dataset.indices = val_images


def child_train(name: str, args: argparse.Namespace) -> None:
    """Train one method under the budget and write ``metrics.json`` into its work dir."""
    from mmengine.config import Config

    import ltr_mm  # noqa: F401
    from ltr_mm.analysis.det_knob_selection import lvis_percent
    from ltr_mm.engine.runner import WeightsOnlyRunner as Runner  # loads mmengine checkpoints
    work_dir = osp.join(args.work_dir, name)
    name, _, seed = name.partition('@')  # 'tde@1': TDE with seed 1
    config, stage1 = RUNS[name]
    cfg = Config.fromfile(osp.join(ROOT, config))
    budget_cfg(cfg, args.stage2_iters if stage1 else args.iters, work_dir, args.max_dets,
               args.val_images)
    cfg.randomness = dict(seed=int(seed or 0))
    if name == 'tde' and args.tde_mu is not None:
        cfg.model.roi_head.bbox_head.mu = args.tde_mu
    if name == 'federated-all':  # C + 1 kept classes: no draw leaves a class out
        head = cfg.model.roi_head.bbox_head
        head.loss_cls.num_fed_classes = head.num_classes + 1
    if stage1:
        stage1 += f'@{seed}' if seed else ''
        cfg.load_from = osp.join(args.work_dir, stage1, f'iter_{args.iters}.pth')
        if name == 'baseline-ft':  # same stage 2 as BAGS, plain CE
            cfg.custom_hooks = [dict(type='FreezeModulesHook',
                                     trainable=['roi_head.bbox_head.fc_cls'])]
    start = time.time()
    runner = Runner.from_cfg(cfg)
    runner.train()
    train_s = time.time() - start
    cos_sum = None
    if name == 'tde':  # the cosines of the test RoIs with the moving average, for the heuristic
        cos_sum = record_cosines(runner.model.roi_head.bbox_head)
    results = {'train_s': train_s, 'iters': cfg.train_cfg.max_iters,
               'test': lvis_percent(runner.test())}
    if cos_sum is not None:
        results['mu'] = float(cfg.model.roi_head.bbox_head.mu)
        cos_sum['handle'].remove()
        results['mean_cos'] = cos_sum['sum'] / cos_sum['count']
        results.update(tde_alphas(runner, args.tde_alphas, results['mean_cos'],
                                  results['test']))
    with open(osp.join(work_dir, 'metrics.json'), 'w') as f:
        json.dump(results, f, indent=1)


def record_cosines(head) -> Dict[str, Any]:
    """Accumulate the per-head cosines of every RoI feature the TDE head scores with its
    moving average (a forward hook on the last shared FC, whose ReLU output is the
    classifier input)."""
    import torch

    from ltr_mm.models.functional import head_cosines
    acc: Dict[str, Any] = {'sum': 0.0, 'count': 0}

    def hook(module, inputs, output):
        cos = head_cosines(torch.relu(output), head.mean_feat, head.num_heads)
        acc['sum'] += float(cos.sum())
        acc['count'] += cos.numel()

    acc['handle'] = head.shared_fcs[-1].register_forward_hook(hook)
    return acc


def child_select(name: str, args: argparse.Namespace) -> None:
    """Choose the alpha of TDE run ``name`` on the held-out split, then score the validation
    split at it; writes ``select.json`` next to its ``metrics.json``."""
    import copy

    from mmengine.config import Config

    import ltr_mm  # noqa: F401
    from ltr_mm.analysis.det_knob_selection import (
        DEFAULT_DET_ALPHAS,
        choose_det_alpha,
        lvis_percent,
    )
    from ltr_mm.engine.runner import WeightsOnlyRunner as Runner  # loads mmengine checkpoints
    from ltr_mm.utils.cli import use_test_split
    work_dir = osp.join(args.work_dir, name)
    cfg = Config.fromfile(osp.join(ROOT, RUNS['tde'][0]))
    budget_cfg(cfg, args.iters, osp.join(work_dir, 'select'), args.max_dets, 0)
    cfg.load_from = osp.join(work_dir, f'iter_{args.iters}.pth')
    val = copy.deepcopy(cfg)
    use_test_split(cfg, HELDOUT)
    cfg.experiment_name = 'heldout'
    choice = choose_det_alpha(Runner.from_cfg(cfg), args.select_alphas or DEFAULT_DET_ALPHAS)
    val.model.roi_head.bbox_head.test_cfg.alpha = choice['alpha']
    val.experiment_name = 'val'
    test = lvis_percent(Runner.from_cfg(val).test())
    with open(osp.join(work_dir, 'select.json'), 'w') as f:
        json.dump(dict(alpha=choice['alpha'], key=choice['key'], heldout=choice['sweep'],
                       test=test), f, indent=1)


def tde_alphas(runner, alphas: List[float], mean_cos: float,
               config_test: Dict[str, float]) -> Dict[str, Any]:
    """Score the trained TDE model again at each alpha of ``alphas`` and at the authors'
    label-free heuristic ``alpha = 1 / mean(cos)`` (one checkpoint, only ``test_cfg``
    changes); ``config_test`` holds the numbers at the config's alpha."""
    from ltr_mm.analysis.det_knob_selection import lvis_percent
    from ltr_mm.models.functional import heuristic_alpha
    head = runner.model.roi_head.bbox_head
    out: Dict[str, Any] = {'config_alpha': float(head.test_cfg['alpha'])}
    auto = heuristic_alpha(mean_cos)
    out['heuristic_alpha'] = auto
    sweep = {f'{out["config_alpha"]:.4g}': config_test}
    for alpha in sorted(set(alphas) | {auto, 0.0}):  # 0: plain causal-norm inference
        if f'{alpha:.4g}' not in sweep:
            head.test_cfg['alpha'] = alpha
            sweep[f'{alpha:.4g}'] = lvis_percent(runner.test())
    out['sweep'] = sweep
    out['test_alpha0'] = sweep['0']
    out['test_auto'] = sweep[f'{auto:.4g}']
    return out


def timing_models(cfg, dataset) -> Dict[str, Any]:
    """The stock, BAGS-loss, TDE and sigmoid-family variants of the benchmark's Mask R-CNN
    (the latter with their twins' box heads; the count-based losses get the image counts of
    ``dataset``, the training set, as ``SetClassStatsHook`` gives them)."""
    import copy

    import torch
    from mmdet.registry import MODELS
    from mmengine.config import Config

    from ltr_mm.utils.class_stats import ClassStats
    variants = {'Shared2FCBBoxHead (CE)': copy.deepcopy(cfg.model)}
    bags = copy.deepcopy(cfg.model)
    ann = cfg.train_dataloader.dataset.data_root + cfg.train_dataloader.dataset.ann_file
    bags.roi_head.bbox_head.loss_cls = dict(type='BAGSLoss', num_classes=10,
                                            class_counts=list(ClassStats.from_file(ann).counts))
    variants['Shared2FCBBoxHead + BAGSLoss'] = bags
    tde = copy.deepcopy(cfg.model)
    tde.roi_head.bbox_head.update(type='TDEBBoxHead', num_heads=2, tau=16.0, gamma=1 / 32,
                                  mu=0.9998)
    variants['TDEBBoxHead'] = tde
    twins = []
    for _, name in SIGMOID:
        twin = Config.fromfile(osp.join(ROOT, RUNS[name][0])).model
        head = twin.roi_head.bbox_head
        extra = ' + NormedLinear' if 'cls_predictor_cfg' in head else ''
        twins.append(f'Shared2FCBBoxHead{extra} + {head.loss_cls.type}')
        variants[twins[-1]] = twin
    models = {}
    for key, model_cfg in variants.items():  # same seed: backbone, neck and RPN start equal
        torch.manual_seed(0)
        models[key] = MODELS.build(model_cfg)
    stats = ClassStats.from_dataset(dataset, 'image')  # what SetClassStatsHook gives them
    for key in twins:
        loss = models[key].roi_head.bbox_head.loss_cls
        if callable(getattr(loss, 'set_class_stats', None)):
            loss.set_class_stats(stats)
    return models


def child_timing(args: argparse.Namespace) -> None:
    """Median training-step time of each head on the same batches, interleaved by rounds."""
    import torch
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope

    import ltr_mm  # noqa: F401
    from ltr_mm.engine.runner import WeightsOnlyRunner as Runner  # loads mmengine checkpoints
    init_default_scope('mmdet')
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(ROOT, BASE))
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    batches = []
    for batch in loader:
        batches.append(batch)
        if len(batches) == args.timing_batches:
            break
    models = timing_models(cfg, loader.dataset)
    optims = {k: OptimWrapper(torch.optim.SGD(m.parameters(), lr=0.002, momentum=0.9))
              for k, m in models.items()}
    times: Dict[str, List[float]] = {k: [] for k in models}
    for rnd in range(args.timing_rounds + 1):  # round 0 warms up
        names = list(models)
        names = names[rnd % len(names):] + names[:rnd % len(names)]
        for name in names:
            models[name].train()
            for batch in batches:
                t0 = time.perf_counter()
                models[name].train_step(batch, optims[name])
                if rnd:
                    times[name].append(time.perf_counter() - t0)
    stock = statistics.median(times['Shared2FCBBoxHead (CE)'])
    out = {k: {'median_s': statistics.median(v), 'ratio': statistics.median(v) / stock,
               'steps': len(v)} for k, v in times.items()}
    with open(osp.join(args.work_dir, 'timing.json'), 'w') as f:
        json.dump(out, f, indent=1)


def child(args: argparse.Namespace, what: List[str], out: str) -> Dict[str, Any]:
    """Run one job of this script in a child process (see :func:`bench_child.run_child`)."""
    argv = ['--work-dir', args.work_dir, '--iters', str(args.iters), '--stage2-iters',
            str(args.stage2_iters), '--timing-rounds', str(args.timing_rounds),
            '--timing-batches', str(args.timing_batches), '--max-dets', str(args.max_dets),
            '--val-images', str(args.val_images), '--tde-alphas',
            *[str(a) for a in args.tde_alphas], *what]
    if args.select_alphas is not None:
        argv += ['--select-alphas', *[str(a) for a in args.select_alphas]]
    if args.tde_mu is not None:
        argv += ['--tde-mu', str(args.tde_mu)]
    return run_child(__file__, argv, out, args.reuse, ROOT)


def table(results: Dict[str, Dict[str, Any]]) -> List[str]:
    """The AP table in markdown."""
    cols = [f'{iou} {k}' for iou in ('bbox', 'segm') for k in KEYS]
    lines = ['| method | iterations | ' + ' | '.join(cols) + ' | train time |',
             '| --- | --- | ' + ' | '.join('---:' for _ in cols) + ' | ---: |']
    rows = [('baseline', 'baseline', 'test'), ('RFS (stochastic, t = 0.1)', 'rfs', 'test'),
            ('baseline + stage-2 CE on fc_cls', 'baseline-ft', 'test'),
            ('BAGS (stage 2 on fc_cls)', 'bags', 'test'),
            ('TDE, alpha = 0 (causal norm)', 'tde', 'test_alpha0'),
            (f'TDE, alpha = {results["tde"]["config_alpha"]:.4g} (config)', 'tde', 'test'),
            (f'TDE, alpha = {results["tde"]["heuristic_alpha"]:.4g} (1 / mean cos)', 'tde',
             'test_auto'),
            (f'TDE, alpha = {results["tde"]["select"]["alpha"]:.4g} (chosen on held-out)', 'tde',
             'test_select')]
    for label, name, key in rows:
        res = results[name]
        iters = (f'{args_iters(results)} + {res["iters"]}' if name in ('bags', 'baseline-ft')
                 else str(res['iters']))
        vals = ' | '.join(f'{res[key][c.replace(" ", "_")]:.2f}' for c in cols)
        lines.append(f'| {label} | {iters} | {vals} | {res["train_s"] / 60:.1f} min |')
    return lines


def args_iters(results: Dict[str, Dict[str, Any]]) -> int:
    """Stage-1 iterations (the baseline's budget)."""
    return results['baseline']['iters']


def seed_table(results: Dict[str, Dict[str, Any]], seeds: List[int], cols: List[tuple],
               intro: str, ref: str = 'baseline') -> List[str]:
    """APr (bbox / segm) of the ``cols`` runs (label, run, result key; the reference, named
    ``ref`` in the row labels, first) for every seed and their mean; for each other run the
    mean, standard error, their ratio and the sign count of its difference with the reference
    of the same seed."""
    lines = ['', intro, '', '| seed | ' + ' | '.join(c[0] for c in cols) + ' |',
             '| ---: | ' + ' | '.join('---:' for _ in cols) + ' |']
    vals = {c[0]: [] for c in cols}
    for seed in seeds:
        cells = []
        for label, name, key in cols:
            res = results[name if seed == 0 else f'{name}@{seed}'][key]
            vals[label].append((res['bbox_APr'], res['segm_APr']))
            cells.append(f'{res["bbox_APr"]:.2f} / {res["segm_APr"]:.2f}')
        lines.append(f'| {seed} | ' + ' | '.join(cells) + ' |')
    mean = {k: [statistics.mean(x[i] for x in v) for i in (0, 1)] for k, v in vals.items()}
    lines.append('| mean | ' + ' | '.join(f'{m[0]:.2f} / {m[1]:.2f}' for m in mean.values()) +
                 ' |')
    base = vals.pop(cols[0][0])  # per seed; each method's difference with it, per seed
    diffs = [[[x[i] - b[i] for x, b in zip(v, base)] for i in (0, 1)] for v in vals.values()]
    rows = ((f'mean - {ref}', lambda d: f'{statistics.mean(d):+.2f}'),
            ('standard error of the paired difference', lambda d: f'{paired_se(d):.2f}'),
            (f'(mean - {ref}) / standard error',
             lambda d: f'{statistics.mean(d) / paired_se(d):+.1f}' if paired_se(d) else '-'),
            (f'seeds above the {ref}', lambda d: str(sum(x > 0 for x in d))))
    for label, cell in rows:
        lines.append(f'| {label} | - | ' + ' | '.join(
            ' / '.join(cell(d) for d in ds) for ds in diffs) + ' |')
    return lines


def paired_se(diffs: List[float]) -> float:
    """Standard error of the mean of per-seed differences (sample standard deviation)."""
    return statistics.stdev(diffs) / len(diffs) ** 0.5


def main_seed_table(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> List[str]:
    """The seed table of the main section: baseline, TDE (three alphas) and BAGS."""
    cols = [('baseline', 'baseline', 'test'), ('TDE alpha 0', 'tde', 'test_alpha0'),
            (f'TDE alpha {results["tde"]["config_alpha"]:.4g}', 'tde', 'test'),
            ('TDE alpha from held-out', 'tde', 'test_select'), ('BAGS', 'bags', 'test')]
    return seed_table(results, seeds, cols, 'APr (bbox / segm) of the same runs with other '
                      'seeds (`--seeds`; seed 0 is the table above):')


def heldout_table(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> str:
    """Mask AP (the choice) / bbox APr / segm APr on the held-out split per alpha and seed."""
    runs = [results['tde' if seed == 0 else f'tde@{seed}']['select'] for seed in seeds]
    key = runs[0]['key']
    lines = [f'TDE alpha chosen on the held-out split by {key.replace("_", " ")} (cells: '
             f'{key.replace("_", " ")} / bbox APr / segm APr there; the chosen alpha is scored '
             'on the validation split above):', '',
             '| alpha | ' + ' | '.join(f'seed {s}' for s in seeds) + ' |',
             '| ---: | ' + ' | '.join('---:' for _ in seeds) + ' |']
    for i, row in enumerate(runs[0]['heldout']):
        cells = []
        for run in runs:
            r = run['heldout'][i]
            mark = ' (chosen)' if r['value'] == run['alpha'] else ''
            cells.append(f'{r[key]:.2f} / {r["bbox_APr"]:.2f} / {r["segm_APr"]:.2f}{mark}')
        lines.append(f'| {row["value"]:g} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def report(args: argparse.Namespace, results: Dict[str, Any], timing: Dict[str, Any],
           wall: float) -> str:
    """The markdown section for docs/benchmarks.md."""
    lines = [SECTION, '',
             'Small Mask R-CNN (ResNet-18 at half width, 64-channel FPN, from scratch) on the '
             'embedded Fashion-LVIS set (3000 training images; 10 categories: 5 frequent, 3 '
             'common, 2 rare), batch 4, one iteration budget for every stage-1 run; LVIS '
             'protocol on the 500 validation images with at most '
             f'{args.max_dets} detections per image (AP in percent). BAGS and its control '
             'start from the baseline checkpoint and train only `fc_cls`. TDE\'s alpha is '
             'also chosen, by mask AP, on the 300 held-out images (built like the validation '
             'images from training-split items that no training image shows); the validation '
             'split chooses nothing.', '']
    lines += table(results)
    base = results['baseline']['test']
    deltas = []
    tde = results['tde']
    for label, name, key in (('BAGS', 'bags', 'test'),
                             (f'TDE (config alpha {tde["config_alpha"]:.4g})', 'tde', 'test'),
                             (f'TDE (heuristic alpha {tde["heuristic_alpha"]:.4g})', 'tde',
                              'test_auto'),
                             (f'TDE (held-out alpha {tde["select"]["alpha"]:.4g})', 'tde',
                              'test_select'),
                             ('RFS', 'rfs', 'test'), ('stage-2 CE control', 'baseline-ft', 'test')):
        res = results[name][key]
        deltas.append(f'{label} {res["bbox_APr"] - base["bbox_APr"]:+.2f} bbox / '
                      f'{res["segm_APr"] - base["segm_APr"]:+.2f} segm')
    lines += ['', 'APr minus the baseline\'s: ' + '; '.join(deltas) + '. Train times are '
              'wall-clock under whatever load the machine had while each run trained; the '
              'step-time table below is the cost comparison.']
    if args.seeds:
        lines += main_seed_table(results, [0] + args.seeds)
    lines += ['', heldout_table(results, [0] + args.seeds)]
    lines += ['', 'TDE strength from the one TDE checkpoint (moving-average momentum mu = '
              f'{tde["mu"]:g}; only `test_cfg.alpha` changes; the mean cosine of the test RoI '
              'features with the moving average is '
              f'{tde["mean_cos"]:.4f}, so the authors\' label-free rule alpha * mean(cos) = 1 '
              f'gives alpha = {tde["heuristic_alpha"]:.4g}):', '',
              '| alpha | bbox AP | bbox APr | segm AP | segm APr |',
              '| ---: | ---: | ---: | ---: | ---: |']
    for alpha, res in sorted(tde['sweep'].items(), key=lambda kv: float(kv[0])):
        lines.append(f'| {alpha} | {res["bbox_AP"]:.2f} | {res["bbox_APr"]:.2f} | '
                     f'{res["segm_AP"]:.2f} | {res["segm_APr"]:.2f} |')
    lines += ['', 'Training-step time of each box head (everything trainable, same batches, '
              f'{args.timing_batches} batches x {args.timing_rounds} interleaved rounds, '
              'median):', '', '| head | median step | relative to stock |',
              '| --- | ---: | ---: |']
    for name, t in timing.items():
        if name in MAIN_HEADS:
            lines.append(f'| {name} | {t["median_s"]:.3f} s | {t["ratio"]:.3f}x |')
    return '\n'.join(lines + machine_lines(args, wall))


def machine_lines(args: argparse.Namespace, wall: float) -> List[str]:
    """The machine, wall-time and command lines that end a section."""
    load = os.getloadavg()[0]
    return ['', f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, '
            f'load average {load:.2f} at the end. Wall time {wall / 60:.1f} min' +
            (' (runs that had finished before were read back, see --reuse; their train times '
             'are in the table)' if args.reuse else '') + '.', '',
            'Command:', '', '```', 'python bench/det_lt.py ' + ' '.join(sys.argv[1:]), '```', '']


def sigmoid_report(args: argparse.Namespace, results: Dict[str, Any], timing: Dict[str, Any],
                   wall: float) -> str:
    """The markdown section of the sigmoid-family losses against the baseline."""
    seeds = [0] + args.seeds
    lines = [SIGMOID_SECTION, '',
             'The small Mask R-CNN of "Long-tailed detection (embedded set)" with its box '
             'classifier loss replaced '
             '(the twins in `configs/{federated,eqlv2,ecm,seesaw}/`), trained like the baseline '
             f'({results["baseline"]["iters"]} iterations, batch 4, random sampling, one '
             'joint training) and scored the same way (LVIS protocol, 500 validation images, '
             f'at most {args.max_dets} detections per image, AP in percent). The baseline '
             'column is trained in the same work directory with the same seeds, so each '
             'difference is paired by seed. Mean over the seeds ' +
             ', '.join(str(s) for s in seeds) + ':', '']
    cols = [f'{iou} {k}' for iou in ('bbox', 'segm') for k in KEYS]
    lines += ['| method | ' + ' | '.join(cols) + ' | mean train time |',
              '| --- | ' + ' | '.join('---:' for _ in cols) + ' | ---: |']
    for label, name in (('baseline (softmax CE)', 'baseline'), *SIGMOID, CONTROL):
        runs = [results[name if s == 0 else f'{name}@{s}'] for s in seeds]
        vals = ' | '.join(f'{statistics.mean(r["test"][c.replace(" ", "_")] for r in runs):.2f}'
                          for c in cols)
        train = statistics.mean(r['train_s'] for r in runs) / 60
        lines.append(f'| {label} | {vals} | {train:.1f} min |')
    lines += ['', 'Train times are wall-clock under whatever load the machine had while each run '
              'trained; the step-time table below is the cost comparison.']
    lines += seed_table(results, seeds,
                        [('baseline', 'baseline', 'test'),
                         *[(label, name, 'test') for label, name in SIGMOID]],
                        'APr (bbox / segm) per seed; the difference rows pair each method with '
                        'the baseline of the same seed:')
    lines += seed_table(results, seeds, [(CONTROL[0], CONTROL[1], 'test'),
                                         ('federated loss', 'federated', 'test')],
                        'The federated twin against its control: the same config with '
                        '`num_fed_classes` = C + 1 = 11, so every class is kept in every batch '
                        'and the loss is plain sigmoid BCE. The difference isolates the class '
                        'draw (APr, bbox / segm, paired by seed):', ref='control')
    lines += ['', 'Training-step time of each box head against the stock head with softmax CE '
              '(the timing run of "Long-tailed detection (embedded set)": everything '
              'trainable, same batches, '
              f'{args.timing_batches} batches x {args.timing_rounds} interleaved rounds, '
              'median; target: at most 1.10x the stock head):', '',
              '| head | median step | relative to stock |', '| --- | ---: | ---: |']
    for name, t in timing.items():
        if name == MAIN_HEADS[0] or name not in MAIN_HEADS:
            lines.append(f'| {name} | {t["median_s"]:.3f} s | {t["ratio"]:.3f}x |')
    return '\n'.join(lines + machine_lines(args, wall))


def only_lines(name: str, res: Dict[str, Any]) -> str:
    """One markdown row of a training run: AP columns and train time."""
    cols = [f'{iou}_{k}' for iou in ('bbox', 'segm') for k in KEYS]
    return (f'| {name} | {res["iters"]} | ' + ' | '.join(f'{res["test"][c]:.2f}' for c in cols) +
            f' | {res["train_s"] / 60:.1f} min |')


def run_only(args: argparse.Namespace) -> None:
    """Run the jobs of ``--only`` and report them in ``WORK_DIR/only.md`` and on stdout."""
    for job in args.only:
        if job != 'timing' and job.partition('@')[0] not in RUNS:
            raise ValueError(f'--only: unknown job {job!r}; choose timing or one of '
                             f'{sorted(RUNS)} (optionally with @SEED)')
    lines = ['Jobs of `python bench/det_lt.py ' + ' '.join(sys.argv[1:]) + '`:', '']
    runs = [job for job in args.only if job != 'timing']
    if runs:
        cols = [f'{iou} {k}' for iou in ('bbox', 'segm') for k in KEYS]
        lines += ['| run | iterations | ' + ' | '.join(cols) + ' | train time |',
                  '| --- | --- | ' + ' | '.join('---:' for _ in cols) + ' | ---: |']
        for name in runs:
            res = child(args, ['--child', 'train', name],
                        osp.join(args.work_dir, name, 'metrics.json'))
            lines.append(only_lines(name, res))
    if 'timing' in args.only:
        timing = child(args, ['--child', 'timing'], osp.join(args.work_dir, 'timing.json'))
        lines += ['', f'Step time ({args.timing_batches} batches x {args.timing_rounds} rounds, '
                  'median):', '', '| head | median step | relative to stock |',
                  '| --- | ---: | ---: |']
        lines += [f'| {k} | {t["median_s"]:.3f} s | {t["ratio"]:.3f}x |'
                  for k, t in timing.items()]
    load = os.getloadavg()[0]
    lines += ['', f'Machine: {os.cpu_count()} CPU cores, load average {load:.2f} at the end.', '']
    text = '\n'.join(lines)
    with open(osp.join(args.work_dir, 'only.md'), 'w') as f:
        f.write(text)
    print(text)


def main() -> None:
    """Parent: run every child, then write the section."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--iters', type=int, default=1500)
    parser.add_argument('--stage2-iters', type=int, default=300)
    parser.add_argument('--timing-rounds', type=int, default=6)
    parser.add_argument('--timing-batches', type=int, default=4)
    parser.add_argument('--max-dets', type=int, default=100,
                        help='detections kept per image at test time')
    parser.add_argument('--val-images', type=int, default=0,
                        help='score only the first N validation images (0: all)')
    parser.add_argument('--tde-alphas', type=float, nargs='+', default=[0.0, 1.0, 2.0, 3.0],
                        help='TDE strengths scored from the one TDE checkpoint, besides the '
                        "config's and the heuristic one")
    parser.add_argument('--select-alphas', type=float, nargs='+',
                        help='TDE strengths scored on the held-out split to choose one '
                        '(default 0, 0.5, ..., 3)')
    parser.add_argument('--tde-mu', type=float,
                        help="TDE's moving-average momentum (default: the config's 0.9998, the "
                        "paper's LVIS value)")
    parser.add_argument('--seeds', type=int, nargs='*', default=[],
                        help='train baseline, TDE and BAGS (with --sigmoid: the baseline and '
                        'the sigmoid-family losses) again '
                        'with these seeds (the spread of one seed; APr of the two rare '
                        'categories moves by several points between seeds)')
    parser.add_argument('--only', nargs='+', metavar='JOB',
                        help="run only these jobs ('timing', run names such as 'ecm' or "
                        "'ecm@1'), print their numbers and write WORK_DIR/only.md; the doc is "
                        'left alone')
    parser.add_argument('--sigmoid', action='store_true',
                        help='train and report only the baseline and the sigmoid-family losses '
                        '(each seed of --seeds too) in their own section')
    parser.add_argument('--work-dir', default='work_dirs/bench_det_lt')
    parser.add_argument('--doc', default='docs/benchmarks.md')
    parser.add_argument('--reuse', action='store_true',
                        help='keep the results of runs that finished before')
    parser.add_argument('--child', nargs='+', help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work_dir = osp.abspath(args.work_dir)
    if args.child:
        os.chdir(ROOT)
        if args.child[0] == 'timing':
            child_timing(args)
        elif args.child[0] == 'select':
            child_select(args.child[1], args)
        else:
            child_train(args.child[1], args)
        return
    if args.only:
        run_only(args)
        return
    start = time.time()
    timing = child(args, ['--child', 'timing'], osp.join(args.work_dir, 'timing.json'))
    if args.sigmoid:
        names = ['baseline', *[name for _, name in SIGMOID], CONTROL[1]]
        names += [f'{n}@{s}' for s in args.seeds for n in names]
        results = {name: child(args, ['--child', 'train', name],
                               osp.join(args.work_dir, name, 'metrics.json')) for name in names}
        text = sigmoid_report(args, results, timing, time.time() - start)
        write_section(args.doc, SIGMOID_SECTION, text)
        print(text)
        return
    names = [n for n in RUNS if n not in (*dict(SIGMOID).values(), CONTROL[1])]
    names += [f'{n}@{s}' for s in args.seeds for n in SEEDED]
    results = {name: child(args, ['--child', 'train', name],
                               osp.join(args.work_dir, name, 'metrics.json')) for name in names}
    for name in names:
        if name.partition('@')[0] == 'tde':
            select = child(args, ['--child', 'select', name],
                           osp.join(args.work_dir, name, 'select.json'))
            results[name].update(select=select, test_select=select['test'])
    text = report(args, results, timing, time.time() - start)
    write_section(args.doc, SECTION, text)
    print(text)


if __name__ == '__main__':
    main()
