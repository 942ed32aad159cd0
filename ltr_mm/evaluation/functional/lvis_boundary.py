"""Mask boundaries of Boundary IoU (Cheng et al., CVPR 2021), as the LVIS 2021 challenge uses.

The boundary of a binary mask of an ``h x w`` image is the mask minus its erosion by a
``3 x 3`` square applied ``d`` times, ``d = max(1, round(ratio * sqrt(h^2 + w^2)))``. The
mask is padded with one pixel of zeros first, so the image border counts as boundary.

``d`` erosions by a ``3 x 3`` square equal one erosion by a ``(2d + 1)`` square, so a pixel
stays in the eroded mask when the ``(2d + 1)`` window around it lies inside the mask and
inside the image. That test runs as two running sums (rows, then columns) over the mask's
bounding box padded with zeros, so the cost is proportional to the box, not to the image;
boundary IoUs are computed on those boxes (:func:`boundary_iou`), never on full images.
"""
from typing import Any, Dict, List, Tuple

import numpy as np
from faster_coco_eval.core import mask as mask_api

DILATION_RATIO = 0.02


def boundary_width(height: int, width: int, dilation_ratio: float = DILATION_RATIO) -> int:
    """Erosion steps ``d`` of an ``height x width`` image (Python's ``round``, at least 1)."""
    return max(1, int(round(dilation_ratio * float(np.sqrt(height ** 2 + width ** 2)))))


def _window_full(counts: np.ndarray, d: int, axis: int) -> np.ndarray:
    """True where all ``2d + 1`` values centred on each position along ``axis`` are 1.

    ``counts`` is zero-padded by ``d`` on both ends of ``axis``; the result has the
    unpadded length.
    """
    csum = np.cumsum(counts, axis=axis, dtype=np.int32)
    csum = np.concatenate([np.zeros_like(csum.take([0], axis=axis)), csum], axis=axis)
    n = counts.shape[axis] - 2 * d
    hi = csum.take(np.arange(2 * d + 1, 2 * d + 1 + n), axis=axis)
    lo = csum.take(np.arange(0, n), axis=axis)
    return (hi - lo) == 2 * d + 1


def boundary_crop(mask: np.ndarray, dilation_ratio: float = DILATION_RATIO
                  ) -> Tuple[int, int, np.ndarray]:
    """The boundary of a binary ``(h, w)`` mask, cut to the mask's bounding box.

    Returns:
        ``(y0, x0, crop)``: the box's top-left corner and the boolean boundary inside it
        (``crop`` is ``(0, 0)`` for an empty mask).
    """
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f'mask_boundary needs a 2-d mask, got shape {mask.shape}')
    binary = mask.astype(bool)
    rows = np.flatnonzero(binary.any(1))
    if len(rows) == 0:
        return 0, 0, np.zeros((0, 0), dtype=bool)
    cols = np.flatnonzero(binary.any(0))
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    d = boundary_width(*mask.shape, dilation_ratio)
    # zeros around the box stand for the pixels off the mask and the image border; a window
    # that reaches past the first ring of them holds a zero of that ring anyway
    box = binary[y0:y1, x0:x1]
    padded = np.zeros((y1 - y0 + 2 * d, x1 - x0 + 2 * d), dtype=np.uint8)
    padded[d:-d, d:-d] = box
    rows_full = _window_full(padded, d, axis=1)  # (h + 2d, w)
    eroded = _window_full(rows_full.astype(np.uint8), d, axis=0)  # (h, w)
    return y0, x0, box & ~eroded


def mask_boundary(mask: np.ndarray, dilation_ratio: float = DILATION_RATIO) -> np.ndarray:
    """The boundary of a binary ``(h, w)`` mask, as a ``uint8`` mask of the same shape."""
    y0, x0, crop = boundary_crop(mask, dilation_ratio)
    out = np.zeros(np.asarray(mask).shape, dtype=np.uint8)
    out[y0:y0 + crop.shape[0], x0:x0 + crop.shape[1]] = crop
    return out


def rle_boundary(rle: Dict[str, Any], dilation_ratio: float = DILATION_RATIO) -> Dict[str, Any]:
    """Compressed RLE of the boundary of the compressed RLE ``rle``."""
    mask = mask_api.decode(rle)
    return mask_api.encode(np.asfortranarray(mask_boundary(mask, dilation_ratio)))


Boundary = Tuple[int, int, np.ndarray]


def rle_boundary_crop(rle: Dict[str, Any],
                      dilation_ratio: float = DILATION_RATIO) -> Boundary:
    """:func:`boundary_crop` of the compressed RLE ``rle``."""
    return boundary_crop(mask_api.decode(rle), dilation_ratio)


def boundary_iou(dts: List[Boundary], gts: List[Boundary]) -> np.ndarray:
    """``(len(dts), len(gts))`` IoU of boundaries given as :func:`boundary_crop` triples.

    Equal to pycocotools' IoU of the full-image boundary masks (same pixel counts).
    """
    out = np.zeros((len(dts), len(gts)))
    g_area = [int(g[2].sum()) for g in gts]
    for i, (dy, dx, dc) in enumerate(dts):
        d_area = int(dc.sum())
        for j, (gy, gx, gc) in enumerate(gts):
            y0, x0 = max(dy, gy), max(dx, gx)
            y1 = min(dy + dc.shape[0], gy + gc.shape[0])
            x1 = min(dx + dc.shape[1], gx + gc.shape[1])
            inter = 0
            if y1 > y0 and x1 > x0:
                inter = int(np.count_nonzero(dc[y0 - dy:y1 - dy, x0 - dx:x1 - dx] &
                                             gc[y0 - gy:y1 - gy, x0 - gx:x1 - gx]))
            union = d_area + g_area[j] - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out
