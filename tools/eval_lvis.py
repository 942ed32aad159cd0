"""Re-evaluate saved detections on an LVIS annotation file, without the model.

    python tools/eval_lvis.py ANN RESULTS --eval bbox segm [boundary] [--out-json metrics.json]
                              [--protocol standard|fixed|challenge2021]
                              [--max-dets N] [--max-dets-per-cat K]
                              [--segm-area mask|box] [--classwise] [--plot ap.png]

RESULTS is the raw results pickle of ``tools/test_lvis.py --out`` (or an mmdet
``DumpDetResults`` pickle) or an LVIS/COCO results json. ``--protocol`` picks the caps:
``standard`` 300 detections per image, ``fixed`` (Fixed AP) no per-image cap and 10,000 per
category, ``challenge2021`` Fixed AP with ``segm`` matched by Boundary IoU; ``--max-dets``
and ``--max-dets-per-cat`` (``-1``: no cap) override the preset. Masks split sizes by box
area when the results carry boxes (json records with ``bbox``, raw results) and by mask
area when they carry masks only, as the official code does; ``--segm-area`` overrides.

The markdown tables are printed, titled with the protocol, the caps and the area;
``--out-json`` writes one object per iou type, ``{"bbox": {"AP": ..., "AR@300": ...}, ...}``
with the keys AP, AP50, AP75, APs, APm, APl, APr, APc, APf and ``AR@<caps>`` (``AR@300``,
``AR@10000/cat``, ``AR@300/im,10000/cat``), and the AP-by-frequency PNG next to it (or to
``--plot``). Bad input (missing or truncated files, wrong field types, unknown image or
category ids, empty results, ground-truth polygons with fewer than 3 points) prints one
line naming the file, the record and the field, and exits with status 2.

Scoring needs only numpy and faster-coco-eval: ``ltr_mm.evaluation.functional`` imports
neither torch nor any OpenMMLab framework.
"""
import argparse
import json
import os.path as osp
import time
from types import ModuleType
from typing import Any

from ltr_mm.evaluation import functional
from ltr_mm.utils.bad_input import exit_on_bad_input

AP_KEYS = ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf')
PROTOCOL_NAMES = ('standard', 'fixed', 'challenge2021')


def cap(text: str) -> int:
    """A ``--max-dets`` / ``--max-dets-per-cat`` value: ``-1`` (no cap) or positive."""
    value = int(text)
    if value != -1 and value < 1:
        raise argparse.ArgumentTypeError(f'must be -1 (no cap) or a positive integer, got '
                                         f'{text}')
    return value


def parse_args() -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='Evaluate saved detections with the LVIS '
                                     'protocols (exact official numbers, faster-coco-eval speed)')
    parser.add_argument('ann_file', help='LVIS-format annotation json')
    parser.add_argument('results', help='raw results .pkl from tools/test_lvis.py --out, or '
                        'an LVIS/COCO results .json')
    parser.add_argument('--eval', nargs='+', default=['bbox'],
                        choices=['bbox', 'segm', 'boundary', 'proposal'],
                        help='iou types to evaluate')
    parser.add_argument('--protocol', choices=PROTOCOL_NAMES, default='standard',
                        help='standard: 300 per image; fixed: 10000 per category, no per-image '
                        'cap; challenge2021: fixed with boundary IoU for masks')
    parser.add_argument('--max-dets', type=cap, help='detections per image (-1: no cap; '
                        'default: from --protocol)')
    parser.add_argument('--max-dets-per-cat', type=cap, help='detections per category over '
                        'the dataset (-1: no cap; default: from --protocol)')
    parser.add_argument('--out-json', help='write the metrics as json here')
    parser.add_argument('--segm-area', choices=['mask', 'box'], default=None,
                        help='detection area of the mask size split (default: box if the '
                        'results carry boxes, else mask)')
    parser.add_argument('--dilation-ratio', type=float, default=0.02,
                        help='boundary width of boundary IoU, fraction of the image diagonal')
    parser.add_argument('--proposal-nums', type=int, nargs='+', default=[100, 300, 1000])
    parser.add_argument('--classwise', action='store_true', help='print per-category AP')
    parser.add_argument('--plot', help='AP-by-frequency PNG (default: next to --out-json)')
    return parser.parse_args()


