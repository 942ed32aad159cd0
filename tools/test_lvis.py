"""Test a checkpoint with an LVIS protocol and print the results table per iou type.

    python tools/test_lvis.py CONFIG CKPT --eval bbox segm [boundary] [--out results.pkl]
                              [--protocol standard|fixed|challenge2021]
                              [--max-dets N] [--max-dets-per-cat K]
                              [--segm-area mask|box] [--classwise] [--work-dir DIR]
                              [--cfg-options k=v ...] [--launcher none|pytorch]

The config's test evaluator is replaced by ``FastLVISMetric`` on the test dataset's
annotation file (``data_root + ann_file``), for the iou types named by ``--eval`` and the
protocol of ``--protocol`` (caps overridable with ``--max-dets`` / ``--max-dets-per-cat``).
Without a per-image cap (``fixed``, ``challenge2021``) the detector's ``test_cfg`` is
uncapped as ``configs/_base_/lvis_fixed_ap.py`` says, and the metric keeps only the
per-category top K over the test set. Bad input prints one line and exits with status 2.
``--out``
pickles the raw per-image results, which ``tools/eval_lvis.py ANN results.pkl`` re-scores
without the model. The AP-by-frequency plot goes to ``WORK_DIR/ap_by_frequency.png``.
Multi-process: ``tools/dist_test.sh``-style launch with ``--launcher pytorch``.
"""
import argparse
import os.path as osp
from typing import Any

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.evaluation.fixed_ap_cfg import uncap_test_cfg
from ltr_mm.evaluation.functional import NO_CAP, print_lvis_results, resolve_protocol
from ltr_mm.utils.bad_input import exit_on_bad_input
from ltr_mm.utils.cli import (
    add_common_args,
    build_runner,
    dataset_path,
    finish_distributed,
    load_config,
    test_dataset_cfg,
)


def parse_args() -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='Test a detector with the LVIS protocol')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--eval', nargs='+', required=True,
                        choices=['bbox', 'segm', 'boundary', 'proposal'],
                        help='iou types to evaluate, e.g. --eval bbox segm')
    parser.add_argument('--protocol', choices=['standard', 'fixed', 'challenge2021'],
                        default='standard', help='standard: 300 per image; fixed: 10000 per '
                        'category, no per-image cap; challenge2021: fixed with boundary IoU')
    parser.add_argument('--max-dets', type=int, help='detections per image (-1: no cap)')
    parser.add_argument('--max-dets-per-cat', type=int,
                        help='detections per category over the test set (-1: no cap)')
    parser.add_argument('--out', help='pickle the raw results here (.pkl / .pickle)')
    parser.add_argument('--segm-area', choices=['mask', 'box'], default=None,
                        help='detection area of the mask size split (default: box, as the '
                        'official code does for results that carry boxes)')
    parser.add_argument('--classwise', action='store_true', help='log per-category AP')
    add_common_args(parser)
    return parser.parse_args()


def test_ann_file(cfg: Any, config_path: str) -> str:
    """``data_root + ann_file`` of the test dataset (looking through dataset wrappers)."""
    dataset = test_dataset_cfg(cfg)
    if not dataset.get('ann_file'):
        raise ValueError(f'{config_path}: test_dataloader.dataset has no "ann_file"; '
                         'FastLVISMetric needs the LVIS annotation file')
    return dataset_path(dataset, dataset.ann_file)


def run(args: argparse.Namespace) -> None:
    """Swap in FastLVISMetric, run the test loop, print the tables on rank 0."""
    protocol = resolve_protocol(args.protocol, args.max_dets, args.max_dets_per_cat)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    if args.out is not None and not args.out.endswith(('.pkl', '.pickle')):
        raise ValueError(f'--out must name a .pkl or .pickle file, got {args.out}')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if protocol.max_dets == NO_CAP:
        uncap_test_cfg(cfg, args.config)
        print(f'{protocol.name} protocol: model.test_cfg.rcnn.max_per_img = -1 (no per-image '
              'cap, configs/_base_/lvis_fixed_ap.py)', flush=True)
    cfg.test_evaluator = dict(
        type='FastLVISMetric', ann_file=test_ann_file(cfg, args.config), metric=args.eval,
        protocol=args.protocol, max_dets=protocol.max_dets,
        max_dets_per_cat=protocol.max_dets_per_cat, segm_area=args.segm_area or 'auto',
        classwise=args.classwise, results_file=args.out,
        plot_file=osp.join(cfg.work_dir, 'ap_by_frequency.png'),
        backend_args=cfg.test_dataloader.dataset.get('backend_args'))
    runner = build_runner(cfg)
    metrics = runner.test()
    del runner  # its DDP model holds the process group (see finish_distributed)
    from mmengine.dist import is_main_process
    if is_main_process():
        print_lvis_results(metrics, max_dets=protocol.max_dets,
                           max_dets_per_cat=protocol.max_dets_per_cat, protocol=protocol.name)
    finish_distributed()


def main() -> None:
    """Run the tool; bad input prints one line and exits with status 2 (no traceback)."""
    args = parse_args()
    exit_on_bad_input('test_lvis.py', lambda: run(args))


if __name__ == '__main__':
    main()
