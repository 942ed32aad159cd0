"""Long-tailed classification on Fashion-MNIST-LT IF100 at one fixed budget.

    python bench/cls_lt.py [--epochs 60] [--stage2-epochs 10] [--n-max 500]
                           [--ea-thresholds 0.3 0.4 0.6] [--seeds 1 ...]
                           [--work-dir work_dirs/bench_cls_lt] [--doc docs/benchmarks.md] [--reuse]

The data is Fashion-MNIST-LT with imbalance factor 100 and ``--n-max`` (500) images in the head
class, built by ``tools/dataset_converters/make_fashion_lt.py`` into the work dir: 500 .. 5
images per class, so the usual thresholds (many > 100, few < 20 training images) give 4 many-,
3 medium- and 3 few-shot classes; the test split is the balanced 10,000-image Fashion-MNIST
test set. Every stage-1 method trains the LDAM ResNet-32 with its config's recipe on the
200-epoch CIFAR-LT schedule scaled to ``--epochs`` (warm-up 5/200, lr x0.01 at 160/200 and
180/200, DRW and RIDE re-weighting from 160/200, FCC from 50/200):

- ``CE``, ``LDAM-DRW``, ``BSCE``, ``TDE``, ``FCC + CE``, ``RIDE-3`` (3 experts); TDE's
  test-time alpha (0 .. 3 by 0.1) is chosen on the validation split described below, like
  tau-norm's tau (the TDE authors also read alpha off a validation set: alpha * mean cos = 1);
- ``cRT``: ``--stage2-epochs`` more epochs on the CE model, classifier re-initialised and
  re-trained with class-balanced sampling, the rest frozen;
- ``tau-norm``: the CE model re-balanced at test time, no training; tau (0 .. 2 by 0.1) and
  whether the bias is kept are chosen on a balanced validation split of ``VAL_PER_CLASS``
  held-out Fashion-MNIST training images per class (highest class-mean top-1), never on the
  test split, as Decoupling chooses tau;
- ``NCM``: the CE model's backbone with Decoupling's nearest-class-mean classifier, no
  training: class means of the centred, L2-normalised features of the training images
  (``NCMClassMeansHook``, test pipeline), nearest mean by Euclidean distance;
- ``RIDE-3 + routing``: routers trained ``--stage2-epochs`` epochs on the frozen RIDE-3
  experts, dynamic inference; GFLOPs from the measured share of samples using 1..3 experts;
  the same routers are scored again at each ``--ea-thresholds`` value.

``--seeds S ...`` trains and tests every method again with each listed seed (stage-2 runs
start from the stage-1 run of the same seed) and adds a table of overall / few-shot top-1 per
seed with the mean over seed 0 and the listed seeds; the verdict then compares those means.
With 5 .. 14 training images in the few-shot classes, one seed moves few-shot top-1 by about
as much as the differences between methods.

Each run is a child process of this script (``--child NAME``, ``NAME@SEED`` for other seeds).
"""
import argparse
import os
import os.path as osp
import platform
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

from bench_child import run_child
from bench_doc import write_section

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SECTION = '## Long-tailed classification (Fashion-MNIST-LT)'
DATA = 'data/fashion_mnist_lt/'
VAL_PER_CLASS = 100  # balanced validation split (held-out training images): tau, alpha
TEST_ONLY = ('tau-norm', 'ncm')  # stage-2 methods without training
RUNS = {  # name: (label, config, stage-1 run or None)
    'ce': ('CE', 'configs/baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py', None),
    'ldam-drw': ('LDAM-DRW',
                 'configs/losses/ldam-drw_resnet32_1xb128-6e_fashion-mnist-lt-r100.py', None),
    'bsce': ('BSCE', 'configs/losses/bsce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py', None),
    'tde': ('TDE (alpha from val)',
            'configs/tde/tde_resnet32_1xb128-200e_fashion-mnist-lt-r100.py', None),
    'fcc-ce': ('FCC + CE', 'configs/fcc/fcc_ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
               None),
    'ride-3': ('RIDE-3', 'configs/ride/ride-3e_resnet32_1xb128-200e_fashion-mnist-lt-r100.py',
               None),
    'crt': ('cRT', 'configs/decoupled/crt_resnet32_1xb128-30e_fashion-mnist-lt-r100.py', 'ce'),
    'tau-norm': ('tau-norm (tau from val)',
                 'configs/decoupled/tau-norm_resnet32_1xb128-200e_fashion-mnist-lt-r100.py',
                 'ce'),
    'ncm': ('NCM', 'configs/decoupled/ncm_resnet32_1xb128-200e_fashion-mnist-lt-r100.py', 'ce'),
    'ride-3-ea': ('RIDE-3 + routing',
                  'configs/ride/ride-ea-3e_resnet32_1xb128-2e_fashion-mnist-lt-r100.py',
                  'ride-3'),
}


