"""Per-category training instance counts of an LVIS-format file.

Read through :meth:`ltr_mm.utils.class_stats.ClassStats.from_file` (BAGS groups are built on
them).
"""
import json
from typing import Any, List, Tuple, Union

from ltr_mm.utils.bad_input import field_error, missing_field_error, short_repr
from ltr_mm.utils.json_section import read_json_section

from .validation.coco_annotations import is_int
from .validation.coco_format import category_ids


def _counts_from_categories(categories: list, ann_file: str) -> List[int]:
    """``instance_count`` of every category in id order; ValueError on a bad record."""
    category_ids(categories, ann_file)  # missing, non-integer or repeated ids
    for j, cat in enumerate(categories):
        value = cat['instance_count']
        if not is_int(value) or value < 0:
            raise field_error(ann_file, f'categories[{j}].instance_count', value,
                              f'is not a non-negative integer (category id {cat["id"]})')
    return [int(c['instance_count']) for c in sorted(categories, key=lambda c: c['id'])]


def _names(categories: list) -> Tuple[str, ...]:
    """Category names in id order, or ``()`` unless every category has a string name."""
    ordered = sorted(categories, key=lambda c: c['id'])
    names = tuple(c.get('name') for c in ordered)
    return names if all(isinstance(n, str) for n in names) else ()


def instance_counts_from_lvis(
        ann_file: str,
        with_names: bool = False) -> Union[List[int], Tuple[List[int], Tuple[str, ...]]]:
    """Per-class training instance counts of an LVIS-format file, in category-id order.

    Uses the categories' ``instance_count`` field when every category has it: then only the
    ``categories`` section is read (:func:`~ltr_mm.utils.json_section.read_json_section`, a
    small part of the time and memory of parsing the whole file; ``docs/benchmarks.md``,
    "Scale") and checked (ids present, integer and unique; counts non-negative integers).
    Otherwise the whole file is parsed and its annotations are counted per category (checking
    the category ids and every annotation's ``category_id``). Category-id order is the label
    order of mmdet's LVIS datasets (their class tuples follow the category ids). Errors name
    the file, the field and the value. With ``with_names=True`` the category names in id order
    (``()`` unless every category has one) are returned as well.
    """
    categories = read_json_section(ann_file, 'categories')
    if isinstance(categories, list) and categories and all(
            isinstance(c, dict) and 'instance_count' in c for c in categories):
        counts = _counts_from_categories(categories, ann_file)
    else:
        with open(ann_file) as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as err:
                raise ValueError(f'{ann_file}: not valid JSON ({err})') from None
        counts = _counts_from_annotations(data, ann_file)
        categories = data['categories']
    return (counts, _names(categories)) if with_names else counts


def _counts_from_annotations(data: Any, ann_file: str) -> List[int]:
    """Annotations per category in id order, checking only what counting reads.

    Counting needs the ``categories`` ids and each annotation's ``category_id``; the other
    fields (images, boxes) are the dataset's business and are checked when it is built.
    """
    if not isinstance(data, dict):
        raise field_error(ann_file, '<root>', data, 'is not a JSON object')
    for key in ('annotations', 'categories'):
        if key not in data:
            raise missing_field_error(ann_file, key, f'the file has {sorted(data)}')
        if not isinstance(data[key], list):
            raise field_error(ann_file, key, data[key], 'is not a list')
    category_ids(data['categories'], ann_file)  # missing, non-integer or repeated ids
    cats = sorted(data['categories'], key=lambda c: c['id'])
    index = {c['id']: i for i, c in enumerate(cats)}
    counts = [0] * len(cats)
    unknown = []  # positions of annotations with an unknown category_id
    for j, ann in enumerate(data['annotations']):
        if not isinstance(ann, dict) or 'category_id' not in ann:
            raise missing_field_error(ann_file, f'annotations[{j}].category_id')
        if ann['category_id'] in index:
            counts[index[ann['category_id']]] += 1
        else:
            unknown.append(j)
    if unknown:
        anns = data['annotations']
        first = anns[unknown[0]]
        values = sorted({anns[j]['category_id'] for j in unknown}, key=repr)
        raise field_error(
            ann_file, f'annotations[{unknown[0]}].category_id', first['category_id'],
            f'is not the id of any category (annotation id {first.get("id")}; {len(unknown)} '
            f'annotation(s) with an unknown category_id, values {short_repr(values)}; the file '
            f'has {len(index)} category ids)')
    return counts
