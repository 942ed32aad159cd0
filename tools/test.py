"""Evaluate a checkpoint with the ``test_evaluator`` of its config.

    python tools/test.py CONFIG CKPT [--work-dir DIR] [--out results.pkl]
                         [--cfg-options k=v ...] [--launcher none|pytorch|slurm]

LVIS users who want the ``--eval bbox segm`` interface use ``tools/test_lvis.py``.
"""
import argparse
import os.path as osp

from mmengine.dist import is_main_process

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.evaluation.shot_table import format_shot_table
from ltr_mm.utils.cli import (
    add_common_args,
    build_runner,
    finish_distributed,
    format_metrics,
    load_config,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a checkpoint with an ltr_mm config')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump the raw predictions to this pickle file')
    add_common_args(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--out must name a .pkl or .pickle file, got {args.out}')
        dump = dict(type='DumpResults', out_file_path=args.out)
        evaluator = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluator) if isinstance(evaluator, (list, tuple))
                              else [evaluator]) + [dump]
    metrics = build_runner(cfg).test()
    if is_main_process():
        print(format_metrics(metrics), flush=True)
        if 'shot/top1' in metrics:
            print('\nTop-1 accuracy (%) by training-set frequency:', flush=True)
            print(format_shot_table(metrics), flush=True)
    finish_distributed()


if __name__ == '__main__':
    main()
