"""Choose a test-time knob on a held-out split: a trained model's score at every value.

    python tools/analysis_tools/knob_sweep.py CONFIG CKPT --knob {tau_norm,alpha}
        [--ann-file meta/val.txt] [--values V ...] [--keep-bias | --drop-bias]
        [--cfg-options k=v ...]

``--knob tau_norm``: tau-norm of an ``LTLinearClsHead`` (e.g. ``configs/decoupled/tau-norm_*``
with the stage-1 checkpoint); values default to 0, 0.1, ..., 2; without ``--keep-bias`` /
``--drop-bias`` every tau is scored with the bias kept and dropped and the better setting wins.
``--knob alpha``: TDE strength of a ``TDEClsHead`` (``configs/tde/tde_*``); values default to
0, 0.1, ..., 3.

The split read is the config's ``test_dataloader`` with its ``dataset.ann_file`` replaced by
``--ann-file`` (relative to the dataset's ``data_root``), e.g. the validation split that
``tools/dataset_converters/make_fashion_lt.py --val-per-class N`` writes. The features are
computed once; each value is then scored by the head's ``predict``. The value with the highest
class-mean top-1 (ties: the smallest) is printed last, with the ``--cfg-options`` that set it
for ``tools/test.py``. Never choose a knob on the test split.

Detectors (a config with ``model.roi_head``): ``--knob alpha`` of the ``TDEBBoxHead`` (every
stage of a cascade), values 0, 0.5, ..., 3 by default; ``--ann-file`` is an LVIS annotation
file relative to ``data_root`` (e.g. ``annotations/lvis_v1_heldout.json``, the held-out split
of ``make_lt_detection.py``) and also replaces the evaluator's. Each value is one test pass;
the highest mask AP (box AP without masks) wins, ties to the smallest.
"""
import argparse
import os.path as osp
from typing import Any, Dict, List, Optional

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.analysis.det_knob_selection import DEFAULT_DET_ALPHAS, choose_det_alpha, tde_box_heads
from ltr_mm.analysis.knob_selection import (
    DEFAULT_ALPHAS,
    DEFAULT_TAUS,
    choose_alpha,
    choose_tau_norm,
    collect_features,
)
from ltr_mm.models.heads import LTLinearClsHead, TDEClsHead
from ltr_mm.utils.cli import add_common_args, build_runner, load_config, use_test_split

KNOBS = {  # knob: (head class, default values)
    'tau_norm': (LTLinearClsHead, DEFAULT_TAUS),
    'alpha': (TDEClsHead, DEFAULT_ALPHAS),
}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='score of a classifier (top-1) or a detector '
                                     '(LVIS AP) at every value of a test-time knob (tau-norm '
                                     'tau, TDE alpha)')
    parser.add_argument('config', help='config of a classifier with an LTLinearClsHead '
                        '(--knob tau_norm) or a TDEClsHead (--knob alpha), or of a detector '
                        'with a TDEBBoxHead (--knob alpha)')
    parser.add_argument('checkpoint', help='trained checkpoint')
    parser.add_argument('--knob', choices=sorted(KNOBS), required=True,
                        help='the test_cfg entry of the head to choose')
    parser.add_argument('--ann-file', help="annotation file of the split to score, relative to "
                        "the dataset's data_root (default: the config's test split; use a "
                        "validation or held-out split)")
    parser.add_argument('--values', type=float, nargs='+',
                        help='values to score (default: tau 0, 0.1, ..., 2; alpha 0, 0.1, '
                        '..., 3; detector alpha 0, 0.5, ..., 3)')
    bias = parser.add_mutually_exclusive_group()
    bias.add_argument('--keep-bias', dest='keep_bias', action='store_true', default=None,
                      help='tau_norm: keep the classifier bias (default: both scored)')
    bias.add_argument('--drop-bias', dest='keep_bias', action='store_false',
                      help='tau_norm: drop the classifier bias')
    add_common_args(parser)
    args = parser.parse_args(argv)
    if args.knob != 'tau_norm' and args.keep_bias is not None:
        parser.error('--keep-bias / --drop-bias only apply to --knob tau_norm')
    return args


def format_rows(name: str, rows: List[dict], best: Optional[float]) -> List[str]:
    """The printed table of one sweep, the chosen value marked."""
    lines = [f'{name:>5s} {"top-1":>7s} {"class-mean top-1":>17s}']
    for r in rows:
        mark = '  <- best' if r['value'] == best else ''
        lines.append(f'{r["value"]:5.2f} {r["top1"]:7.2f} {r["class_mean_top1"]:17.2f}{mark}')
    return lines


