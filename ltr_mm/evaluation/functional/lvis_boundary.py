"""Mask boundaries of Boundary IoU (Cheng et al., CVPR 2021), as the LVIS 2021 challenge uses.

The boundary of a binary mask of an ``h x w`` image is the mask minus its erosion by a
``3 x 3`` square applied ``d`` times, ``d = max(1, round(ratio * sqrt(h^2 + w^2)))``. The
mask is padded with one pixel of zeros first, so the image border counts as boundary.

``d`` erosions by a ``3 x 3`` square equal one erosion by a ``(2d + 1)`` square, so a pixel
stays in the eroded mask when the ``(2d + 1)`` window around it lies inside the mask and
inside the image. That test runs on an integral image of the mask's bounding box (plus a
ring of zeros), so the cost is proportional to the box, not to the image.
"""
from typing import Any, Dict

import numpy as np
from faster_coco_eval.core import mask as mask_api

DILATION_RATIO = 0.02


def boundary_width(height: int, width: int, dilation_ratio: float = DILATION_RATIO) -> int:
    """Erosion steps ``d`` of an ``height x width`` image (Python's ``round``, at least 1)."""
    return max(1, int(round(dilation_ratio * float(np.sqrt(height ** 2 + width ** 2)))))


def mask_boundary(mask: np.ndarray, dilation_ratio: float = DILATION_RATIO) -> np.ndarray:
    """The boundary of a binary ``(h, w)`` mask, as a ``uint8`` mask of the same shape."""
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f'mask_boundary needs a 2-d mask, got shape {mask.shape}')
    binary = mask.astype(bool)
    out = binary.astype(np.uint8)
    rows = np.flatnonzero(binary.any(1))
    if len(rows) == 0:
        return out
    cols = np.flatnonzero(binary.any(0))
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    d = boundary_width(*mask.shape, dilation_ratio)
    # integral image of the box with a ring of zeros (image border or pixels off the mask)
    crop = np.zeros((y1 - y0 + 2, x1 - x0 + 2), dtype=np.int64)
    crop[1:-1, 1:-1] = binary[y0:y1, x0:x1]
    sat = np.zeros((crop.shape[0] + 1, crop.shape[1] + 1), dtype=np.int64)
    sat[1:, 1:] = crop.cumsum(0).cumsum(1)
    ys = np.arange(1, crop.shape[0] - 1)
    xs = np.arange(1, crop.shape[1] - 1)
    top, bottom = np.maximum(ys - d, 0), np.minimum(ys + d + 1, crop.shape[0])
    left, right = np.maximum(xs - d, 0), np.minimum(xs + d + 1, crop.shape[1])
    inside = (sat[bottom][:, right] - sat[top][:, right] - sat[bottom][:, left] +
              sat[top][:, left])
    eroded = inside == (2 * d + 1) ** 2  # a clipped window holds a zero of the ring
    out[y0:y1, x0:x1] &= ~eroded
    return out


def rle_boundary(rle: Dict[str, Any], dilation_ratio: float = DILATION_RATIO) -> Dict[str, Any]:
    """Compressed RLE of the boundary of the compressed RLE ``rle``."""
    mask = mask_api.decode(rle)
    return mask_api.encode(np.asfortranarray(mask_boundary(mask, dilation_ratio)))
