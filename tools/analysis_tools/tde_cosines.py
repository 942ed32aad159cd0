"""How TDE inference moves each class's score, from a trained TDE detector and its test set.

    python tools/analysis_tools/tde_cosines.py CONFIG CKPT [--max-images 200] [--stage 0]
                                               [--work-dir DIR] [--cfg-options k=v ...]

TDE lowers class ``c``'s logit on a RoI by ``alpha * sum_k cos_k * s_ck``, with ``cos_k`` the
RoI feature's cosine with the moving average in head ``k`` and ``s_ck = tau / K <d^_k, w^_ck>``
(:func:`~ltr_mm.models.functional.tde_logit_shift`). The box head of ``--stage`` scores two kinds
of RoIs of the first ``--max-images`` test images: the ground-truth boxes, and the RPN
proposals the detector scores at test time (mostly background). Per class it prints ``s_c``
(the sum over heads), the mean cosine of the class's own ground-truth RoIs, and the mean logit
drop per unit alpha on its own ground-truth RoIs and on the proposals. A class whose drop is
lower (more negative) on the proposals than on its own objects gains more score on background
than on its objects, so TDE lowers its precision at a fixed recall. The last lines give the
mean cosine over the proposals and the label-free ``alpha = 1 / mean cos``.

Cascade / HTC stages after the first score refined boxes at test time; here every stage sees
the same ground-truth boxes and RPN proposals.
"""
import argparse
import os.path as osp
from typing import Dict, List, Optional

import torch

import ltr_mm  # noqa: F401  (version window check and registration, before anything else)
from ltr_mm.models.functional import head_cosines, heuristic_alpha, tde_logit_shift
from ltr_mm.utils.cli import (
    add_common_args,
    build_runner,
    dataset_path,
    load_config,
    test_dataset_cfg,
)
from ltr_mm.utils.json_section import read_json_section


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='TDE score shifts per class and RoI kind')
    parser.add_argument('config', help='config of a detector with a TDEBBoxHead')
    parser.add_argument('checkpoint', help='trained checkpoint (holds the moving average)')
    parser.add_argument('--max-images', type=int, default=200,
                        help='test images to read (default 200)')
    parser.add_argument('--stage', type=int, default=0, help='cascade stage (default 0)')
    add_common_args(parser)
    return parser.parse_args(argv)


def stage_modules(roi_head, stage: int):
    """The RoI feature extractor and box head of ``stage``."""
    head, extractor = roi_head.bbox_head, roi_head.bbox_roi_extractor
    if isinstance(head, torch.nn.ModuleList):
        if not 0 <= stage < len(head):
            raise ValueError(f'--stage {stage}: the RoI head has {len(head)} stages')
        head, extractor = head[stage], extractor[stage]
    elif stage != 0:
        raise ValueError(f'--stage {stage}: the RoI head has a single stage')
    for name in ('mean_feat', 'cls_feat', 'num_heads'):
        if not hasattr(head, name):
            raise TypeError(f'{type(head).__name__} is not a TDE box head (no "{name}")')
    return extractor, head


@torch.no_grad()
def collect(model, loader, stage: int, max_images: int) -> Dict[str, torch.Tensor]:
    """Box-head features of the ground-truth boxes (with labels) and of the RPN proposals."""
    from mmdet.structures.bbox import bbox2roi
    extractor, head = stage_modules(model.roi_head, stage)
    gt_feats, gt_labels, prop_feats, seen = [], [], [], 0
    for data in loader:
        data = model.data_preprocessor(data, False)
        samples = data['data_samples']
        x = model.extract_feat(data['inputs'])
        levels = x[:extractor.num_inputs]
        gt_rois = bbox2roi([s.gt_instances.bboxes for s in samples])
        gt_feats.append(head.cls_feat(extractor(levels, gt_rois)))
        gt_labels.append(torch.cat([s.gt_instances.labels for s in samples]))
        proposals = model.rpn_head.predict(x, samples, rescale=False)
        prop_rois = bbox2roi([p.bboxes for p in proposals])
        prop_feats.append(head.cls_feat(extractor(levels, prop_rois)))
        seen += len(samples)
        if seen >= max_images:
            break
    return dict(gt=torch.cat(gt_feats), labels=torch.cat(gt_labels),
                proposals=torch.cat(prop_feats), images=torch.tensor(seen))


