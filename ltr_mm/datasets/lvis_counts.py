"""Per-category training instance counts of an LVIS-format file (BAGS groups are built on them)."""
import json
from typing import List

from ltr_mm.utils.bad_input import field_error
from ltr_mm.utils.json_section import read_json_section
from .validation.coco_annotations import is_int
from .validation.coco_format import category_ids, check_coco_format


def _counts_from_categories(categories: list, ann_file: str) -> List[int]:
    """``instance_count`` of every category in id order; ValueError on a bad record."""
    category_ids(categories, ann_file)  # missing, non-integer or repeated ids
    for j, cat in enumerate(categories):
        value = cat['instance_count']
        if not is_int(value) or value < 0:
            raise field_error(ann_file, f'categories[{j}].instance_count', value,
                              f'is not a non-negative integer (category id {cat["id"]})')
    return [int(c['instance_count']) for c in sorted(categories, key=lambda c: c['id'])]


def instance_counts_from_lvis(ann_file: str) -> List[int]:
    """Per-class training instance counts of an LVIS-format file, in category-id order.

    Uses the categories' ``instance_count`` field when every category has it: then only the
    ``categories`` section is read (:func:`~ltr_mm.utils.json_section.read_json_section`,
    about 0.2 s on an LVIS v1-sized file instead of 15 s and 1.5 GB for the whole file) and
    checked (ids present, integer and unique; counts non-negative integers). Otherwise the
    whole file is parsed, checked by :func:`~ltr_mm.datasets.validation.check_coco_format`
    and its annotations are counted per category. Category-id order is the label order of
    mmdet's LVIS datasets (their class tuples follow the category ids). Errors name the file,
    the field and the value.
    """
    categories = read_json_section(ann_file, 'categories')
    if isinstance(categories, list) and categories and all(
            isinstance(c, dict) and 'instance_count' in c for c in categories):
        return _counts_from_categories(categories, ann_file)
    with open(ann_file) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f'{ann_file}: not valid JSON ({err})') from None
    check_coco_format(data, ann_file, file_field=None)
    cats = sorted(data['categories'], key=lambda c: c['id'])
    index = {c['id']: i for i, c in enumerate(cats)}
    counts = [0] * len(cats)
    for ann in data['annotations']:
        counts[index[ann['category_id']]] += 1
    return counts
