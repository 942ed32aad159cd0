"""Plot per-class top-1 accuracy against the number of training images of each class (PNG).

Usage::

    python tools/test.py CONFIG CKPT --out results.pkl
    python tools/analysis_tools/shot_breakdown.py results.pkl --config CONFIG --out shots.png
    python tools/analysis_tools/shot_breakdown.py results.pkl \
        --class-stats data/fashion_mnist_lt/class_stats.json --out shots.png --out-json shots.json

``results.pkl`` holds the predictions dumped by ``tools/test.py --out``. The training counts
come from exactly one of ``--class-stats``, ``--train-ann-file``, ``--class-counts``, or else
from ``--config`` as a run of it gets them: its ``SetClassStatsHook`` (class-stats file or
profile, else the training dataset, built and counted); the thresholds come from the config's
``ShotAccuracy`` test evaluator (which may also carry ``class_counts``), and
``--many-thr`` / ``--few-thr`` override them. Each class is one point (x: training images, log
scale; y: top-1 on its test images), coloured by its many / medium / few group, with the group
means as horizontal lines and the group boundaries as vertical ones; classes without test
images are left out. Class names are written next to the points when there are at most 20
classes. The numbers are ``ShotAccuracy``'s, printed as a table as well.
"""
import argparse
import json
import os.path as osp
import pickle
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ltr_mm.evaluation.metrics.shot_accuracy import SHOTS, ShotAccuracy
from ltr_mm.evaluation.shot_table import format_shot_table
from ltr_mm.utils.class_stats import ClassStats

COLOURS = {'many': 'tab:blue', 'medium': 'tab:orange', 'few': 'tab:red'}
METRIC_KEYS = ('num_classes', 'many_thr', 'few_thr')


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', help='pickle written by tools/test.py --out')
    parser.add_argument('--out', default='shot_breakdown.png', help='PNG file to write')
    parser.add_argument('--out-json', help='also write the per-class numbers as JSON')
    parser.add_argument('--config', help="take counts and thresholds from this config's "
                        'ShotAccuracy test_evaluator')
    parser.add_argument('--class-stats', help='class-stats JSON file')
    parser.add_argument('--train-ann-file', help="training list, '<path> <label>' per line")
    parser.add_argument('--class-counts', type=int, nargs='+', help='training images per class')
    parser.add_argument('--num-classes', type=int, help='number of classes')
    parser.add_argument('--many-thr', type=int, help='many-shot: more images than this')
    parser.add_argument('--few-thr', type=int, help='few-shot: fewer images than this')
    parser.add_argument('--title', help='plot title (default: the results file name)')
    return parser.parse_args(argv)


def _shot_accuracy_cfg(cfg: Any, path: str) -> Dict[str, Any]:
    """The config's ``ShotAccuracy`` test evaluator."""
    evaluators = cfg.test_evaluator
    evaluators = evaluators if isinstance(evaluators, (list, tuple)) else [evaluators]
    for evaluator in evaluators:
        if evaluator.get('type') in ('ShotAccuracy', 'ltr_mm.ShotAccuracy'):
            return evaluator
    raise ValueError(f'{path}: test_evaluator has no ShotAccuracy to take thresholds from')


def _hook_cfg(cfg: Any) -> Optional[Dict[str, Any]]:
    """The config's ``SetClassStatsHook``, or None."""
    for hook in cfg.get('custom_hooks') or []:
        if hook.get('type') in ('SetClassStatsHook', 'ltr_mm.SetClassStatsHook'):
            return hook
    return None


def _dataset_stats(cfg: Any, count_type: str) -> ClassStats:
    """Build the config's training dataset and count it."""
    from mmengine.registry import DATASETS, init_default_scope

    import ltr_mm  # noqa: F401  (registers the datasets)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    return ClassStats.from_dataset(DATASETS.build(cfg.train_dataloader.dataset), count_type)


def stats_from_config(path: str) -> Tuple[Optional[ClassStats], Dict[str, Any]]:
    """The training statistics and the ``ShotAccuracy`` arguments a run of the config uses.

    Returns:
        tuple: the statistics (from the evaluator's ``class_counts``, else from the
        ``SetClassStatsHook`` as it would build them; None without either) and the
        evaluator's ``num_classes`` / ``many_thr`` / ``few_thr``.
    """
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    evaluator = _shot_accuracy_cfg(cfg, path)
    args = {k: evaluator[k] for k in METRIC_KEYS if evaluator.get(k) is not None}
    if evaluator.get('class_counts') is not None:
        return ClassStats.from_counts(list(evaluator['class_counts'])), args
    hook = _hook_cfg(cfg)
    if hook is None:
        return None, args
    if hook.get('class_stats'):
        return ClassStats.from_file(hook['class_stats']), args
    if hook.get('profile'):
        return ClassStats.from_profile(**hook['profile']), args
    return _dataset_stats(cfg, hook.get('count_type', 'auto')), args


