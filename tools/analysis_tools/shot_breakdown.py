"""Plot per-class top-1 accuracy against the number of training images of each class (PNG).

Usage::

    python tools/test.py CONFIG CKPT --out results.pkl
    python tools/analysis_tools/shot_breakdown.py results.pkl --config CONFIG --out shots.png
    python tools/analysis_tools/shot_breakdown.py results.pkl \
        --class-stats data/fashion_mnist_lt/class_stats.json --out shots.png --out-json shots.json

``results.pkl`` holds the predictions dumped by ``tools/test.py --out``. The training counts
come from the ``ShotAccuracy`` of ``--config``'s ``test_evaluator`` (its ``class_stats``,
``train_ann_file`` or ``class_counts`` and its thresholds) or from exactly one of
``--class-stats``, ``--train-ann-file``, ``--class-counts``; ``--many-thr`` / ``--few-thr``
override the thresholds. Each class is one point (x: training images, log scale; y: top-1 on
its test images), coloured by its many / medium / few group, with the group means as
horizontal lines and the group boundaries as vertical ones; classes without test images are
left out. Class names are written next to the points when there are at most 20 classes. The
numbers are ``ShotAccuracy``'s, printed as a table as well.
"""
import argparse
import json
import os.path as osp
import pickle
from typing import Any, Dict, List, Optional, Sequence

from ltr_mm.evaluation.metrics.shot_accuracy import SHOTS, ShotAccuracy
from ltr_mm.evaluation.shot_table import format_shot_table
from ltr_mm.utils.class_stats import load_class_stats

COLOURS = {'many': 'tab:blue', 'medium': 'tab:orange', 'few': 'tab:red'}
COUNT_KEYS = ('class_stats', 'train_ann_file', 'class_counts', 'num_classes', 'many_thr',
              'few_thr')


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


def counts_from_config(path: str) -> Dict[str, Any]:
    """The count and threshold arguments of the config's ``ShotAccuracy`` test evaluator."""
    from mmengine.config import Config
    evaluators = Config.fromfile(path).test_evaluator
    evaluators = evaluators if isinstance(evaluators, (list, tuple)) else [evaluators]
    for evaluator in evaluators:
        if evaluator.get('type') in ('ShotAccuracy', 'ltr_mm.ShotAccuracy'):
            return {k: evaluator[k] for k in COUNT_KEYS if evaluator.get(k) is not None}
    raise ValueError(f'{path}: test_evaluator has no ShotAccuracy to take training counts from')


def load_results(path: str) -> List[dict]:
    """Predictions of ``tools/test.py --out``: one dict per test image."""
    with open(path, 'rb') as f:
        results = pickle.load(f)
    if not isinstance(results, list) or not results:
        raise ValueError(f'{path}: expected a non-empty list of predictions')
    return results


def breakdown(results: Sequence[Any], **count_args: Any) -> Dict[str, Any]:
    """Per-class accuracy, training count and shot group, computed by ``ShotAccuracy``.

    Args:
        results: data samples (dicts or ``DataSample``) with ``gt_label`` and
            ``pred_score`` or ``pred_label``.
        **count_args: ``ShotAccuracy`` arguments (``class_stats``, ``train_ann_file``,
            ``class_counts``, ``num_classes``, ``many_thr``, ``few_thr``).

    Returns:
        dict: ``counts``, ``per_class_acc`` (``-1`` without test images), ``group`` (the
        shot group of each class), ``thresholds`` and ``metrics`` (``top1``, the group means
        and sizes, ``mean_class_acc``).
    """
    metric = ShotAccuracy(per_class=True, **count_args)
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
    count_args = counts_from_config(args.config) if args.config else {}
    given = {'class_stats': args.class_stats, 'train_ann_file': args.train_ann_file,
             'class_counts': args.class_counts}
    if any(v is not None for v in given.values()):
        for key in given:
            count_args.pop(key, None)
        count_args.update({k: v for k, v in given.items() if v is not None})
    for key in ('num_classes', 'many_thr', 'few_thr'):
        if getattr(args, key) is not None:
            count_args[key] = getattr(args, key)
    data = breakdown(load_results(args.results), **count_args)
    names = None
    if count_args.get('class_stats'):
        names = load_class_stats(count_args['class_stats'])['classes']
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
