"""Results must only name images of the annotation file they are scored against."""
from typing import Any, Dict, Sequence

import numpy as np


def check_result_image_ids(dataset: Dict[str, Any], img_ids: Sequence[int], results: str,
                           ann_file: str, field: str = 'image_id') -> None:
    """Raise ``ValueError`` if a result names an image that ``ann_file`` does not have.

    Checked before anything is scored, so a results file made on another split (or another
    annotation file) is rejected with the file, the field and the unknown values instead of
    being scored on the overlap.

    Args:
        dataset: the parsed annotation file (its ``images``).
        img_ids: image id of every result record, in record order.
        results: the results file (or what produced the results), named in the message.
        ann_file: the annotation file, named in the message.
        field: the results' image-id field: ``'image_id'`` (LVIS / COCO results json) or
            ``'img_id'`` (raw results). Defaults to ``'image_id'``.
    """
    ids = np.asarray(img_ids, dtype=np.int64).reshape(-1)
    known = np.fromiter((img['id'] for img in dataset.get('images', ())), np.int64)
    bad = ~np.isin(ids, known)
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    values = np.unique(ids[bad])
    shown = values[:10].tolist()
    raise ValueError(f'{results}: field "{field}" = {int(ids[first])} (record [{first}]) is not '
                     f'an image of {ann_file}; {int(bad.sum())} of {len(ids)} records name '
                     f'{len(values)} unknown image ids {shown}{" ..." if len(values) > 10 else ""}'
                     ' (results and annotation file must be of the same split)')


def check_result_category_ids(cat_ids: Sequence[int], result_cat_ids: Sequence[int],
                              results: str, ann_file: str,
                              field: str = 'category_id') -> None:
    """Raise ``ValueError`` if a result names a category that ``ann_file`` does not have.

    Args:
        cat_ids: the category ids of the annotation file.
        result_cat_ids: category id of every result record, in record order.
        results: the results file, named in the message.
        ann_file: the annotation file, named in the message.
        field: the results' category field, named in the message.
    """
    ids = np.asarray(result_cat_ids, dtype=np.int64).reshape(-1)
    bad = ~np.isin(ids, np.asarray(cat_ids, dtype=np.int64))
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    values = np.unique(ids[bad])
    raise ValueError(f'{results}: field "{field}" = {int(ids[first])} (record [{first}]) is not '
                     f'a category of {ann_file}; {int(bad.sum())} of {len(ids)} records name '
                     f'{len(values)} unknown category ids {values[:10].tolist()}'
                     f'{" ..." if len(values) > 10 else ""}')
