"""faster-coco-eval's mask evaluation with the IoU of the ``boundary`` iou type.

The IoU of a detection and a ground-truth mask is ``min(mask IoU, boundary IoU)``.
faster-coco-eval's own ``boundary`` type computes the boundary of every mask handed to it;
this evaluator computes a mask's boundary only when the mask reaches matching (an image and
category with both ground truth and detections, and the detection among the
``maxDets`` best of that pair), once per mask, from the RLE faster-coco-eval already made.
"""
from typing import Any, Dict, List

import numpy as np
from faster_coco_eval import COCOeval_faster

from .lvis_boundary import DILATION_RATIO, Boundary, boundary_iou, rle_boundary_crop

_KEY = 'ltr_mm_boundary'


def cached_boundary(record: Dict[str, Any], dilation_ratio: float) -> Boundary:
    """The boundary of ``record['rle']``, computed on first use and kept in the record."""
    if _KEY not in record:
        record[_KEY] = rle_boundary_crop(record['rle'], dilation_ratio)
    return record[_KEY]


class BoundaryCOCOeval(COCOeval_faster):
    """``COCOeval_faster`` on masks whose IoU is the minimum of mask and boundary IoU.

    Args:
        *args: as for ``COCOeval_faster`` (the iou type must be ``'segm'``).
        dilation_ratio: boundary width as a fraction of the image diagonal.
        **kwargs: as for ``COCOeval_faster``.
    """

    def __init__(self, *args: Any, dilation_ratio: float = DILATION_RATIO,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.params.iouType != 'segm':
            raise ValueError('BoundaryCOCOeval evaluates masks: iouType must be "segm"')
        self.dilation_ratio = dilation_ratio

    def _pair(self, img_id: int, cat_id: int) -> List[List[Dict[str, Any]]]:
        """Ground truth and detections of one pair, detections by score as matching sees them."""
        gt = self.gt_dataset.get_instances([img_id], [cat_id], True)[0][0]
        dt = self.dt_dataset.get_instances([img_id], [cat_id], True)[0][0]
        order = np.argsort([-d['score'] for d in dt], kind='mergesort')
        return [gt, [dt[i] for i in order[:self.params.maxDets[-1]]]]

    def computeIoU(self, imgId: int, catId: int) -> Any:  # noqa: N802,N803 (base API)
        """Mask IoU, lowered to the boundary IoU where that is smaller."""
        ious = super().computeIoU(imgId, catId)
        if len(ious) == 0:
            return ious
        gt, dt = self._pair(imgId, catId)
        gt_b = [cached_boundary(g, self.dilation_ratio) for g in gt]
        dt_b = [cached_boundary(d, self.dilation_ratio) for d in dt]
        return np.minimum(np.asarray(ious), boundary_iou(dt_b, gt_b))
