"""Markdown table of the overall / many / medium / few top-1 reported by ``ShotAccuracy``."""
from typing import Any, Dict, List

SPLITS = ('overall', 'many', 'medium', 'few')


def _cell(value: Any, fmt: str) -> str:
    """Format a metric value; missing values and the ``-1`` "undefined" marker give ``-``."""
    if value is None or isinstance(value, bool):
        return '-'
    try:
        number = float(value)
    except (TypeError, ValueError):
        return '-'
    if number < 0:
        return '-'
    return str(int(number)) if fmt == 'd' else format(number, fmt)


def format_shot_table(metrics: Dict[str, Any], prefix: str = 'shot') -> str:
    """Render ``ShotAccuracy`` results as a markdown table.

    One row per split (overall, many, medium, few) with the number of classes in the split
    (by training count; overall = the sum of the three groups) and its top-1 accuracy in
    percent, two decimals. Overall top-1 is ``<prefix>/top1``, over all test samples; the
    group values are class-balanced means. Missing keys and the metric's ``-1`` marker (a
    group without classes, or without test samples) are shown as ``-``.

    Args:
        metrics (dict): metrics returned by ``ShotAccuracy`` (e.g. ``runner.test()``), keys
            ``<prefix>/top1``, ``<prefix>/many`` ... and ``<prefix>/many_classes`` ...;
            other keys are ignored.
        prefix (str): the metric's key prefix. Defaults to 'shot'.

    Returns:
        str: the table, lines joined with ``\\n``, without a trailing newline.

    Example:
        >>> print(format_shot_table({'shot/top1': 50.0, 'shot/many': 75.0,
        ...                          'shot/many_classes': 2, 'shot/medium_classes': 1,
        ...                          'shot/few_classes': 0, 'shot/few': -1}))
        | split | classes | top-1 |
        | --- | --- | --- |
        | overall | 3 | 50.00 |
        | many | 2 | 75.00 |
        | medium | 1 | - |
        | few | 0 | - |
    """
    key = f'{prefix}/' if prefix else ''
    sizes = {split: metrics.get(f'{key}{split}_classes') for split in SPLITS[1:]}
    if all(isinstance(n, int) and not isinstance(n, bool) for n in sizes.values()):
        sizes['overall'] = sum(sizes.values())
    lines: List[str] = ['| split | classes | top-1 |', '| --- | --- | --- |']
    for split in SPLITS:
        top1 = metrics.get(f'{key}top1' if split == 'overall' else f'{key}{split}')
        lines.append(f"| {split} | {_cell(sizes.get(split), 'd')} | {_cell(top1, '.2f')} |")
    return '\n'.join(lines)
