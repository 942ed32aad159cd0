"""Reading and writing detections: LVIS/COCO results json and ltr_mm's raw results pickle.

Raw results are one record per image, as :class:`~ltr_mm.evaluation.FastLVISMetric`
collects them: ``img_id``, ``bboxes`` (``(N, 4)`` ``x1, y1, x2, y2``), ``scores``, ``labels``
(dataset label indices) and, for instance segmentation, ``masks`` (compressed RLE ``counts``
bytes, or RLE dicts), ``mask_size`` (``(h, w)``) and optionally ``mask_scores``. The pickle
written by ``tools/test_lvis.py --out`` holds ``{'format': RESULTS_FORMAT, 'ann_file': ...,
'label_to_cat_id': [...], 'results': [records]}``.
"""
import json
import os.path as osp
import pickle
import re
from array import array
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from .lvis_detections import LVISDetections, concat_detections, empty_detections

RESULTS_FORMAT = 'ltr_mm.lvis_raw_results.v1'
_SKIP = re.compile(r'[\s,]*')


def iter_json_array(path: str, chunk_chars: int = 1 << 24) -> Iterator[Any]:
    """Yield the elements of the top-level json array in ``path`` one at a time.

    Reads ``chunk_chars`` characters at a time, so the whole file text and all parsed
    elements are never in memory together. Invalid or truncated json raises ``ValueError``
    naming the file and the record where parsing stopped.
    """
    decode = json.JSONDecoder().raw_decode
    with open(path) as f:
        buf = f.read(chunk_chars)
        pos = _SKIP.match(buf).end()
        if buf[pos:pos + 1] != '[':
            raise ValueError(f'{path}: expected a json list of detections, found '
                             f'{buf[pos:pos + 20]!r} at the start')
        pos, eof, count = pos + 1, False, 0
        while True:
            pos = _SKIP.match(buf, pos).end()
            if buf[pos:pos + 1] == ']':
                return
            try:
                obj, pos = decode(buf, pos)
            except json.JSONDecodeError as err:
                if eof:
                    if not buf.rstrip().endswith(']'):
                        what = ('the file ends inside this record or before the closing "]" '
                                f'(truncated file?), near {buf[pos:pos + 60]!r}')
                    else:
                        what = f'invalid json near {buf[pos:pos + 60]!r}: {err.msg}'
                    raise ValueError(f'{path}: record [{count}]: {what}') from None
                more = f.read(chunk_chars)
                eof = not more
                buf, pos = buf[pos:] + more, 0
                continue
            count += 1
            yield obj


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, (float, np.floating))


def _bad(field: str, need: str, value: Any) -> ValueError:
    """The error of one field: its name, what it needs and what it holds."""
    return ValueError(f'field "{field}" must be {need}, got {type(value).__name__} '
                      f'{str(value)[:40]!r}')


def _read_detection(det: Any, cols: Dict[str, Any], with_bbox: bool, with_masks: bool) -> None:
    if not isinstance(det, dict):
        raise ValueError(f'must be an object, got {type(det).__name__}')
    for field in ('image_id', 'category_id', 'score') + (('segmentation',) if with_masks
                                                          else ()):
        if field not in det:
            raise ValueError(f'field "{field}" is missing')
    for field in ('image_id', 'category_id'):
        if not _is_int(det[field]):
            raise _bad(field, 'an integer id', det[field])
    if not _is_number(det['score']):
        raise _bad('score', 'a number', det['score'])
    cols['img'].append(det['image_id'])
    cols['cat'].append(det['category_id'])
    cols['score'].append(det['score'])
    if with_bbox:
        box = det.get('bbox')
        if box is not None and (not isinstance(box, (list, tuple)) or len(box) != 4 or
                                not all(_is_number(v) for v in box)):
            raise _bad('bbox', 'a list of 4 numbers [x, y, w, h]', box)
        cols['bbox'].extend(box if box is not None else (np.nan,) * 4)
    if with_masks:
        rle = det['segmentation']
        if not isinstance(rle, dict) or not isinstance(rle.get('counts'), (str, bytes)):
            raise _bad('segmentation', 'compressed RLE {"size": [h, w], "counts": str}', rle)
        size = rle.get('size')
        if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(
                _is_int(v) for v in size):
            raise _bad('segmentation.size', 'two integers [h, w]', size)
        cols['counts'].append(rle['counts'])
        cols['size'].extend(size)


def _as_array(values: array, dtype: type) -> np.ndarray:
    """A numpy view of an ``array.array`` (no copy)."""
    return np.frombuffer(values, dtype) if len(values) else np.zeros(0, dtype)


def load_detections(source: Union[str, List[Dict[str, Any]]], with_bbox: bool = True,
                    with_masks: bool = False) -> LVISDetections:
    """Read LVIS/COCO-format detections from a results json file or a list of dicts.

    Args:
        source: path of a results json (a list of ``{image_id, category_id, score, bbox,
            segmentation}``) or that list itself.
        with_bbox: read ``bbox`` (``[x, y, w, h]``; NaN where a record has none).
        with_masks: read ``segmentation`` (compressed RLE only, as LVIS requires).
    """
    name = source if isinstance(source, str) else 'results'
    if isinstance(source, str) and not osp.isfile(source):
        raise FileNotFoundError(f'results file not found: {source}')
    records = iter_json_array(source) if isinstance(source, str) else iter(source)
    cols = dict(img=array('q'), cat=array('q'), score=array('d'), bbox=array('d'),
                counts=[], size=array('q'))
    for i, det in enumerate(records):
        try:
            _read_detection(det, cols, with_bbox, with_masks)
        except (TypeError, ValueError, OverflowError) as err:
            raise ValueError(f'{name}: record [{i}]: {err} (record {str(det)[:160]})') from None
    n = len(cols['img'])
    return LVISDetections(
        _as_array(cols['img'], np.int64), _as_array(cols['cat'], np.int64),
        _as_array(cols['score'], np.float64),
        _as_array(cols['bbox'], np.float64).reshape(n, 4) if with_bbox else None,
        cols['counts'] if with_masks else None,
        _as_array(cols['size'], np.int64).reshape(n, 2) if with_masks else None)


