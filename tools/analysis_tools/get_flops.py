"""Count the GFLOPs (multiply-accumulates, as in the RIDE and thop convention) of a config's model.

For RIDE models it prints the shared trunk, one expert, one classifier, one router and the
static (all experts) cost, plus the routed cost for the measured shares of samples that used
1..E experts (``--ea-share``, e.g. the ``ride/expert_share_k`` values of the test run)::

    python tools/analysis_tools/get_flops.py configs/ride/CONFIG.py --shape 32 32 \
        --ea-share 40.99 9.47 49.54
"""
import argparse

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope

from ltr_mm.utils.ride_macs import count_macs, ride_macs, routed_macs


def parse_args() -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description='GFLOPs of a model, with RIDE routing')
    parser.add_argument('config', help='config file')
    parser.add_argument('--shape', type=int, nargs=2, default=[224, 224],
                        help='input height and width (default 224 224; CIFAR: 32 32)')
    parser.add_argument('--channels', type=int, default=3, help='input channels')
    parser.add_argument('--ea-share', type=float, nargs='+', default=None,
                        help='share (or percentage) of samples using 1..E experts')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config settings, key=value')
    return parser.parse_args()


def main() -> None:
    """Build the model on the CPU and print its GFLOPs."""
    args = parse_args()
    import ltr_mm  # noqa: F401  (registers the ltr_mm modules)
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    scope = cfg.get('default_scope', 'mmpretrain')
    registry = __import__(f'{scope}.registry', fromlist=['MODELS'])
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model)
    model.eval()
    shape = (args.channels, *args.shape)
    print(f'config: {args.config}\ninput: 1x{shape[0]}x{shape[1]}x{shape[2]}')
    if not hasattr(model.backbone, 'forward_trunk'):
        x = torch.zeros(1, *shape)
        macs = count_macs(model, lambda: model(x, mode='tensor'))
        print(f'GFLOPs: {macs / 1e9:.4f}')
        return
    parts = ride_macs(model, shape)
    for key in ('trunk', 'expert', 'classifier', 'router'):
        print(f'{key:>10s} GFLOPs: {parts[key] / 1e9:.4f}')
    print(f'all {parts["num_experts"]} experts, no routing GFLOPs: '
          f'{parts["all_experts"] / 1e9:.4f}')
    if args.ea_share is not None:
        print(f'routed (share {args.ea_share}) GFLOPs: '
              f'{routed_macs(parts, args.ea_share) / 1e9:.4f}')


if __name__ == '__main__':
    main()
