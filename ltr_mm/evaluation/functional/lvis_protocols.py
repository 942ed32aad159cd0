"""The LVIS evaluation protocols as presets of the caps and the mask IoU.

- ``standard``: 300 detections per image (lvis-api 0.5.3, LVIS papers before 2021);
- ``fixed``: Fixed AP (Dave et al., 2021): no per-image cap, 10,000 detections per category
  over the dataset;
- ``challenge2021``: Fixed AP with masks matched by Boundary IoU (the LVIS 2021 challenge):
  ``segm`` is evaluated as ``boundary``; boxes stay boxes.

Explicit caps override the preset's, and a run whose caps differ from every preset is
named ``custom`` in the tables.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence

from .lvis_caps import NO_CAP, check_cap


@dataclass(frozen=True)
class LVISProtocol:
    """Caps and mask IoU of one evaluation run.

    Attributes:
        name: ``'standard'``, ``'fixed'``, ``'challenge2021'`` or ``'custom'``.
        max_dets: detections per image (``-1``: no cap).
        max_dets_per_cat: detections per category over the dataset (``-1``: no cap).
        boundary: masks are matched by ``min(mask IoU, boundary IoU)``.
    """

    name: str
    max_dets: int
    max_dets_per_cat: int
    boundary: bool = False

    def iou_types(self, requested: Sequence[str]) -> List[str]:
        """The iou types to run for ``requested`` (``segm`` becomes ``boundary`` if set)."""
        out: List[str] = []
        for iou_type in requested:
            iou_type = 'boundary' if self.boundary and iou_type == 'segm' else iou_type
            if iou_type not in out:
                out.append(iou_type)
        return out

    def caps_text(self) -> str:
        """The caps in words, for table titles."""
        if self.max_dets_per_cat == NO_CAP:
            return ('no detection cap' if self.max_dets == NO_CAP else
                    f'{self.max_dets} detections per image')
        per_cat = f'{self.max_dets_per_cat} detections per category'
        if self.max_dets == NO_CAP:
            return f'no per-image cap, {per_cat}'
        return f'{self.max_dets} detections per image, then {per_cat}'


PROTOCOLS = {
    'standard': LVISProtocol('standard', 300, NO_CAP),
    'fixed': LVISProtocol('fixed', NO_CAP, 10000),
    'challenge2021': LVISProtocol('challenge2021', NO_CAP, 10000, boundary=True),
}


def resolve_protocol(protocol: str = 'standard', max_dets: Optional[int] = None,
                     max_dets_per_cat: Optional[int] = None) -> LVISProtocol:
    """The preset ``protocol`` with explicit caps (not ``None``) put in its place.

    Raises:
        ValueError: unknown protocol name or a cap that is neither ``-1`` nor positive.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {tuple(PROTOCOLS)}, got {protocol!r}')
    base = PROTOCOLS[protocol]
    im = base.max_dets if max_dets is None else check_cap('max_dets', max_dets)
    cat = (base.max_dets_per_cat if max_dets_per_cat is None else
           check_cap('max_dets_per_cat', max_dets_per_cat))
    name = protocol if (im, cat) == (base.max_dets, base.max_dets_per_cat) else 'custom'
    return LVISProtocol(name, im, cat, base.boundary)
