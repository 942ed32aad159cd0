"""Re-evaluate saved detections on an LVIS annotation file, without the model.

    python tools/eval_lvis.py ANN RESULTS --eval bbox segm [--out-json metrics.json]
                              [--segm-area mask|box] [--classwise] [--plot ap.png]

RESULTS is the raw results pickle of ``tools/test_lvis.py --out`` (or an mmdet
``DumpDetResults`` pickle) or an LVIS/COCO results json. The markdown tables are printed;
``--out-json`` writes ``{"bbox": {"AP": ..., "AR@300": ...}, "segm": {...}}`` with exactly
the keys AP, AP50, AP75, APs, APm, APl, APr, APc, APf, AR@300 per iou type, and the
AP-by-frequency PNG next to it (or to ``--plot``).

Scoring needs only numpy and faster-coco-eval: ``ltr_mm.evaluation.functional`` imports
neither torch nor any OpenMMLab framework.
"""
import argparse
import json
import os.path as osp
import sys
import time
from typing import Any

from ltr_mm.evaluation import functional as fn

JSON_KEYS = ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'APr', 'APc', 'APf', 'AR@300')


def parse_args() -> argparse.Namespace:
    """Command line of the tool (see the module docstring)."""
    parser = argparse.ArgumentParser(description='Evaluate saved detections with the LVIS '
                                     'protocol (exact lvis-api numbers, faster-coco-eval speed)')
    parser.add_argument('ann_file', help='LVIS-format annotation json')
    parser.add_argument('results', help='raw results .pkl from tools/test_lvis.py --out, or '
                        'an LVIS/COCO results .json')
    parser.add_argument('--eval', nargs='+', default=['bbox'],
                        choices=['bbox', 'segm', 'proposal'], help='iou types to evaluate')
    parser.add_argument('--out-json', help='write the metrics as json here')
    parser.add_argument('--segm-area', choices=['mask', 'box'], default='mask',
                        help='detection area of the segm size split (default: mask)')
    parser.add_argument('--max-dets', type=int, default=300, help='detections per image')
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
    with_masks = 'segm' in args.eval
    if args.results.endswith(('.pkl', '.pickle')):
        records, label_map = fn.load_raw_results(args.results, gt.label_to_cat_id)
        img_ids = [r['img_id'] for r in records]
        fn.check_result_image_ids(gt.dataset, img_ids, args.results, args.ann_file, 'img_id')
        gt = gt.subset(img_ids)
        return (gt, ) + fn.detections_from_records(records, label_map, with_masks,
                                                   args.ann_file)
    with_bbox = bool({'bbox', 'proposal'} & set(args.eval)) or args.segm_area == 'box'
    dets = fn.load_detections(args.results, with_bbox=with_bbox, with_masks=with_masks)
    fn.check_result_image_ids(gt.dataset, dets.image_ids, args.results, args.ann_file)
    return gt, dets, dets.scores if with_masks else None


def main() -> None:
    """Load, score, print the tables, write the json and the plot."""
    args = parse_args()
    start = time.perf_counter()
    gt = fn.LVISGroundTruth.from_file(args.ann_file)
    gt, dets, mask_scores = load_results(fn, args, gt)
    loaded = time.perf_counter()
    nested, full = {}, {}
    for iou_type in args.eval:
        if iou_type == 'proposal':
            full[iou_type] = nested[iou_type] = fn.evaluate_proposals(gt, dets,
                                                                      args.proposal_nums)
            continue
        result = fn.evaluate_lvis(gt, dets if iou_type == 'bbox' else
                                  dets.with_scores(mask_scores), iou_type, args.segm_area,
                                  args.max_dets)
        full[iou_type] = result.metrics
        nested[iou_type] = {k: result.metrics[k] for k in JSON_KEYS if k in result.metrics}
        if args.classwise:
            print(f'### per-category {iou_type} AP\n' +
                  fn.category_table(result.categories, result.per_category_ap) + '\n')
    done = time.perf_counter()
    fn.print_lvis_results(full, segm_area=args.segm_area, max_dets=args.max_dets)
    print(f'\nloaded {len(gt.images)} images / {len(dets)} detections in {loaded - start:.2f} s,'
          f' evaluated in {done - loaded:.2f} s', flush=True)
    if args.out_json:
        with open(args.out_json, 'w') as f:
            json.dump(nested, f, indent=2)
        print(f'metrics written to {args.out_json}')
    plot = args.plot or (args.out_json and osp.splitext(args.out_json)[0] + '.ap_by_frequency.png')
    if plot and {'bbox', 'segm'} & set(full):
        print(f'AP by frequency plot written to {fn.plot_ap_by_frequency(full, plot)}')


if __name__ == '__main__':
    main()
