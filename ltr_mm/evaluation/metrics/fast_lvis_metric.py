"""``FastLVISMetric``: exact LVIS AP/AR on faster-coco-eval, for mmdet test/val loops."""
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
from faster_coco_eval.core import mask as mask_api
from mmengine.dist import broadcast_object_list, collect_results, is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.fileio import get_local_path, load
from mmengine.logging import MMLogger

from ltr_mm.registry import DET_METRICS, register

from ..functional import (
    DILATION_RATIO,
    NO_CAP,
    SEGM_AREAS,
    LVISGroundTruth,
    check_result_image_ids,
    detections_from_records,
    dump_detections_json,
    evaluate_lvis,
    evaluate_proposals,
    resolve_protocol,
    results_segm_area,
    save_raw_results,
    top_k_per_image,
)
from ..functional.lvis_table import category_table, format_lvis_results, plot_ap_by_frequency
from ..functional.lvis_topk import CategoryTopK

METRICS = ('bbox', 'segm', 'boundary', 'proposal')
MASK_METRICS = ('segm', 'boundary')


def _numpy(value: Any) -> np.ndarray:
    return value.detach().cpu().numpy() if hasattr(value, 'detach') else np.asarray(value)


def _encode_masks(masks: Any) -> List[bytes]:
    """Compressed RLE ``counts`` of ``(N, H, W)`` binary masks (tensor, array or RLE list)."""
    if isinstance(masks, (list, tuple)):
        return [m['counts'] if isinstance(m, dict) else m for m in masks]
    masks = _numpy(masks)
    return [mask_api.encode(np.asfortranarray(m, dtype=np.uint8))['counts'] for m in masks]


def _encoder(masks: Any) -> Any:
    """``encode(indices)`` -> RLE ``counts`` of those masks (only they are encoded)."""
    if isinstance(masks, (list, tuple)):
        return lambda index: _encode_masks([masks[i] for i in index.tolist()])
    return lambda index: _encode_masks(masks[index.tolist()])