def load_results(path: str) -> List[dict]:
    """Predictions of ``tools/test.py --out``: one dict per test image."""
    with open(path, 'rb') as f:
        results = pickle.load(f)
    if not isinstance(results, list) or not results:
        raise ValueError(f'{path}: expected a non-empty list of predictions')
    return results


def breakdown(results: Sequence[Any], stats: ClassStats, **count_args: Any) -> Dict[str, Any]:
    """Per-class accuracy, training count and shot group, computed by ``ShotAccuracy``.

    Args:
        results: data samples (dicts or ``DataSample``) with ``gt_label`` and
            ``pred_score`` or ``pred_label``.
        stats: the training statistics.
        **count_args: ``ShotAccuracy`` arguments (``num_classes``, ``many_thr``,
            ``few_thr``).

    Returns:
        dict: ``counts``, ``per_class_acc`` (``-1`` without test images), ``group`` (the
        shot group of each class), ``thresholds`` and ``metrics`` (``top1``, the group means
        and sizes, ``mean_class_acc``).
    """
    metric = ShotAccuracy(per_class=True, **count_args)
    metric.set_class_stats(stats)
    metric.process(None, results)
    metrics = metric.compute_metrics(metric.results)
    group = [''] * len(metric.counts)
    for name in SHOTS:
        for index in metric.shots[name]:
            group[index] = name
    return dict(counts=metric.counts, per_class_acc=metrics.pop('per_class_acc'), group=group,
                thresholds=dict(many=count_args.get('many_thr', 100),
                                few=count_args.get('few_thr', 20)),
                metrics=metrics)


def plot(data: Dict[str, Any], out: str, names: Optional[Sequence[str]] = None,
         title: str = '') -> None:
    """Draw the per-class scatter and save it as a PNG."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    counts, acc, metrics = data['counts'], data['per_class_acc'], data['metrics']
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    for name in SHOTS:
        kept = [i for i, g in enumerate(data['group']) if g == name and acc[i] >= 0]
        mean = metrics[name]
        label = f'{name} ({metrics[f"{name}_classes"]} classes)'
        label += f': {mean:.1f}%' if mean >= 0 else ': -'
        ax.scatter([counts[i] for i in kept], [acc[i] for i in kept], s=18,
                   color=COLOURS[name], label=label, zorder=3)
        if mean >= 0:
            ax.axhline(mean, color=COLOURS[name], linestyle=':', linewidth=1)
    ax.axvline(data['thresholds']['many'] + 0.5, color='grey', linestyle='--', linewidth=1)
    ax.axvline(data['thresholds']['few'] - 0.5, color='grey', linestyle='--', linewidth=1)
    if names is not None and len(names) <= 20:
        for i, name in enumerate(names):
            if acc[i] >= 0:
                ax.annotate(name, (counts[i], acc[i]), fontsize=7, xytext=(3, 3),
                            textcoords='offset points')
    ax.set_xscale('log')
    ax.set_ylim(-3, 103)
    ax.set_xlabel('training images of the class (log scale)')
    ax.set_ylabel('top-1 accuracy on the class (%)')
    ax.set_title(f'{title}  overall top-1 {metrics["top1"]:.2f}%'.strip())
    ax.grid(True, which='major', alpha=0.3)
    ax.legend(loc='lower right', fontsize=8)
    fig.tight_layout()
    fig.savefig(out, format='png')
    plt.close(fig)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Compute the breakdown, print the table, write the PNG (and JSON)."""
    args = parse_args(argv)
    stats, count_args = stats_from_config(args.config) if args.config else (None, {})
    given = [name for name in ('class_stats', 'train_ann_file', 'class_counts')
             if getattr(args, name) is not None]
    if len(given) > 1:
        raise ValueError(f'give one of --class-stats, --train-ann-file, --class-counts; got '
                         f'{given}')
    for key in METRIC_KEYS:
        if getattr(args, key) is not None:
            count_args[key] = getattr(args, key)
    if args.class_stats is not None:
        stats = ClassStats.from_file(args.class_stats)
    elif args.train_ann_file is not None:
        stats = ClassStats.from_label_list(args.train_ann_file, count_args.get('num_classes'))
    elif args.class_counts is not None:
        stats = ClassStats.from_counts(args.class_counts)
    if stats is None:
        raise ValueError('no training counts: give --class-stats, --train-ann-file or '
                         '--class-counts, or a --config with SetClassStatsHook')
    data = breakdown(load_results(args.results), stats, **count_args)
    names = list(stats.classes) or None
    plot(data, args.out, names, args.title if args.title is not None
         else osp.basename(args.results))
    print(format_shot_table(data['metrics'], prefix=''))
    print(f'per-class accuracy against training images written to {args.out}')
    if args.out_json:
        with open(args.out_json, 'w') as f:
            json.dump(dict(data, classes=names), f, indent=1)
    return data


if __name__ == '__main__':
    main()
