"""Train a detector or classifier from an ltr_mm (or any mmdet / mmpretrain) config.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
                          [--cfg-options k=v ...] [--launcher none|pytorch|slurm]

Multi-process: ``tools/dist_train.sh CONFIG N`` (torchrun; gloo on CPU-only machines), on a
Slurm cluster ``tools/slurm_train.sh PARTITION JOB CONFIG WORK_DIR`` (srun). A distributed run
ends by destroying its process group (see :func:`ltr_mm.utils.cli.finish_distributed`).

The run is the one the config describes (its ``train_cfg`` included; the epoch-based ltr_mm
configs name ``ResumableEpochBasedTrainLoop`` in their schedules), so mmdet's or mmpretrain's
own ``tools/train.py`` and ``mim train`` give the same run.
"""
import argparse

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.utils.cli import add_common_args, build_runner, finish_distributed, load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model with an ltr_mm config')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from CKPT, or without a value from the latest checkpoint in the work dir')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--auto-scale-lr', action='store_true',
        help='scale the lr by the actual / base batch size (config `auto_scale_lr`)')
    add_common_args(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = load_config(args)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise RuntimeError(f'{args.config}: --auto-scale-lr needs '
                               '`auto_scale_lr = dict(base_batch_size=...)` in the config')
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    runner = build_runner(cfg)
    runner.train()
    del runner  # its DDP model holds the process group
    finish_distributed()


if __name__ == '__main__':
    main()
