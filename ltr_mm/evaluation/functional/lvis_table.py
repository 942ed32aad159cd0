"""Markdown tables and the AP-by-frequency plot of LVIS results.

The summary table has the layout long-tail detection papers print after
``--eval bbox segm``::

    | Type | IoU | Area | MaxDets | CatIds | Result |
    | :---: | :---: | :---: | :---: | :---: | :---: |
    |  (AP)  | 0.50:0.95 |    all | 300 |          all | 25.96% |

A value of ``-1`` (nothing to measure, e.g. no rare category has ground truth) prints as
``n/a``. :func:`format_lvis_results` turns a metrics dict, as the runner returns it or as
``tools/eval_lvis.py --out-json`` writes it, into headed tables.
"""
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from .lvis_caps import NO_CAP, recall_suffix
from .lvis_protocols import PROTOCOLS, LVISProtocol

HEADER = ('| Type | IoU | Area | MaxDets | CatIds | Result |\n'
          '| :---: | :---: | :---: | :---: | :---: | :---: |')
#: metric name stem -> (type, IoU, area, category group)
_ROWS = (('AP', 'AP', '0.50:0.95', 'all', 'all'), ('AP50', 'AP', '0.50', 'all', 'all'),
         ('AP75', 'AP', '0.75', 'all', 'all'), ('APs', 'AP', '0.50:0.95', 's', 'all'),
         ('APm', 'AP', '0.50:0.95', 'm', 'all'), ('APl', 'AP', '0.50:0.95', 'l', 'all'),
         ('APr', 'AP', '0.50:0.95', 'all', 'r'), ('APc', 'AP', '0.50:0.95', 'all', 'c'),
         ('APf', 'AP', '0.50:0.95', 'all', 'f'), ('AR', 'AR', '0.50:0.95', 'all', 'all'),
         ('ARs', 'AR', '0.50:0.95', 's', 'all'), ('ARm', 'AR', '0.50:0.95', 'm', 'all'),
         ('ARl', 'AR', '0.50:0.95', 'l', 'all'))
IOU_TYPE_ORDER = ('bbox', 'segm', 'boundary', 'proposal')


def _cell(value: float) -> str:
    return 'n/a' if value is None or value < 0 or np.isnan(value) else f'{100 * value:.2f}%'


def _row(kind: str, iou: str, area: str, max_dets: Any, cats: str, value: float) -> str:
    return f'|  ({kind})  | {iou:<9} | {area:>6} | {max_dets} | {cats:>12} | {_cell(value)} |'


def lvis_table(metrics: Mapping[str, float], max_dets: int = 300,
               max_dets_per_cat: int = NO_CAP) -> str:
    """The summary table of one box or mask evaluation (keys ``AP`` ... ``ARl@<caps>``)."""
    suffix = recall_suffix(max_dets, max_dets_per_cat)
    lines = [HEADER]
    for name, kind, iou, area, cats in _ROWS:
        key = f'{name}@{suffix}' if kind == 'AR' else name
        if key in metrics:
            lines.append(_row(kind, iou, area, suffix, cats, metrics[key]))
    return '\n'.join(lines)


def proposal_table(metrics: Mapping[str, float]) -> str:
    """The recall table of a class-agnostic proposal evaluation (``AR@n``, ``ARs@n``...)."""
    lines = [HEADER]
    keys = [k for k in metrics if k.startswith('AR') and '@' in k]
    for key in sorted(keys, key=lambda k: ('ARsml'.find(k[2]) if k[2] != '@' else -1,
                                              int(k.split('@')[1]))):
        area = {'s': 's', 'm': 'm', 'l': 'l'}.get(key[2], 'all')
        lines.append(_row('AR', '0.50:0.95', area, key.split('@')[1], 'agnostic', metrics[key]))
    return '\n'.join(lines)


def split_metrics(metrics: Mapping[str, Any], prefix: str = 'lvis') -> Dict[str, Dict[str, Any]]:
    """``{'lvis/bbox_AP': v, ...}`` (runner output) -> ``{'bbox': {'AP': v, ...}, ...}``.

    A dict that is already nested by iou type is returned unchanged.
    """
    if all(isinstance(v, Mapping) for v in metrics.values()):
        return {k: dict(v) for k, v in metrics.items()}
    out: Dict[str, Dict[str, Any]] = {}
    for key, value in metrics.items():
        name = key[len(prefix) + 1:] if prefix and key.startswith(prefix + '/') else key
        iou_type, _, stat = name.partition('_')
        if iou_type in IOU_TYPE_ORDER and stat:
            out.setdefault(iou_type, {})[stat] = value
    return out


