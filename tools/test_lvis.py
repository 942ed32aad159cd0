"""Test a checkpoint with the LVIS protocol and print the results table per iou type.

    python tools/test_lvis.py CONFIG CKPT --eval bbox segm [--out results.pkl]
                              [--segm-area mask|box] [--classwise] [--work-dir DIR]
                              [--cfg-options k=v ...] [--launcher none|pytorch]

The config's test evaluator is replaced by ``FastLVISMetric`` on the test dataset's
annotation file (``data_root + ann_file``), for the iou types named by ``--eval``. ``--out``
pickles the raw per-image results, which ``tools/eval_lvis.py ANN results.pkl`` re-scores
without the model. The AP-by-frequency plot goes to ``WORK_DIR/ap_by_frequency.png``.
Multi-process: ``tools/dist_test.sh``-style launch with ``--launcher pytorch``.
"""
import argparse
import os.path as osp
from typing import Any

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.evaluation.functional import print_lvis_results
from ltr_mm.utils.cli import (add_common_args, build_runner, dataset_path, finish_distributed,
                              load_config, test_dataset_cfg)


def parse_args() -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='Test a detector with the LVIS protocol')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--eval', nargs='+', required=True, choices=['bbox', 'segm', 'proposal'],
                        help='iou types to evaluate, e.g. --eval bbox segm')
    parser.add_argument('--out', help='pickle the raw results here (.pkl / .pickle)')
    parser.add_argument('--segm-area', choices=['mask', 'box'], default='mask',
                        help='detection area of the segm size split (default: mask)')
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


def main() -> None:
    """Swap in FastLVISMetric, run the test loop, print the tables on rank 0."""
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    if args.out is not None and not args.out.endswith(('.pkl', '.pickle')):
        raise ValueError(f'--out must name a .pkl or .pickle file, got {args.out}')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    cfg.test_evaluator = dict(
        type='FastLVISMetric', ann_file=test_ann_file(cfg, args.config), metric=args.eval,
        segm_area=args.segm_area, classwise=args.classwise, results_file=args.out,
        plot_file=osp.join(cfg.work_dir, 'ap_by_frequency.png'),
        backend_args=cfg.test_dataloader.dataset.get('backend_args'))
    runner = build_runner(cfg)
    metrics = runner.test()
    del runner  # its DDP model holds the process group (see finish_distributed)
    from mmengine.dist import is_main_process
    if is_main_process():
        print_lvis_results(metrics, segm_area=args.segm_area)
    finish_distributed()


if __name__ == '__main__':
    main()