def retarget(obj: Any, old: str, new: str) -> Any:
    """``obj`` with every string that starts with ``old`` starting with ``new`` instead."""
    if isinstance(obj, str):
        return new + obj[len(old):] if obj.startswith(old) else obj
    if isinstance(obj, dict):
        for key in list(obj):
            obj[key] = retarget(obj[key], old, new)
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(retarget(v, old, new) for v in obj)
    return obj


def set_keys(obj: Any, key: str, value: Any) -> None:
    """Set ``key`` to ``value`` in every dict nested in ``obj`` that has it."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                obj[k] = value
            else:
                set_keys(v, key, value)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            set_keys(v, key, value)


def scaled(epochs: int, at: int) -> int:
    """Epoch ``at`` of the 200-epoch recipe scaled to ``epochs``."""
    return max(1, round(epochs * at / 200))


def stage1_schedule(cfg, epochs: int) -> None:
    """The 200-epoch CIFAR-LT schedule and the epoch switches scaled to ``epochs``."""
    cfg.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=epochs + 1)
    warm = scaled(epochs, 5)
    cfg.param_scheduler = [
        dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=warm,
             convert_to_iter_based=True),
        dict(type='MultiStepLR', by_epoch=True, begin=0, end=epochs, gamma=0.01,
             milestones=[scaled(epochs, 160), scaled(epochs, 180)])]
    for key in ('drw_epoch', 'reweight_epoch'):
        set_keys(cfg.model, key, scaled(epochs, 160))
    set_keys(cfg.model, 'start_epoch', scaled(epochs, 50))


def stage2_schedule(cfg, name: str, epochs: int) -> None:
    """cRT: lr x0.1 at 1/3 and 2/3; routers: cosine over ``epochs``."""
    cfg.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=epochs + 1)
    if name == 'crt':
        cfg.param_scheduler = [dict(type='MultiStepLR', by_epoch=True, gamma=0.1,
                                    milestones=[epochs // 3, 2 * epochs // 3])]
    else:
        cfg.param_scheduler = [dict(type='CosineAnnealingLR', T_max=epochs, eta_min=0.0,
                                    by_epoch=True, begin=0, end=epochs)]


def child_run(name: str, args: argparse.Namespace) -> Dict[str, Any]:
    """Train (unless test-only) and test one method; returns what goes in its json."""
    from mmengine.config import Config

    import ltr_mm  # noqa: F401
    from ltr_mm.engine.runner import WeightsOnlyRunner as Runner  # loads mmengine checkpoints
    name, _, seed = name.partition('@')  # 'ce@1': CE with seed 1
    _, config, stage1 = RUNS[name]
    cfg = Config.fromfile(osp.join(ROOT, config))
    retarget(cfg._cfg_dict, DATA, osp.join(args.work_dir, 'data') + '/')
    cfg.work_dir = osp.join(args.work_dir, name + (f'@{seed}' if seed else ''))
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.randomness = dict(seed=int(seed or 0))
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1000, save_last=True)
    stage1_ckpt = stage1 and osp.join(args.work_dir, stage1 + (f'@{seed}' if seed else ''),
                                      'final.pth')
    if name == 'crt':
        cfg.model.backbone.init_cfg.checkpoint = stage1_ckpt
    elif stage1:
        cfg.load_from = stage1_ckpt
    if stage1:
        stage2_schedule(cfg, name, args.stage2_epochs)
    else:
        stage1_schedule(cfg, args.epochs)
    runner = Runner.from_cfg(cfg)
    start = time.time()
    epochs = 0
    if name in TEST_ONLY:
        runner.load_or_resume()
    else:
        runner.train()
        epochs = cfg.train_cfg.max_epochs
        runner.save_checkpoint(cfg.work_dir, 'final.pth')
    out = {'epochs': epochs, 'train_s': time.time() - start}
    if name in ('tau-norm', 'tde'):
        out.update(choose_on_val(runner, cfg, name))
    out['test'] = runner.test()
    if name.startswith('ride-3'):
        out.update(ride_gflops(runner.model, out['test'] if name == 'ride-3-ea' else None))
    if name == 'ride-3-ea':
        out['threshold'] = float(runner.model.test_cfg['threshold'])
        out['threshold_sweep'] = threshold_sweep(runner, args.ea_thresholds)
    return out


def choose_on_val(runner, cfg, name: str) -> Dict[str, Any]:
    """Score the test-time knob of ``name`` on the validation split and set the best value in
    the head's ``test_cfg``: tau-norm's tau with the bias kept and dropped, TDE's alpha."""
    import copy

    from ltr_mm.analysis.knob_selection import (
        DEFAULT_ALPHAS,
        DEFAULT_TAUS,
        choose_alpha,
        choose_tau_norm,
        collect_features,
    )
    from ltr_mm.engine.runner import WeightsOnlyRunner as Runner  # loads mmengine checkpoints
    loader_cfg = copy.deepcopy(cfg.test_dataloader)
    loader_cfg.dataset.ann_file = 'meta/val.txt'
    loader_cfg.update(num_workers=0, persistent_workers=False)
    model = runner.model
    feats, labels = collect_features(model, Runner.build_dataloader(loader_cfg))
    if name == 'tde':
        return choose_alpha(model.head, feats, labels, DEFAULT_ALPHAS)
    return choose_tau_norm(model.head, feats, labels, DEFAULT_TAUS)