def report(args: argparse.Namespace, choice: Dict[str, Any]) -> List[str]:
    """The tables and the last line naming the choice and the options that set it."""
    test = f'tools/test.py {args.config} {args.checkpoint} --cfg-options'
    if args.knob == 'alpha':
        return format_rows('alpha', choice['sweep'], choice['alpha']) + [
            f'best alpha: {choice["alpha"]:g}  ({test} model.head.test_cfg.alpha='
            f'{choice["alpha"]:g})']
    lines = []
    for setting, rows in choice['sweeps'].items():
        chosen = (setting == 'kept') == choice['keep_bias']
        lines += [f'bias {setting}:'] + format_rows(
            'tau', rows, choice['tau'] if chosen else None)
    return lines + [f'best tau: {choice["tau"]:g}, bias '
                    f'{"kept" if choice["keep_bias"] else "dropped"}  ({test} '
                    f'model.head.test_cfg.tau_norm={choice["tau"]:g} '
                    f'model.head.test_cfg.keep_bias={choice["keep_bias"]})']


def detector_report(args: argparse.Namespace, choice: Dict[str, Any], stages: int) -> List[str]:
    """The table of a detector sweep and the last line naming the choice and its options."""
    ious = [iou for iou in ('bbox', 'segm') if f'{iou}_AP' in choice['sweep'][0]]
    cols = [f'{iou}_{key}' for iou in ious for key in ('AP', 'APr', 'APc', 'APf')]
    lines = [f'{"alpha":>5s} ' + ' '.join(f'{c:>9s}' for c in cols)]
    for r in choice['sweep']:
        mark = '  <- best' if r['value'] == choice['alpha'] else ''
        lines.append(f'{r["value"]:5.2f} ' + ' '.join(f'{r[c]:9.2f}' for c in cols) + mark)
    keys = (['model.roi_head.bbox_head.test_cfg.alpha'] if stages == 1 else
            [f'model.roi_head.bbox_head.{i}.test_cfg.alpha' for i in range(stages)])
    options = ' '.join(f'{k}={choice["alpha"]:g}' for k in keys)
    return lines + [f'best alpha: {choice["alpha"]:g} by {choice["key"]}  (tools/test_lvis.py '
                    f'{args.config} {args.checkpoint} --cfg-options {options})']


def detector_sweep(args: argparse.Namespace, cfg) -> Dict[str, Any]:
    """``--knob alpha`` of a detector's TDE box head(s): one test pass per value."""
    if args.knob != 'alpha':
        raise ValueError(f'{args.config}: a detector has no --knob {args.knob}; only alpha '
                         '(TDEBBoxHead) is a detector knob')
    cfg.load_from = args.checkpoint
    runner = build_runner(cfg)
    model = getattr(runner.model, 'module', runner.model)
    try:
        stages = len(tde_box_heads(model))
    except TypeError as err:
        raise TypeError(f'{args.config}: {err}') from err
    choice = choose_det_alpha(runner, args.values or DEFAULT_DET_ALPHAS)
    print(f'config: {args.config}\ncheckpoint: {args.checkpoint}\nsplit: '
          f'{args.ann_file or "the test split"}')
    print('\n'.join(detector_report(args, choice, stages)))
    return choice


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    """Score every value; print the tables and the choice, and return the choice."""
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    head_type, default_values = KNOBS[args.knob]
    cfg = load_config(args)
    cfg.test_dataloader.persistent_workers = False
    if args.ann_file:
        use_test_split(cfg, args.ann_file)
    if 'roi_head' in cfg.model:
        return detector_sweep(args, cfg)
    runner = build_runner(cfg)
    runner.load_checkpoint(args.checkpoint, map_location='cpu')
    model = getattr(runner.model, 'module', runner.model)
    if not isinstance(model.head, head_type):
        raise TypeError(f'{args.config}: model.head is {type(model.head).__name__}; '
                        f'--knob {args.knob} needs a {head_type.__name__}')
    feats, labels = collect_features(model, runner.test_dataloader)
    values = args.values or default_values
    if args.knob == 'alpha':
        choice = choose_alpha(model.head, feats, labels, values)
    else:
        choice = choose_tau_norm(model.head, feats, labels, values, args.keep_bias)
    split = args.ann_file or cfg.test_dataloader.dataset.get('ann_file', 'test split')
    print(f'config: {args.config}\ncheckpoint: {args.checkpoint}\nsplit: {split} '
          f'({labels.numel()} samples)')
    print('\n'.join(report(args, choice)))
    return choice


if __name__ == '__main__':
    main()
