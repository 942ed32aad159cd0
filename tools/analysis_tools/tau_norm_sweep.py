"""Choose the tau of tau-norm on a held-out split: top-1 of a trained classifier at every tau.

    python tools/analysis_tools/tau_norm_sweep.py CONFIG CKPT [--ann-file meta/val.txt]
        [--taus 0 0.1 ... 2] [--keep-bias | --drop-bias] [--cfg-options k=v ...]

``CONFIG`` has an ``LTLinearClsHead`` (e.g. ``configs/decoupled/tau-norm_*.py``) and ``CKPT`` is
the trained stage-1 checkpoint. The split read is the config's ``test_dataloader`` with its
``dataset.ann_file`` replaced by ``--ann-file`` (relative to the dataset's ``data_root``), e.g.
the validation split that ``tools/dataset_converters/make_fashion_lt.py --val-per-class N``
writes. The features are computed once; each tau is then scored by the head's ``predict``.
The tau with the highest class-mean top-1 (ties: the smallest) is printed last, with the
``--cfg-options`` that sets it for ``tools/test.py``. Never choose tau on the test split.
"""
import argparse
import os.path as osp
from typing import List, Optional

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.evaluation.tau_selection import best_tau, collect_features, tau_sweep
from ltr_mm.utils.cli import add_common_args, build_runner, load_config

DEFAULT_TAUS = [round(0.1 * i, 1) for i in range(21)]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='top-1 of a classifier at every tau-norm tau')
    parser.add_argument('config', help='config of a classifier with an LTLinearClsHead')
    parser.add_argument('checkpoint', help='trained checkpoint')
    parser.add_argument('--ann-file', help="list file of the split to score (default: the "
                        "config's test split; use a validation split)")
    parser.add_argument('--taus', type=float, nargs='+', default=DEFAULT_TAUS,
                        help='values of tau to score (default 0, 0.1, ..., 2)')
    bias = parser.add_mutually_exclusive_group()
    bias.add_argument('--keep-bias', dest='keep_bias', action='store_true', default=None,
                      help='keep the classifier bias (default: the config\'s test_cfg)')
    bias.add_argument('--drop-bias', dest='keep_bias', action='store_false',
                      help='drop the classifier bias')
    add_common_args(parser)
    return parser.parse_args(argv)


def format_rows(rows: List[dict], best: float) -> List[str]:
    """The printed table, the chosen tau marked."""
    lines = [f'{"tau":>5s} {"top-1":>7s} {"class-mean top-1":>17s}']
    for r in rows:
        mark = '  <- best' if r['tau'] == best else ''
        lines.append(f'{r["tau"]:5.2f} {r["top1"]:7.2f} {r["class_mean_top1"]:17.2f}{mark}')
    return lines


def main(argv: Optional[List[str]] = None) -> float:
    """Score every tau; print the table and the chosen tau, and return it."""
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    cfg = load_config(args)
    cfg.test_dataloader.persistent_workers = False
    if args.ann_file:
        cfg.test_dataloader.dataset.ann_file = args.ann_file
    runner = build_runner(cfg)
    runner.load_checkpoint(args.checkpoint, map_location='cpu')
    model = getattr(runner.model, 'module', runner.model)
    if not hasattr(model.head, 'test_logits'):
        raise TypeError(f'{args.config}: model.head is {type(model.head).__name__}, which has no '
                        'tau-norm test_cfg; use LTLinearClsHead')
    feats, labels = collect_features(model, runner.test_dataloader)
    rows = tau_sweep(model.head, feats, labels, args.taus, args.keep_bias)
    best = best_tau(rows)
    keep = model.head.test_cfg['keep_bias'] if args.keep_bias is None else args.keep_bias
    split = args.ann_file or cfg.test_dataloader.dataset.get('ann_file', 'test split')
    print(f'config: {args.config}\ncheckpoint: {args.checkpoint}\nsplit: {split} '
          f'({labels.numel()} samples), bias {"kept" if keep else "dropped"}')
    print('\n'.join(format_rows(rows, best)))
    print(f'best tau: {best:g}  (tools/test.py {args.config} {args.checkpoint} --cfg-options '
          f'model.head.test_cfg.tau_norm={best:g} model.head.test_cfg.keep_bias={keep})')
    return best


if __name__ == '__main__':
    main()