def threshold_sweep(runner, thresholds: List[float]) -> Dict[str, Any]:
    """Top-1 and GFLOPs of the routed model at each router threshold (a test-time knob: one
    trained router set, only ``test_cfg.threshold`` changes)."""
    sweep = {}
    for thr in thresholds:
        runner.model.test_cfg['threshold'] = thr
        res = {'test': runner.test()}
        res.update(ride_gflops(runner.model, res['test']))
        sweep[f'{thr:g}'] = res
    return sweep


def ride_gflops(model, routed: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """GFLOPs of the RIDE model without routing and, given the test metrics of a routed run
    (``ExpertShareMetric``'s ``ride/expert_share_k``), with the measured shares."""
    from ltr_mm.utils.ride_macs import ride_macs, routed_macs
    parts = ride_macs(model, (3, 32, 32))
    out = {'gflops_all_experts': parts['all_experts'] / 1e9}
    if routed is not None:
        share = [float(routed[f'ride/expert_share_{k}'])
                 for k in range(1, parts['num_experts'] + 1)]
        out.update(expert_share=share, gflops_routed=routed_macs(parts, share) / 1e9)
    return out


def make_data(args: argparse.Namespace) -> None:
    """Build the benchmark's Fashion-MNIST-LT into the work dir unless it is there."""
    data = osp.join(args.work_dir, 'data')
    if all(osp.isfile(osp.join(data, f)) for f in ('class_stats.json', 'meta/val.txt')):
        return
    src = subprocess.run(['bash', 'tools/dataset_converters/ensure_fashion_mnist.sh'], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, 'tools/dataset_converters/make_fashion_lt.py', '--src', src,
                    '--out', data, '--imb-factor', '100', '--n-max', str(args.n_max),
                    '--val-per-class', str(VAL_PER_CLASS),
                    '--overwrite'], cwd=ROOT, check=True)


def row(label: str, res: Dict[str, Any], gflops: str = '') -> str:
    """One markdown row."""
    t = res['test']
    vals = ' | '.join(f'{t["shot/" + k]:.2f}' for k in ('top1', 'many', 'medium', 'few'))
    minutes = res['train_s'] / 60
    return f'| {label} | {res["epochs_label"]} | {vals} | {gflops} | {minutes:.1f} min |'