@register(DET_METRICS)
class FastLVISMetric(BaseMetric):
    """LVIS box, mask, boundary and proposal evaluation, equal to the official code.

    Built on faster-coco-eval's LVIS mode with the adapters of
    :mod:`ltr_mm.evaluation.functional.lvis_eval`: the standard protocol equals lvis-api
    0.5.3, ``fixed`` and ``challenge2021`` equal the ``lvis_challenge_2021`` branch of
    lvis-api. Unlike mmdet's ``LVISMetric`` it runs on numpy 2 without ``lvis``/``cv2``,
    scores only the images it was given (a subset run is an honest subset score), evaluates
    proposals class-agnostically, keeps predictions as compact arrays and RLE bytes, and
    states the protocol, the caps and the size-split area in every table title.

    With a per-category cap (``fixed``, ``challenge2021``) the predictions are not kept
    whole: a :class:`~ltr_mm.evaluation.functional.lvis_topk.CategoryTopK` keeps, per
    category, only what can still be among the top ``max_dets_per_cat`` of the test set, and
    encodes masks only for detections that pass its running threshold. The detector's
    ``test_cfg`` must then keep more than 300 detections per image
    (``configs/_base_/lvis_fixed_ap.py``).

    Args:
        ann_file: LVIS-format annotation file of the evaluated split.
        metric: ``'bbox'``, ``'segm'``, ``'boundary'``, ``'proposal'`` or a list of them.
        classwise: log a per-category AP table with each category's frequency group.
        proposal_nums: proposals per image for ``AR@n``. Defaults to (100, 300, 1000).
        segm_area: detection area of the mask small/medium/large split: ``'auto'`` (the
            official rule; mmdet's predictions carry boxes, so the box ``w*h``), ``'box'``
            or ``'mask'`` (mask pixels, what results holding masks only get).
        protocol: ``'standard'`` (300 per image), ``'fixed'`` (no per-image cap, 10,000 per
            category) or ``'challenge2021'`` (fixed, with ``segm`` scored as ``boundary``).
        max_dets: detections per image that count (``-1``: none); overrides the protocol.
        max_dets_per_cat: detections per category over the test set (``-1``: none);
            overrides the protocol.
        dilation_ratio: boundary width of ``boundary``, a fraction of the image diagonal.
        format_only: only write ``{outfile_prefix}.bbox.json`` / ``.segm.json``.
        outfile_prefix: prefix of result json files and of the AP-by-frequency PNG
            (``{outfile_prefix}.ap_by_frequency.png``). Defaults to None (no files).
        plot_file: where to write the AP-by-frequency PNG; overrides the prefix rule.
        results_file: pickle the raw per-image results here (``tools/eval_lvis.py`` reads it).
        collect_device: ``'cpu'`` or ``'gpu'``, for gathering results across ranks.
        prefix: metric name prefix. Defaults to ``'lvis'``.
        backend_args: file backend arguments for ``ann_file``.
    """

    default_prefix: Optional[str] = 'lvis'

    def __init__(self, ann_file: str, metric: Union[str, Sequence[str]] = 'bbox',
                 classwise: bool = False, proposal_nums: Sequence[int] = (100, 300, 1000),
                 segm_area: str = 'auto', protocol: str = 'standard',
                 max_dets: Optional[int] = None, max_dets_per_cat: Optional[int] = None,
                 dilation_ratio: float = DILATION_RATIO, format_only: bool = False,
                 outfile_prefix: Optional[str] = None, plot_file: Optional[str] = None,
                 results_file: Optional[str] = None, collect_device: str = 'cpu',
                 prefix: Optional[str] = None, backend_args: Optional[dict] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.metrics = [metric] if isinstance(metric, str) else list(metric)
        for name in self.metrics:
            if name not in METRICS:
                raise ValueError(f'FastLVISMetric: metric must be in {METRICS}, got {name!r}')
        if segm_area not in SEGM_AREAS + ('auto', ):
            raise ValueError(f'FastLVISMetric: segm_area must be in '
                             f'{SEGM_AREAS + ("auto", )}, got {segm_area!r}')
        try:
            self.protocol = resolve_protocol(protocol, max_dets, max_dets_per_cat)
        except ValueError as err:
            raise ValueError(f'FastLVISMetric: {err}') from None
        if format_only and outfile_prefix is None:
            raise ValueError('FastLVISMetric: format_only=True needs outfile_prefix')
        if ann_file is None:
            raise ValueError('FastLVISMetric needs ann_file (an LVIS-format json)')
        self.ann_file, self.backend_args = ann_file, backend_args
        self.classwise, self.proposal_nums = classwise, tuple(proposal_nums)
        self.segm_area, self.format_only = segm_area, format_only
        self.max_dets = self.protocol.max_dets
        self.max_dets_per_cat = self.protocol.max_dets_per_cat
        self.dilation_ratio = dilation_ratio
        self._topk: Optional[CategoryTopK] = None
        self.outfile_prefix, self.results_file = outfile_prefix, results_file
        self.plot_file = plot_file or (outfile_prefix and f'{outfile_prefix}.ap_by_frequency.png')
        self._dataset: Optional[dict] = None

    def _select(self, sample: dict) -> None:
        """Offer one image's predictions to the per-category top-K (per-image cap first)."""
        if self._topk is None:
            self._topk = CategoryTopK(self.max_dets_per_cat)
        pred = sample['pred_instances']
        scores, labels = _numpy(pred['scores']), _numpy(pred['labels'])
        bboxes = _numpy(pred['bboxes'])
        masks = pred['masks'] if 'masks' in pred else None
        mask_scores = _numpy(pred['mask_scores']) if 'mask_scores' in pred else None
        if self.max_dets != NO_CAP and mask_scores is None and len(scores) > self.max_dets:
            keep = top_k_per_image(np.zeros(len(scores), np.int64), scores, self.max_dets)
            scores, labels, bboxes = scores[keep], labels[keep], bboxes[keep]
            masks = None if masks is None else (
                [masks[i] for i in keep.tolist()] if isinstance(masks, (list, tuple))
                else masks[keep])
        size = None
        if masks is not None:
            size = (masks[0]['size'] if isinstance(masks, (list, tuple)) and len(masks)
                    else masks.shape[-2:] if hasattr(masks, 'shape')
                    else sample['ori_shape'][:2])
            size = tuple(int(v) for v in size)
        self._topk.add(int(sample['img_id']), labels, scores, bboxes,
                       None if masks is None else _encoder(masks), size, mask_scores)

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep each image's predictions as arrays and RLE bytes (no tensors, no dicts).

        With a per-category cap the predictions go to the running per-category top-K.
        """
        if self.max_dets_per_cat != NO_CAP and not self.format_only:
            for sample in data_samples:
                self._select(sample)
            return
        for sample in data_samples:
            pred = sample['pred_instances']
            rec = dict(img_id=int(sample['img_id']), bboxes=_numpy(pred['bboxes']),
                       scores=_numpy(pred['scores']), labels=_numpy(pred['labels']))
            if 'masks' in pred:
                masks = pred['masks']
                rec['masks'] = _encode_masks(masks)
                size = (masks[0]['size'] if isinstance(masks, (list, tuple)) and len(masks)
                        else masks.shape[-2:] if hasattr(masks, 'shape')
                        else sample['ori_shape'][:2])
                rec['mask_size'] = tuple(int(v) for v in size)
                if 'mask_scores' in pred:
                    rec['mask_scores'] = _numpy(pred['mask_scores'])
            self.results.append(rec)

    def evaluate(self, size: int) -> dict:
        """Gather, then drop this rank's own list before scoring, so rank 0 never holds its
        masks twice (mmengine's version clears it only after ``compute_metrics``)."""
        if self._topk is not None:
            self.results = self._topk.records()
            self._topk = None
        if not self.results:
            MMLogger.get_current_instance().warning('FastLVISMetric got no results')
        kwargs = dict(tmpdir=self.collect_dir) if self.collect_device == 'cpu' else {}
        results = collect_results(self.results, size, self.collect_device, **kwargs)
        self.results.clear()
        metrics: List[Optional[dict]] = [None]
        if is_main_process():
            scores = self.compute_metrics(results)
            metrics = [{f'{self.prefix}/{k}' if self.prefix else k: v
                        for k, v in scores.items()}]
        del results
        broadcast_object_list(metrics)
        return metrics[0]

    def load_ground_truth(self, img_ids: Optional[Sequence[int]] = None) -> LVISGroundTruth:
        """The annotation file (parsed once, then cached) restricted to ``img_ids``.

        An id in ``img_ids`` that the file does not have raises ``ValueError`` naming the
        results' field ``img_id``, the value and ``ann_file``.
        """
        if self._dataset is None:
            with get_local_path(self.ann_file, backend_args=self.backend_args) as path:
                if not osp.isfile(path):
                    raise FileNotFoundError(f'FastLVISMetric: ann_file not found: {path}')
                self._dataset = load(path)
        if img_ids is not None:
            check_result_image_ids(self._dataset, img_ids, 'FastLVISMetric results',
                                   self.ann_file, 'img_id')
        return LVISGroundTruth(self._dataset, source=self.ann_file, img_ids=img_ids)

    def _check_classes(self, gt: LVISGroundTruth) -> None:
        classes = (self.dataset_meta or {}).get('classes')
        if classes is not None and len(classes) != len(gt.label_to_cat_id):
            raise ValueError(
                f'{self.ann_file}: field "categories" has {len(gt.label_to_cat_id)} entries '
                f'but the dataset has {len(classes)} classes; labels could not be mapped')

    def compute_metrics(self, results: List[dict]) -> Dict[str, Any]:
        """Score the collected per-image results (see the class docstring)."""
        logger = MMLogger.get_current_instance()
        gt = self.load_ground_truth([r['img_id'] for r in results])
        self._check_classes(gt)
        if self.results_file:
            save_raw_results(self.results_file, results, gt.label_to_cat_id, self.ann_file)
            logger.info(f'raw results saved to {self.results_file}')
        with_masks = bool(set(MASK_METRICS) & set(self.metrics))
        dets, mask_scores = detections_from_records(results, gt.label_to_cat_id, with_masks,
                                                     self.ann_file)
        area = results_segm_area(dets) if self.segm_area == 'auto' else self.segm_area
        if self.format_only:
            for name in ('bbox', 'segm') if with_masks else ('bbox',):
                out = dump_detections_json(
                    dets if name == 'bbox' else dets.with_scores(mask_scores),
                    f'{self.outfile_prefix}.{name}.json', with_masks=name == 'segm')
                logger.info(f'{name} results written to {out}')
            return {}
        out: Dict[str, Any] = {}
        nested: Dict[str, Dict[str, float]] = {}
        for name in self.protocol.iou_types(self.metrics):
            logger.info(f'Evaluating {name} on {len(gt.images)} images (LVIS '
                        f'{self.protocol.name} protocol)...')
            if name == 'proposal':
                nested[name] = evaluate_proposals(gt, dets, self.proposal_nums)
            else:
                result = evaluate_lvis(gt, dets if name == 'bbox' else
                                       dets.with_scores(mask_scores), name, area,
                                       self.max_dets, self.max_dets_per_cat,
                                       self.dilation_ratio)
                nested[name] = result.metrics
                if self.classwise:
                    logger.info(f'per-category {name} AP:\n' +
                                category_table(result.categories, result.per_category_ap))
            out.update({f'{name}_{k}': float(v) for k, v in nested[name].items()})
        for name in MASK_METRICS:
            if name in nested:
                out[f'{name}_area'] = area
        logger.info('\n' + format_lvis_results(nested, segm_area=area, max_dets=self.max_dets,
                                               max_dets_per_cat=self.max_dets_per_cat,
                                               protocol=self.protocol.name))
        if self.plot_file and ({'bbox', 'segm', 'boundary'} & set(nested)):
            logger.info(f'AP by frequency plot: {plot_ap_by_frequency(nested, self.plot_file)}')
        return out
