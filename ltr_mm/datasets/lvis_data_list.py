"""mmdet's LVIS data list built from a parsed file in one pass, without the lvis-api index.

mmdet's ``LVISV05Dataset.load_data_list`` / ``LVISV1Dataset.load_data_list`` parse the file
with lvis-api, deep-copy its category -> images map and then, for every box, test
``category_id in self.cat_ids`` on a *list* of 1,203 ids, a linear scan per box that is
costly at LVIS v1 size (loading times: ``docs/benchmarks.md``, "Scale"). :func:`lvis_data_list`
gives the same data list (same image order, same boxes, same labels: the file's categories in
file order) from the already parsed JSON, with ``cat_ids`` as a list with O(1) membership, and
still calls the dataset's own ``parse_data_info`` for every image.
"""
from collections import defaultdict
from typing import Any, Callable, Dict, Iterable, List


class IdList(list):
    """A list of ids whose ``in`` test is a set lookup (mmdet's ``cat_ids`` contract)."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        super().__init__(ids)
        self._members = frozenset(self)

    def __contains__(self, value: object) -> bool:
        return value in self._members


def lvis_data_list(dataset: Any, data: Dict[str, Any],
                   file_name: Callable[[dict], str]) -> List[dict]:
    """Fill ``cat_ids`` / ``cat2label`` / ``cat_img_map`` of ``dataset``; return its data list.

    Args:
        dataset: an mmdet LVIS dataset (its ``parse_data_info`` is called per image).
        data: the parsed annotation file (checked beforehand: ids unique, fields present).
            Its ``images`` and ``annotations`` are consumed (popped and freed one image at a
            time, so the peak memory stays close to the size of the data list).
        file_name: the image's file name relative to ``data_prefix['img']``, as the mmdet
            loader of that LVIS version derives it.

    Returns:
        list[dict]: one parsed data info per image, in file order.
    """
    dataset.cat_ids = IdList(cat['id'] for cat in data['categories'])
    dataset.cat2label = {cat_id: i for i, cat_id in enumerate(dataset.cat_ids)}
    anns_of: Dict[int, List[dict]] = defaultdict(list)
    cat_img_map: Dict[int, List[int]] = defaultdict(list)
    for ann in data.pop('annotations'):
        anns_of[ann['image_id']].append(ann)
        cat_img_map[ann['category_id']].append(ann['image_id'])
    dataset.cat_img_map = cat_img_map
    data_list = []
    images = data.pop('images')
    for i, img in enumerate(images):
        images[i] = None  # each record is freed once parsed: a lower peak on big files
        raw_img_info = dict(img, img_id=img['id'], file_name=file_name(img))
        data_list.append(dataset.parse_data_info(
            dict(raw_ann_info=anns_of.pop(img['id'], []), raw_img_info=raw_img_info)))
    return data_list