def seed_means(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> Dict[str, Any]:
    """Mean over ``seeds`` (0 is the run without a suffix) of each method's test metrics."""
    means = {}
    for name in RUNS:
        runs = [results[name if s == 0 else f'{name}@{s}'] for s in seeds]
        means[name] = {'test': {k: statistics.mean(r['test'][k] for r in runs)
                                for k in ('shot/top1', 'shot/few')}}
        if name == 'ride-3':
            means[name]['gflops_all_experts'] = statistics.mean(
                r['gflops_all_experts'] for r in runs)
        elif name == 'ride-3-ea':
            means[name]['gflops_routed'] = statistics.mean(r['gflops_routed'] for r in runs)
    return means


def verdict(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> str:
    """Which methods beat CE on both overall and few-shot top-1 (seed 0, or the mean over
    ``seeds``), and what routing costs and saves."""
    means = seed_means(results, seeds)
    ce = means['ce']['test']
    wins, losses = [], []
    for name, res in means.items():
        if name == 'ce':
            continue
        t = res['test']
        ok = t['shot/top1'] > ce['shot/top1'] and t['shot/few'] > ce['shot/few']
        (wins if ok else losses).append(RUNS[name][0])
    which = (f'the mean over seeds {", ".join(map(str, seeds))}' if len(seeds) > 1
             else 'seed 0')
    ride, ea = means['ride-3'], means['ride-3-ea']
    routing = (f' RIDE-3 + routing ({which}): {ea["gflops_routed"]:.4f} instead of '
               f'{ride["gflops_all_experts"]:.4f} GFLOPs, '
               f'{ride["test"]["shot/top1"] - ea["test"]["shot/top1"]:.2f} points below RIDE-3 '
               'overall.')
    return (f'Beat CE ({which}) on both overall and few-shot: {", ".join(wins) or "none"}; '
            f'do not: {", ".join(losses) or "none"}.{routing}')


def seed_table(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> List[str]:
    """Overall / few-shot top-1 of every method for each seed and the mean."""
    means = seed_means(results, seeds)
    lines = ['', 'Overall / few-shot top-1 of the same methods with other seeds (`--seeds`; '
             'seed 0 is the table above):', '',
             '| method | ' + ' | '.join(f'seed {s}' for s in seeds) + ' | mean |',
             '| --- | ' + ' | '.join('---:' for _ in seeds) + ' | ---: |']
    for name, mean in means.items():
        cells = [results[name if s == 0 else f'{name}@{s}']['test'] for s in seeds] + \
            [mean['test']]
        lines.append(f'| {RUNS[name][0]} | ' + ' | '.join(
            f'{t["shot/top1"]:.2f} / {t["shot/few"]:.2f}' for t in cells) + ' |')
    return lines


def val_choices(results: Dict[str, Dict[str, Any]], seeds: List[int]) -> str:
    """The tau and bias of the tau-norm run and the alpha of the TDE run of each seed."""
    taus, alphas = [], []
    for s in seeds:
        suffix = '' if s == 0 else f'@{s}'
        res = results['tau-norm' + suffix]
        bias = 'bias kept' if res['keep_bias'] else 'bias dropped'
        taus.append(f'seed {s}: tau {res["tau"]:g}, {bias}')
        alphas.append(f'seed {s}: alpha {results["tde" + suffix]["alpha"]:g}')
    return (f'Test-time settings chosen on the validation split ({VAL_PER_CLASS} held-out '
            'training images per class, highest class-mean top-1, ties to the smaller value): '
            f'tau-norm (tau 0 .. 2 by 0.1) {"; ".join(taus)}. TDE (alpha 0 .. 3 by 0.1) '
            f'{"; ".join(alphas)}.')


def report(args: argparse.Namespace, results: Dict[str, Dict[str, Any]], wall: float) -> str:
    """The markdown section for docs/benchmarks.md."""
    seeds = [0] + args.seeds
    for name, res in results.items():
        stage1 = RUNS[name.partition('@')[0]][2]
        res['epochs_label'] = (f'{results[stage1]["epochs"]} + {res["epochs"]}' if stage1
                               else str(res['epochs']))
    ride, ea = results['ride-3'], results['ride-3-ea']
    shares = ', '.join(f'{100 * s:.1f}%' for s in ea['expert_share'])
    lines = [SECTION, '',
             f'Fashion-MNIST-LT, imbalance factor 100, {args.n_max} .. {args.n_max // 100} '
             'training images per class (many > 100: 4 classes, medium 20-100: 3, few < 20: 3); '
             'balanced 10,000-image test split; top-1 in percent. LDAM ResNet-32 (16/32/64) for '
             f'every method, {args.epochs} epochs of the scaled CIFAR-LT recipe; stage-2 '
             f'methods add {args.stage2_epochs} epochs on the stage-1 model. RIDE-3 + routing '
             f'used 1 / 2 / 3 experts for {shares} of the test images. The table is seed 0' +
             ('; the seed table below repeats every run with other seeds'
              if args.seeds else '') + '. Train times are wall-clock under whatever load '
             'the machine had while each run trained.', '',
             '| method | epochs | overall | many | medium | few | GFLOPs | train time |',
             '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |']
    for name in RUNS:
        res = results[name]
        gflops = ''
        if name == 'ride-3':
            gflops = f'{ride["gflops_all_experts"]:.4f}'
        elif name == 'ride-3-ea':
            gflops = f'{ea["gflops_routed"]:.4f}'
        lines.append(row(RUNS[name][0], res, gflops))
    if args.seeds:
        lines += seed_table(results, seeds)
    lines += ['', verdict(results, seeds), '', val_choices(results, seeds), '',
              'RIDE-3 + routing at other router thresholds (the '
              'same trained routers; a sample adds the next expert when its router score '
              f'exceeds the threshold; the table row above uses {ea["threshold"]:g}; RIDE-3 '
              f'without routing: {ride["test"]["shot/top1"]:.2f} overall, '
              f'{ride["gflops_all_experts"]:.4f} GFLOPs):', '',
              '| threshold | overall | few | 1 / 2 / 3 experts | GFLOPs |',
              '| ---: | ---: | ---: | --- | ---: |']
    sweep = dict(ea.get('threshold_sweep', {}))
    sweep[f'{ea["threshold"]:g}'] = ea
    for thr, res in sorted(sweep.items(), key=lambda kv: float(kv[0])):
        split = ' / '.join(f'{100 * s:.1f}%' for s in res['expert_share'])
        lines.append(f'| {thr} | {res["test"]["shot/top1"]:.2f} | {res["test"]["shot/few"]:.2f} '
                     f'| {split} | {res["gflops_routed"]:.4f} |')
    lines += ['',
              f'Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, '
              f'load average {os.getloadavg()[0]:.2f} at the end. Wall time {wall / 60:.1f} '
              'min' + (' (runs that had finished before were read back, see --reuse; their '
                       'train times are in the table)' if args.reuse else
                       ' (data, training and testing of every run)') + '.', '', 'Command:', '',
              '```',
              'python bench/cls_lt.py ' + ' '.join(sys.argv[1:]), '```', '']
    return '\n'.join(lines)


def main() -> None:
    """Parent: build the data, run every child, write the section."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--epochs', type=int, default=60)
    parser.add_argument('--stage2-epochs', type=int, default=10)
    parser.add_argument('--n-max', type=int, default=500)
    parser.add_argument('--work-dir', default='work_dirs/bench_cls_lt')
    parser.add_argument('--doc', default='docs/benchmarks.md')
    parser.add_argument('--reuse', action='store_true',
                        help='keep the results of runs that finished before')
    parser.add_argument('--seeds', type=int, nargs='*', default=[],
                        help='train and test every method again with these seeds; the '
                        'verdict uses the mean over seed 0 and these')
    parser.add_argument('--ea-thresholds', type=float, nargs='+', default=[0.3, 0.4, 0.6],
                        help='router thresholds also scored for RIDE-3 + routing')
    parser.add_argument('--child', help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work_dir = osp.abspath(args.work_dir)
    if args.child:
        import json
        os.chdir(ROOT)
        out = child_run(args.child, args)
        with open(osp.join(args.work_dir, args.child, 'metrics.json'), 'w') as f:
            json.dump(out, f, indent=1)
        return
    start = time.time()
    make_data(args)
    argv = ['--work-dir', args.work_dir, '--epochs', str(args.epochs), '--stage2-epochs',
            str(args.stage2_epochs), '--n-max', str(args.n_max), '--ea-thresholds',
            *[str(t) for t in args.ea_thresholds]]
    results = {name: run_child(__file__, argv + ['--child', name],
                               osp.join(args.work_dir, name, 'metrics.json'), args.reuse, ROOT)
               for name in list(RUNS) + [f'{n}@{s}' for s in args.seeds for n in RUNS]}
    text = report(args, results, time.time() - start)
    write_section(args.doc, SECTION, text)
    print(text)


if __name__ == '__main__':
    main()