def load_results(fn: ModuleType, args: argparse.Namespace, gt: Any) -> tuple:
    """Ground truth, detections and mask scores (for segm) from a results json or pickle.

    A raw pickle holds one record per tested image, so the ground truth is restricted to
    those images (a run on a dataset subset stays a subset score). A json lists only
    detections, so every image of the annotation file is evaluated. Either way an image id
    that the annotation file does not have is an error naming the results file, the field
    and the value.
    """
    with_masks = bool({'segm', 'boundary'} & set(args.eval))
    if args.results.endswith(('.pkl', '.pickle')):
        if not osp.isfile(args.results):
            raise FileNotFoundError(f'results file not found: {args.results}')
        records, label_map = fn.load_raw_results(args.results, gt.label_to_cat_id)
        img_ids = [r['img_id'] for r in records]
        fn.check_result_image_ids(gt.dataset, img_ids, args.results, args.ann_file, 'img_id')
        gt = gt.subset(img_ids)
        return (gt, ) + fn.detections_from_records(records, label_map, with_masks,
                                                   args.ann_file)
    dets = fn.load_detections(args.results, with_bbox=True, with_masks=with_masks)
    if len(dets) == 0:
        raise ValueError(f'{args.results}: the results list is empty (no detections to score)')
    fn.check_result_image_ids(gt.dataset, dets.image_ids, args.results, args.ann_file)
    fn.check_result_category_ids(gt.cat_ids, dets.category_ids, args.results, args.ann_file)
    return gt, dets, dets.scores if with_masks else None


def run(args: argparse.Namespace) -> None:
    """Load, score, print the tables, write the json and the plot."""
    fn = functional
    protocol = fn.resolve_protocol(args.protocol, args.max_dets, args.max_dets_per_cat)
    start = time.perf_counter()
    gt = fn.LVISGroundTruth.from_file(args.ann_file)
    gt, dets, mask_scores = load_results(fn, args, gt)
    segm_area = args.segm_area or fn.results_segm_area(dets)
    loaded = time.perf_counter()
    nested, full = {}, {}
    suffix = fn.recall_suffix(protocol.max_dets, protocol.max_dets_per_cat)
    for iou_type in protocol.iou_types(args.eval):
        if iou_type == 'proposal':
            full[iou_type] = nested[iou_type] = fn.evaluate_proposals(gt, dets,
                                                                      args.proposal_nums)
            continue
        result = fn.evaluate_lvis(gt, dets if iou_type == 'bbox' else
                                  dets.with_scores(mask_scores), iou_type, segm_area,
                                  protocol.max_dets, protocol.max_dets_per_cat,
                                  args.dilation_ratio)
        full[iou_type] = dict(result.metrics)
        keys = AP_KEYS + (f'AR@{suffix}', )
        nested[iou_type] = {k: result.metrics[k] for k in keys if k in result.metrics}
        if iou_type != 'bbox':
            full[iou_type]['area'] = segm_area
        if args.classwise:
            print(f'### per-category {iou_type} AP\n' +
                  fn.category_table(result.categories, result.per_category_ap) + '\n')
    done = time.perf_counter()
    fn.print_lvis_results(full, segm_area=segm_area, max_dets=protocol.max_dets,
                          max_dets_per_cat=protocol.max_dets_per_cat, protocol=protocol.name)
    print(f'\nloaded {len(gt.images)} images / {len(dets)} detections in {loaded - start:.2f} s,'
          f' evaluated in {done - loaded:.2f} s', flush=True)
    if args.out_json:
        with open(args.out_json, 'w') as f:
            json.dump(nested, f, indent=2)
        print(f'metrics written to {args.out_json}')
    plot = args.plot or (args.out_json and osp.splitext(args.out_json)[0] + '.ap_by_frequency.png')
    if plot and {'bbox', 'segm', 'boundary'} & set(full):
        print(f'AP by frequency plot written to {fn.plot_ap_by_frequency(full, plot)}')


def main() -> None:
    """Run the tool; bad input prints one line and exits with status 2 (no traceback)."""
    args = parse_args()
    exit_on_bad_input('eval_lvis.py', lambda: run(args))


if __name__ == '__main__':
    main()
