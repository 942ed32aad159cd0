"""Show the BAGS groups of an LVIS-format annotation file and export the group tables.

Usage::

    python tools/analysis_tools/bags_groups.py data/lvis_v0.5/annotations/lvis_v0.5_train.json
    python tools/analysis_tools/bags_groups.py ANN --bins 100 --export out/ --pt

Groups use the per-class training instance counts (``instance_count``, or counted annotations
when the field is missing), labels in category-id order, exactly as ``BAGSLoss`` does. The
export writes ``bags_groups.json`` with the ltr_mm tables (mmdet 3.x labels, background last)
and the seed's tables (``label2binlabel`` / ``pred_slice`` with the background group first,
labels shifted by one, and ``valsplit`` by group name); ``--pt`` also writes
``label2binlabel.pt``, ``pred_slice_with0.pt`` (seed layout) and ``ltr_mm_tables.pt``.
"""
import argparse
import json
import os
import os.path as osp

import torch

from ltr_mm.models.functional.group_softmax import build_group_tables, original_layout
from ltr_mm.utils.class_stats import ClassStats


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann', help='LVIS-format training annotation json')
    parser.add_argument('--bins', type=float, nargs='+', default=[10, 100, 1000],
                        help='instance-count group edges (default: 10 100 1000)')
    parser.add_argument('--export', metavar='DIR', help='write the tables into DIR')
    parser.add_argument('--pt', action='store_true', help='also write torch tensors')
    parser.add_argument('--max-names', type=int, default=8,
                        help='class names printed per group (default: 8)')
    return parser.parse_args(argv)


def category_names(ann):
    with open(ann) as f:
        cats = sorted(json.load(f)['categories'], key=lambda c: c['id'])
    return [c['name'] for c in cats], [c['id'] for c in cats]


def main(argv=None):
    args = parse_args(argv)
    bins = [int(b) if float(b).is_integer() else b for b in args.bins]
    counts = list(ClassStats.from_file(args.ann).counts)
    names, cat_ids = category_names(args.ann)
    tables = build_group_tables(counts, bins)
    print(f'{len(counts)} classes, {tables.num_fg_groups} groups, fc_cls width '
          f'{tables.num_channels} (classes + groups + 2)')
    slices = tables.pred_slice.tolist()
    for k, (name, labels) in enumerate(zip(tables.group_names(), tables.group_labels)):
        group_counts = [counts[i] for i in labels]
        span = f'{min(group_counts)}..{max(group_counts)}' if labels else '-'
        shown = ', '.join(names[i] for i in labels[:args.max_names])
        more = f', ... (+{len(labels) - args.max_names})' if len(labels) > args.max_names else ''
        print(f'group {k} {name:>14}: {len(labels):5d} classes, instances {span:>13}, '
              f'logits {slices[k][0]}..{sum(slices[k]) - 1}: {shown}{more}')
    print(f'background group: logits {slices[-1][0]}..{sum(slices[-1]) - 1} (fg, bg)')
    if args.export:
        export(args, tables, cat_ids, counts, names)


def export(args, tables, cat_ids, counts, names):
    os.makedirs(args.export, exist_ok=True)
    seed = original_layout(tables)
    record = dict(
        ann_file=args.ann, bins=list(tables.bins), num_classes=tables.num_classes,
        classes=names, category_ids=cat_ids, instance_counts=counts,
        ltr_mm=dict(label2binlabel=tables.label2binlabel.tolist(),
                    pred_slice=tables.pred_slice.tolist(),
                    group_labels=dict(zip(tables.group_names(), tables.group_labels))),
        original=dict(label2binlabel=seed['label2binlabel'].tolist(),
                      pred_slice=seed['pred_slice'].tolist(),
                      valsplit=seed['valsplit']))
    path = osp.join(args.export, 'bags_groups.json')
    with open(path, 'w') as f:
        json.dump(record, f)
    print(f'wrote {path}')
    if args.pt:
        torch.save(seed['label2binlabel'], osp.join(args.export, 'label2binlabel.pt'))
        torch.save(seed['pred_slice'], osp.join(args.export, 'pred_slice_with0.pt'))
        torch.save(dict(label2binlabel=tables.label2binlabel, pred_slice=tables.pred_slice),
                   osp.join(args.export, 'ltr_mm_tables.pt'))
        print(f'wrote label2binlabel.pt, pred_slice_with0.pt, ltr_mm_tables.pt in {args.export}')


if __name__ == '__main__':
    main()