def shift_table(feats: Dict[str, torch.Tensor], head, num_classes: int) -> Dict[str, torch.Tensor]:
    """Per class: ``s_c``, own-RoI count and mean cosine, mean drop on own RoIs and proposals.

    The drop of class ``c`` on a RoI is ``sum_k cos_k s_ck`` (TDE logit change per unit alpha,
    with the sign of a decrease). Classes without ground-truth RoIs get NaN own-RoI values.
    """
    shift = tde_logit_shift(head.fc_cls.weight.detach().float(), head.mean_feat.float(),
                            head.num_heads, head.tau, head.gamma)[:num_classes]
    cos_gt = head_cosines(feats['gt'].float(), head.mean_feat.float(), head.num_heads)
    cos_prop = head_cosines(feats['proposals'].float(), head.mean_feat.float(), head.num_heads)
    labels = feats['labels']
    count = torch.bincount(labels, minlength=num_classes)[:num_classes].float()
    onehot = torch.nn.functional.one_hot(labels, num_classes).float().T  # (C, N)
    own_cos = onehot @ cos_gt.mean(dim=1) / count
    own_drop = (onehot * (cos_gt @ shift.T).T).sum(dim=1) / count
    return dict(shift=shift.sum(dim=1), count=count, own_cos=own_cos, own_drop=own_drop,
                prop_drop=(cos_prop @ shift.T).mean(dim=0),
                prop_cos=cos_prop.mean(dim=1).mean())


def format_table(table: Dict[str, torch.Tensor], names: List[str], groups: List[str],
                 num_proposals: int, num_images: int) -> List[str]:
    """The printed lines."""
    lines = [f'{"class":<20s} {"group":>5s} {"s_c":>8s} {"GT RoIs":>8s} {"cos GT":>7s} '
             f'{"drop GT":>8s} {"drop proposals":>15s}']
    for c, name in enumerate(names):
        lines.append(f'{name:<20s} {groups[c]:>5s} {table["shift"][c]:+8.3f} '
                     f'{int(table["count"][c]):8d} {table["own_cos"][c]:7.3f} '
                     f'{table["own_drop"][c]:+8.3f} {table["prop_drop"][c]:+15.3f}')
    mean_cos = float(table['prop_cos'])
    lines += [f'{num_proposals} RPN proposals of {num_images} test images: mean cosine with '
              f'the moving average {mean_cos:.4f}',
              f'label-free alpha = 1 / mean cos = {heuristic_alpha(mean_cos):.4f}']
    return lines


def test_ann_groups(cfg, num_classes: int) -> List[str]:
    """LVIS ``frequency`` (r / c / f) of each class from the test annotation file, or '-'."""
    dataset = test_dataset_cfg(cfg)
    ann_file = dataset_path(dataset, dataset.ann_file) if dataset.get('ann_file') else ''
    cats = read_json_section(ann_file, 'categories') if osp.isfile(ann_file) else None
    if not isinstance(cats, list) or len(cats) != num_classes:
        return ['-'] * num_classes
    return [str(c.get('frequency', '-')) for c in sorted(cats, key=lambda c: c['id'])]


def main(argv: Optional[List[str]] = None) -> None:
    """Load the checkpoint, read the test images, print the table."""
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {args.checkpoint}')
    if args.max_images < 1:
        raise ValueError(f'--max-images must be positive, got {args.max_images}')
    cfg = load_config(args)
    cfg.test_dataloader.persistent_workers = False
    runner = build_runner(cfg)
    runner.load_checkpoint(args.checkpoint, map_location='cpu')
    model = getattr(runner.model, 'module', runner.model).eval()
    _, head = stage_modules(model.roi_head, args.stage)
    feats = collect(model, runner.test_dataloader, args.stage, args.max_images)
    num_classes = head.num_classes
    names = list(runner.test_dataloader.dataset.metainfo.get('classes', range(num_classes)))
    table = shift_table(feats, head, num_classes)
    print(f'config: {args.config}\ncheckpoint: {args.checkpoint}\nstage: {args.stage}, '
          f'{head.num_heads} heads, tau {head.tau:g}, gamma {head.gamma:g}')
    print('\n'.join(format_table(table, [str(n) for n in names],
                                 test_ann_groups(cfg, num_classes),
                                 feats['proposals'].size(0), int(feats['images']))))


if __name__ == '__main__':
    main()