def dump_detections_json(dets: LVISDetections, path: str, with_masks: bool,
                         chunk: int = 20000) -> str:
    """Write ``dets`` as an LVIS results json (``bbox`` always, ``segmentation`` if asked)."""
    with open(path, 'w') as f:
        f.write('[')
        for start in range(0, len(dets), chunk):
            idx = np.arange(start, min(start + chunk, len(dets)))
            rows = [dict(image_id=i, category_id=c, bbox=b, score=s) for i, c, b, s in zip(
                dets.image_ids[idx].tolist(), dets.category_ids[idx].tolist(),
                dets.bboxes[idx].tolist(), dets.scores[idx].tolist())]
            if with_masks:
                for row, i, size in zip(rows, idx.tolist(), dets.mask_sizes[idx].tolist()):
                    counts = dets.masks[i]
                    row['segmentation'] = dict(size=size, counts=counts.decode('ascii') if
                                               isinstance(counts, bytes) else counts)
            f.write((',' if start else '') + json.dumps(rows)[1:-1])
        f.write(']')
    return path


def detections_from_records(records: Sequence[Dict[str, Any]], label_to_cat_id: np.ndarray,
                            with_masks: bool, ann_file: str = 'the annotation file'
                            ) -> Tuple[LVISDetections, Optional[np.ndarray]]:
    """Flatten per-image raw results; returns the detections and the mask scores (if any).

    Boxes go from ``x1, y1, x2, y2`` to ``x, y, w, h`` in float64; labels become category
    ids through ``label_to_cat_id`` (``ann_file`` names its source in errors).
    """
    parts, mask_scores = [], []
    for rec in records:
        boxes = np.asarray(rec['bboxes'], dtype=np.float64).reshape(-1, 4)
        labels = np.asarray(rec['labels'], dtype=np.int64)
        if len(labels) and (labels.min() < 0 or labels.max() >= len(label_to_cat_id)):
            bad = int(labels.max() if labels.max() >= len(label_to_cat_id) else labels.min())
            raise ValueError(f'results of image {rec["img_id"]}: field "labels" holds {bad}, '
                             f'but {ann_file} has {len(label_to_cat_id)} categories '
                             f'(labels 0..{len(label_to_cat_id) - 1})')
        masks = sizes = None
        if with_masks:
            if 'masks' not in rec:
                raise ValueError(f'results of image {rec["img_id"]}: field "masks" is missing; '
                                 'segm evaluation needs a model that predicts masks')
            masks = [m['counts'] if isinstance(m, dict) else m for m in rec['masks']]
            size = rec.get('mask_size') or rec['masks'][0]['size'] if masks else (0, 0)
            sizes = np.tile(np.asarray(size, dtype=np.int64), (len(masks), 1))
            mask_scores.append(np.asarray(rec.get('mask_scores', rec['scores']), np.float64))
        parts.append(LVISDetections(
            np.full(len(labels), int(rec['img_id']), dtype=np.int64), label_to_cat_id[labels],
            np.asarray(rec['scores'], dtype=np.float64),
            np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1), masks, sizes))
    if not parts:
        return empty_detections(True, with_masks), np.zeros(0) if with_masks else None
    return concat_detections(parts), np.concatenate(mask_scores) if with_masks else None


def save_raw_results(path: str, records: List[Dict[str, Any]], label_to_cat_id: Sequence[int],
                     ann_file: str) -> str:
    """Pickle raw per-image results together with the label -> category id map."""
    with open(path, 'wb') as f:
        pickle.dump(dict(format=RESULTS_FORMAT, ann_file=ann_file,
                         label_to_cat_id=[int(c) for c in label_to_cat_id], results=records),
                    f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_raw_results(path: str,
                     label_to_cat_id: np.ndarray) -> Tuple[List[Dict[str, Any]], np.ndarray]:
    """Read a raw results pickle: ltr_mm's own, or mmdet ``DumpDetResults`` output.

    mmdet pickles carry no label map, so labels are read with ``label_to_cat_id`` (the
    annotation file's categories in file order, the order mmdet's LVIS datasets use).
    """
    with open(path, 'rb') as f:
        data = pickle.load(f)
    if isinstance(data, dict) and data.get('format') == RESULTS_FORMAT:
        return data['results'], np.asarray(data['label_to_cat_id'], dtype=np.int64)
    if isinstance(data, list) and (not data or 'pred_instances' in data[0]):
        records = []
        for sample in data:
            pred = {k: (v.numpy() if hasattr(v, 'numpy') else v)
                    for k, v in sample['pred_instances'].items()}
            records.append(dict(pred, img_id=sample['img_id']))
        return records, label_to_cat_id
    raise ValueError(f'{path}: not a raw results pickle (expected "format": '
                     f'"{RESULTS_FORMAT}" or a list of data samples with "pred_instances")')
