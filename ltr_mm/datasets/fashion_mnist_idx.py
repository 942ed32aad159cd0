"""Read the Fashion-MNIST idx files (numpy only): the shared reader of the data tools."""
import gzip
import math
from pathlib import Path
from typing import Tuple

import numpy as np

SPLIT_FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}
INSTALL_HINT = ('install the Debian package (apt-get install dataset-fashion-mnist) or pass '
                '--src with a folder holding the Fashion-MNIST idx files')


def read_idx(path: Path) -> np.ndarray:
    """Read an idx file (gzip-compressed or not) into a uint8 array.

    Args:
        path: idx file; byte 3 holds the number of dimensions, then one big-endian uint32 per
            dimension, then the uint8 payload.

    Returns:
        np.ndarray: array of the stored shape.
    """
    raw = path.read_bytes()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f'{path}: not a uint8 idx file')
    ndim = raw[3]
    shape = tuple(int(d) for d in np.frombuffer(raw, '>u4', count=ndim, offset=4))
    payload = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if payload.size != math.prod(shape):
        raise ValueError(f'{path}: payload has {payload.size} bytes, shape {shape} needs '
                         f'{math.prod(shape)}')
    return payload.reshape(shape)


def _find(src: Path, stem: str) -> Path:
    """Return ``src/stem.gz`` or ``src/stem``; FileNotFoundError with a hint if neither."""
    for name in (stem + '.gz', stem):
        if (src / name).is_file():
            return src / name
    raise FileNotFoundError(f'Fashion-MNIST file {src / stem}[.gz] not found: {INSTALL_HINT}')


def load_split(src: Path, split: str) -> Tuple[np.ndarray, np.ndarray]:
    """Load one Fashion-MNIST split.

    Args:
        src: folder with the idx files.
        split: ``'train'`` or ``'test'``.

    Returns:
        tuple: images ``(N, 28, 28)`` uint8 and labels ``(N,)`` int64.
    """
    if not src.is_dir():
        raise FileNotFoundError(f'Fashion-MNIST folder {src} not found: {INSTALL_HINT}')
    image_stem, label_stem = SPLIT_FILES[split]
    images = read_idx(_find(src, image_stem))
    labels = read_idx(_find(src, label_stem)).astype(np.int64)
    if images.ndim != 3 or labels.shape != images.shape[:1]:
        raise ValueError(f'{src}: {split} images {images.shape} and labels {labels.shape} '
                         'do not match')
    return images, labels