def protocol_of(max_dets: int, max_dets_per_cat: int, iou_type: str) -> str:
    """The preset whose caps (and mask IoU, for masks) match, else ``'custom'``."""
    for name, preset in PROTOCOLS.items():
        if (preset.max_dets, preset.max_dets_per_cat) != (max_dets, max_dets_per_cat):
            continue
        if iou_type == 'bbox' or preset.boundary == (iou_type == 'boundary'):
            return name
    return 'custom'


def heading(iou_type: str, max_dets: int = 300, segm_area: Optional[str] = None,
            max_dets_per_cat: int = NO_CAP, protocol: Optional[str] = None) -> str:
    """One markdown heading line naming the protocol, the caps and the size-split area."""
    if iou_type == 'proposal':
        return '### LVIS proposals: class-agnostic recall'
    name = protocol or protocol_of(max_dets, max_dets_per_cat, iou_type)
    caps = LVISProtocol(name, max_dets, max_dets_per_cat).caps_text()
    split = ('box area (w*h)' if iou_type == 'bbox' or segm_area == 'box'
             else 'mask area')
    note = f", segm_area='{segm_area}'" if iou_type != 'bbox' and segm_area else ''
    return (f'### LVIS {iou_type} ({name} protocol): {caps}, small/medium/large by '
            f'detection {split}{note}')


def format_lvis_results(metrics: Mapping[str, Any], prefix: str = 'lvis',
                        segm_area: Optional[str] = None, max_dets: int = 300,
                        max_dets_per_cat: int = NO_CAP, protocol: Optional[str] = None) -> str:
    """Headed markdown tables for every iou type found in ``metrics``.

    Args:
        metrics: the runner's flat dict (``'lvis/bbox_AP'``...) or ``{'bbox': {'AP': ...}}``.
        prefix: metric prefix of a flat dict.
        segm_area: size-split choice of masks, when ``metrics`` does not carry
            ``segm_area`` / ``boundary_area`` itself (the metric reports them).
        max_dets: detections per image of the run (``-1``: no cap).
        max_dets_per_cat: detections per category of the run (``-1``: no cap).
        protocol: protocol name for the titles; derived from the caps if ``None``.
    """
    nested = split_metrics(metrics, prefix)
    blocks = []
    for iou_type in IOU_TYPE_ORDER:
        if iou_type not in nested:
            continue
        values = {k: v for k, v in nested[iou_type].items() if isinstance(v, (int, float))}
        area = nested[iou_type].get('area', segm_area)
        table = (proposal_table(values) if iou_type == 'proposal' else
                 lvis_table(values, max_dets, max_dets_per_cat))
        blocks.append(heading(iou_type, max_dets, area, max_dets_per_cat, protocol) + '\n' +
                      table)
    return '\n\n'.join(blocks)


def print_lvis_results(metrics: Mapping[str, Any], prefix: str = 'lvis',
                       segm_area: Optional[str] = None, max_dets: int = 300,
                       max_dets_per_cat: int = NO_CAP, protocol: Optional[str] = None) -> str:
    """Print :func:`format_lvis_results` and return the text (for demos and scripts)."""
    text = format_lvis_results(metrics, prefix, segm_area, max_dets, max_dets_per_cat, protocol)
    print(text, flush=True)
    return text


def category_table(categories: Sequence[Mapping[str, Any]], ap: np.ndarray) -> str:
    """Per-category AP with each category's frequency group (``n/a``: no ground truth)."""
    lines = ['| Id | Category | Freq | AP |', '| ---: | :--- | :---: | ---: |']
    for cat, value in zip(categories, ap.tolist()):
        lines.append(f'| {cat["id"]} | {cat.get("name", "")} | {cat["frequency"]} | '
                     f'{_cell(value)} |')
    return '\n'.join(lines)


def plot_ap_by_frequency(metrics: Mapping[str, Mapping[str, float]], path: str) -> str:
    """Bar plot of AP, APr, APc and APf per iou type, written as a PNG to ``path``.

    Uses matplotlib's Agg canvas directly, so no global backend is touched.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    types: List[str] = [t for t in ('bbox', 'segm', 'boundary') if t in metrics]
    groups = ('AP', 'APr', 'APc', 'APf')
    fig = Figure(figsize=(6, 3.5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / max(len(types), 1)
    for i, iou_type in enumerate(types):
        values = [max(float(metrics[iou_type].get(g, -1)), 0.0) * 100 for g in groups]
        bars = ax.bar(np.arange(len(groups)) + (i - (len(types) - 1) / 2) * width, values,
                      width, label=iou_type)
        ax.bar_label(bars, fmt='%.1f', fontsize=7)
    ax.set_xticks(np.arange(len(groups)), ['all', 'rare (r)', 'common (c)', 'frequent (f)'])
    ax.set_ylabel('AP (%)')
    ax.set_title('LVIS AP by category frequency group')
    if types:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    return path
