"""LVIS ground truth restricted to the evaluated images, indexed with numpy arrays.

The evaluator only ever looks at the images it is given: annotations of other images are
dropped here, so a subset run scores exactly like the official evaluator run on an
annotation file that holds only those images. Annotations whose ``area`` is not positive are
dropped as well, because the official evaluator's area filter (``0 < area < inf``) never lets
them in.
"""
import json
import math
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

Json = Dict[str, Any]
FREQUENCIES = ('r', 'c', 'f')


class LVISGroundTruth:
    """An LVIS-format annotation file seen through a subset of its images.

    Args:
        dataset: the parsed annotation file (``images``, ``annotations``, ``categories``).
        source: where ``dataset`` came from; every error message names it.
        img_ids: images to evaluate. Defaults to every image of the file.

    Attributes:
        dataset: the parsed annotation file (shared, never modified).
        images: image records of the evaluated images, sorted by id.
        annotations: annotation records of those images with ``area > 0``.
        categories: every category record, sorted by id.
        cat_ids: sorted category ids (int64).
        label_to_cat_id: category ids in file order: mmdet's LVIS datasets give the
            ``i``-th category of the file label ``i``.
        img_ids: sorted ids of the evaluated images (int64).
        ann_img_ids, ann_cat_ids: image and category id of every kept annotation.
    """

    def __init__(self, dataset: Json, source: str = '<dict>',
                 img_ids: Optional[Sequence[int]] = None) -> None:
        self.source, self.dataset = source, dataset
        for key in ('images', 'annotations', 'categories'):
            if not isinstance(dataset.get(key), list):
                raise ValueError(f'{source}: field "{key}" is missing or not a list')
        self.categories = sorted(dataset['categories'], key=lambda c: c['id'])
        for i, cat in enumerate(self.categories):
            if cat.get('frequency') not in FREQUENCIES:
                raise ValueError(
                    f'{source}: categories[{i}] (id {cat.get("id")}) field "frequency" is '
                    f'{cat.get("frequency")!r}; LVIS categories need one of {FREQUENCIES}')
        self.cat_ids = np.array([c['id'] for c in self.categories], dtype=np.int64)
        self.label_to_cat_id = np.array([c['id'] for c in dataset['categories']], np.int64)
        all_imgs = {img['id']: img for img in dataset['images']}
        if img_ids is None:
            keep = sorted(all_imgs)
        else:
            keep = sorted({int(i) for i in img_ids})
            missing = [i for i in keep if i not in all_imgs]
            if missing:
                raise ValueError(f'{source}: field "images" has no image with id {missing[0]} '
                                 f'({len(missing)} requested image ids are unknown)')
        self.images: List[Json] = [all_imgs[i] for i in keep]
        self.img_ids = np.array(keep, dtype=np.int64)
        self.annotations = self._kept_annotations(dataset['annotations'],
                                                  set(keep) if img_ids is not None else None)
        self.ann_img_ids = np.fromiter((a['image_id'] for a in self.annotations), np.int64,
                                       len(self.annotations))
        self.ann_cat_ids = np.fromiter((a['category_id'] for a in self.annotations), np.int64,
                                       len(self.annotations))
        self.check_ids(self.ann_img_ids, self.ann_cat_ids, 'annotations[]')
        self._allowed = self._allowed_pairs()

    def _kept_annotations(self, annotations: List[Json],
                          keep: Optional[set]) -> List[Json]:
        """Annotations of the kept images with ``0 < area < inf``."""
        try:
            return [a for a in annotations if 0 < a['area'] < math.inf and
                    (keep is None or a['image_id'] in keep)]
        except (KeyError, TypeError):
            bad = next(i for i, a in enumerate(annotations)
                       if not isinstance(a.get('area'), (int, float)) or 'image_id' not in a)
            raise ValueError(f'{self.source}: annotations[{bad}] needs a numeric "area" and an '
                             f'"image_id", got {str(annotations[bad])[:120]}') from None

    @classmethod
    def from_file(cls, path: str, img_ids: Optional[Sequence[int]] = None) -> 'LVISGroundTruth':
        """Read an LVIS-format json file (see the class for ``img_ids``)."""
        if not osp.isfile(path):
            raise FileNotFoundError(f'LVIS annotation file not found: {path}')
        with open(path) as f:
            try:
                dataset = json.load(f)
            except json.JSONDecodeError as err:
                raise ValueError(f'{path}: invalid json at line {err.lineno} column '
                                 f'{err.colno}: {err.msg}') from None
        if not isinstance(dataset, dict):
            raise ValueError(f'{path}: expected an LVIS annotation object, found a '
                             f'{type(dataset).__name__}')
        return cls(dataset, source=path, img_ids=img_ids)

    def subset(self, img_ids: Sequence[int]) -> 'LVISGroundTruth':
        """The same annotation file seen through ``img_ids`` instead."""
        return LVISGroundTruth(self.dataset, source=self.source, img_ids=img_ids)

    @property
    def frequencies(self) -> List[str]:
        """Frequency group (``'r'``, ``'c'`` or ``'f'``) of every category, in id order."""
        return [c['frequency'] for c in self.categories]

    def _pair_keys(self, img_ids: np.ndarray, cat_ids: np.ndarray) -> np.ndarray:
        rows = np.searchsorted(self.img_ids, img_ids)
        cols = np.searchsorted(self.cat_ids, cat_ids)
        return rows.astype(np.int64) * len(self.cat_ids) + cols

    def _allowed_pairs(self) -> np.ndarray:
        """Sorted keys of the (image, category) pairs that are positive or negative."""
        negs = [(img['id'], c) for img in self.images for c in img.get('neg_category_ids', ())]
        neg = np.array(negs, dtype=np.int64).reshape(-1, 2)
        img_ids = np.concatenate([self.ann_img_ids, neg[:, 0]])
        cat_ids = np.concatenate([self.ann_cat_ids, neg[:, 1]])
        self.check_ids(img_ids, cat_ids, 'images[].neg_category_ids', check_images=False)
        return np.unique(self._pair_keys(img_ids, cat_ids))

    def federated_mask(self, img_ids: np.ndarray, cat_ids: np.ndarray) -> np.ndarray:
        """True where the category is positive or negative for the image (LVIS rule).

        Detections on other categories are not evaluated by LVIS: the image was never
        checked for them.
        """
        if len(self._allowed) == 0:
            return np.zeros(len(img_ids), dtype=bool)
        keys = self._pair_keys(img_ids, cat_ids)
        pos = np.minimum(np.searchsorted(self._allowed, keys), len(self._allowed) - 1)
        return self._allowed[pos] == keys

    def check_polygons(self) -> None:
        """Raise ``ValueError`` naming the annotation if a polygon has fewer than 3 points.

        Only the evaluated annotations are checked, once; RLE segmentations pass.
        """
        if getattr(self, '_polygons_checked', False):
            return
        for ann in self.annotations:
            segm = ann.get('segmentation')
            if not isinstance(segm, list):
                if not isinstance(segm, dict):
                    raise ValueError(f'{self.source}: annotation id {ann.get("id")} field '
                                     f'"segmentation" is {type(segm).__name__}; masks need '
                                     'polygons or RLE')
                continue
            for j, poly in enumerate(segm):
                if not isinstance(poly, list) or len(poly) < 6 or len(poly) % 2:
                    size = len(poly) if isinstance(poly, list) else type(poly).__name__
                    raise ValueError(
                        f'{self.source}: annotation id {ann.get("id")} field "segmentation" '
                        f'polygon [{j}] has {size} coordinates; a polygon needs at least 3 '
                        'points (6 numbers, x y pairs)')
        self._polygons_checked = True

    def check_ids(self, img_ids: np.ndarray, cat_ids: np.ndarray, where: str,
                  check_images: bool = True) -> None:
        """Raise ``ValueError`` naming the file, field and value of the first unknown id.

        Args:
            img_ids: image id of every record.
            cat_ids: category id of every record.
            where: the field the records come from, e.g. ``'results[].category_id'``.
            check_images: also require every image id to be an evaluated image.
        """
        unknown = ~np.isin(cat_ids, self.cat_ids)
        if unknown.any():
            bad = np.unique(cat_ids[unknown])
            raise ValueError(
                f'{where}: category_id {int(bad[0])} is not a category of {self.source} '
                f'({len(bad)} unknown ids: {bad[:10].tolist()}); valid ids are '
                f'{int(self.cat_ids.min())}..{int(self.cat_ids.max())} '
                f'({len(self.cat_ids)} categories)')
        if check_images:
            unknown = ~np.isin(img_ids, self.img_ids)
            if unknown.any():
                bad = np.unique(img_ids[unknown])
                raise ValueError(
                    f'{where}: image_id {int(bad[0])} is not an evaluated image of '
                    f'{self.source} ({len(bad)} unknown image ids: {bad[:10].tolist()})')
